/** A small command tree of its own, so generator tests do not move with the real one. */
import type { CommandSpec, ProgramSpec } from '../../../src/cli/spec.js';

const load: CommandSpec['load'] = async () => ({ run: async () => 0 });

export function sampleProgram(extra: Partial<ProgramSpec> = {}): ProgramSpec {
  return {
    name: 'glance-cache',
    summary: 'a sample tree',
    description: 'A tree for the generator tests.',
    globalOptionGroups: [
      {
        title: 'Selection',
        options: [
          { flags: '-i, --inventory <path>', description: 'inventory file', complete: 'files' },
          { flags: '-n, --nodes <set>', description: 'nodes: names, ranges (glance[01-03]), @group', complete: 'nodes', repeatable: true },
          { flags: '-o, --output <format>', description: 'output format', choices: ['table', 'json'] },
          { flags: '--timeout <duration>', description: "total time per node; the inventory's default otherwise" },
          { flags: '--secret-thing <x>', description: 'not shown', hidden: true },
          { flags: '--no-headers', description: 'omit the header row' },
        ],
      },
    ],
    commands: [
      {
        name: 'evict',
        aliases: ['ev'],
        summary: 'drop images: for the tests',
        description: 'Drops images.',
        args: [{ name: 'image', description: 'image ID or name', required: true, variadic: true, complete: 'images' }],
        options: {
          mode: { flags: '--mode <mode>', description: 'how [fast]', choices: ['soft', 'hard'] },
          against: { flags: '--against <node>', description: 'reference node', complete: 'nodes' },
          yes: { flags: '-y, --yes', description: 'no questions' },
        },
        examples: [{ command: "glance-cache evict -a --yes 'my image'", description: 'evict everywhere' }],
        load,
      },
      {
        name: 'completion',
        aliases: [],
        summary: 'print a script',
        description: 'Prints a script.',
        args: [{ name: 'shell', description: 'the shell', required: true, variadic: false, complete: 'shells' }],
        options: {},
        examples: [],
        load,
      },
      { name: 'secret', aliases: [], summary: 'hidden', description: 'hidden', args: [], options: {}, examples: [], load, hidden: true },
    ],
    environment: [{ name: 'GLANCE_CACHE_INVENTORY', description: 'inventory file' }],
    files: [{ path: '~/.config/glance-cache/inventory.yaml', description: 'per-user inventory' }],
    exitCodes: [
      { code: 0, description: 'success' },
      { code: 2, description: 'usage error' },
    ],
    examples: [
      { command: 'glance-cache evict -n @az1 cirros', description: 'evict cirros from az1' },
      { command: 'glance-cache evict -a -y --mode hard old-image', description: 'nightly eviction', cron: '30 2 * * *' },
    ],
    ...extra,
  };
}
