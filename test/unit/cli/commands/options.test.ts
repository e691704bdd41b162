/** Every command's command line through the real tree, into the typed values its runner receives. */
import { describe, expect, it } from 'vitest';
import { clearSpec } from '../../../../src/cli/commands/clear/spec.js';
import { diffSpec } from '../../../../src/cli/commands/diff/spec.js';
import { inventorySpec } from '../../../../src/cli/commands/inventory/spec.js';
import { lsSpec } from '../../../../src/cli/commands/ls/spec.js';
import { nodesSpec } from '../../../../src/cli/commands/nodes/spec.js';
import { purgeSpec } from '../../../../src/cli/commands/purge/spec.js';
import { queueSpec } from '../../../../src/cli/commands/queue/spec.js';
import { syncSpec } from '../../../../src/cli/commands/sync/spec.js';
import { imageArguments, syncTarget } from '../../../../src/cli/commands/sync/options.js';
import { whereSpec } from '../../../../src/cli/commands/where/spec.js';
import { actOptions, waitTimeout } from '../../../../src/cli/act/options.js';
import { buildProgram } from '../../../../src/cli/program.js';
import type { ProgramSpec } from '../../../../src/cli/spec.js';
import { ExitCode, UsageError } from '../../../../src/errors.js';
import { parseCommand } from '../../../helpers/parse-command.js';
import { runCli } from '../../../helpers/run-cli.js';

describe('command options', () => {
  it('ls: --per-node, --state, --sort, --orphans; the alias list', () => {
    const { options } = parseCommand(lsSpec, ['list', '--per-node', '--state', 'queued', '--sort', 'last-accessed', '--orphans']);
    expect(options).toEqual({ perNode: true, state: 'queued', sort: 'last-accessed', orphans: true });
    expect(parseCommand(lsSpec, ['ls']).options).toEqual({});
  });

  it('diff: two nodes as arguments, --against, --state, --orphans', () => {
    expect(parseCommand(diffSpec, ['diff', 'glance01', 'glance02'])).toEqual({ args: ['glance01', 'glance02'], options: {} });
    expect(parseCommand(diffSpec, ['diff', '-a', '--against', 'glance01', '--state', 'all', '--orphans']).options).toEqual({ against: 'glance01', state: 'all', orphans: true });
  });

  it('where, purge, queue: image arguments; the acting and waiting flags', () => {
    expect(parseCommand(whereSpec, ['where', 'cirros', 'ubuntu'])).toEqual({ args: ['cirros', 'ubuntu'], options: {} });
    expect(parseCommand(purgeSpec, ['rm', 'cirros', '-y', '--node-concurrency', '2'])).toEqual({ args: ['cirros'], options: { yes: true, nodeConcurrency: '2' } });
    const queue = parseCommand(queueSpec, ['queue', 'cirros', '--dry-run', '--wait-timeout', '30s']);
    expect(queue.options).toEqual({ dryRun: true, waitTimeout: '30s' });
    expect(actOptions(queue.options)).toEqual({ yes: false, dryRun: true, nodeConcurrency: 4 });
    expect(waitTimeout(queue.options)).toBe(30_000);
    expect(waitTimeout(parseCommand(queueSpec, ['queue', 'cirros', '--wait']).options)).toBe(600_000);
    expect(waitTimeout(parseCommand(queueSpec, ['queue', 'cirros']).options)).toBeNull();
  });

  it('clear, nodes, inventory', () => {
    expect(parseCommand(clearSpec, ['clear', '--queue', '--yes']).options).toEqual({ queue: true, yes: true });
    expect(parseCommand(nodesSpec, ['nodes', '-a']).options).toEqual({});
    expect(parseCommand(inventorySpec, ['inventory', '--check']).options).toEqual({ check: true });
  });

  it('sync: the target state, --images lists, --delete', () => {
    const { options } = parseCommand(syncSpec, ['sync', '--replicas', '2', '--images', 'cirros, ubuntu', '--images', 'debian', '--delete', '--wait']);
    expect(options).toEqual({ replicas: '2', images: ['cirros, ubuntu', 'debian'], delete: true, wait: true });
    expect(syncTarget(options)).toEqual({ kind: 'replicas', replicas: 2 });
    expect(imageArguments(options)).toEqual(['cirros', 'ubuntu', 'debian']);
    expect(syncTarget(parseCommand(syncSpec, ['sync', '--like', 'glance01']).options)).toEqual({ kind: 'like', reference: 'glance01' });
    expect(() => syncTarget(parseCommand(syncSpec, ['sync', '--like', 'glance01', '--replicas', '2']).options)).toThrow(UsageError);
    expect(() => syncTarget(parseCommand(syncSpec, ['sync', '--replicas', '0']).options)).toThrow(/--replicas: '0' is not a whole number of 1 or more/);
  });

  it.each([
    [['ls', '--state', 'gone'], /ls: --state: 'gone' is not one of all, cached, queued/],
    [['diff', '--sate', 'all'], /unknown option '--sate'/],
    [['clear', '--cache', '--yes', 'glance01'], /clear: unexpected argument 'glance01' \(it takes none\)/],
    [['purge'], /purge: missing argument <image>/],
    [['sync', '--replicas'], /sync: --replicas needs a value/],
    [['queue', 'cirros', '--node-concurrency', '0', '-a'], /--node-concurrency: '0' is not a whole number from 1 to 64/],
  ])('refuses %o as a usage error before anything is read', async (argv, message) => {
    const run = await runCli(argv);
    expect(run.code).toBe(ExitCode.usage);
    expect(run.stderr).toMatch(message);
  });

  it('a spec whose option key is not the name commander gives its value is refused when the tree is built', () => {
    const program: ProgramSpec = {
      name: 'glance-cache', summary: '', description: '', globalOptionGroups: [], environment: [], files: [], exitCodes: [], examples: [],
      commands: [{ name: 'evict', aliases: [], summary: '', description: '', args: [], examples: [], options: { maxsize: { flags: '--max-size <size>', description: '' } }, load: async () => ({ run: async () => 0 }) }],
    };
    expect(() => buildProgram(program, '0', { writeOut: () => {}, writeErr: () => {} }, () => {})).toThrow("evict: option --max-size <size> is keyed 'maxsize', not 'maxSize'");
  });
});
