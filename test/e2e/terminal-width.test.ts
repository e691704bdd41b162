/**
 * Tables fit the terminal: the built bin on a pseudo-terminal of 80 and of 60 columns, against a fleet
 * of 40 nodes whose images have long names, never prints a line wider than the terminal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROGRAM } from '../../src/cli/tree.js';
import { buildDist } from '../helpers/build.js';
import { runOnTerminal, widestLine } from '../helpers/pty.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';

const LONG_SUFFIX = '-with-a-long-descriptive-suffix-that-no-terminal-can-show-whole';

let fleet: SimFleetOnDisk;
beforeAll(async () => {
  buildDist();
  fleet = await simFleetOnDisk({ count: 40, imagesPerNode: 5 });
  for (const image of fleet.catalog.visible()) fleet.catalog.update(image.id, { name: `${image.name ?? 'unnamed'}${LONG_SUFFIX}` });
});
afterAll(async () => {
  await fleet?.close();
});

const COMMANDS: [string, string[]][] = [
  ['ls', ['ls', '-a']],
  ['ls --per-node', ['ls', '-a', '--per-node']],
  ['nodes', ['nodes', '-a']],
  ['diff', ['diff', '-a']],
  ['where', ['where', '-a']],
  ['prune --dry-run (the plan with size and reasons)', ['prune', '-a', '--max-size', '0', '--dry-run', '-c', 'node,image,name,action,size,reasons']],
  ['inventory', ['inventory', '-a']],
];

describe.each([80, 60])('on a terminal of %i columns', (columns) => {
  it.each(COMMANDS)('%s prints no line wider than the terminal', async (_name, args) => {
    const extra = { where: fleet.catalog.visible().slice(0, 2).map((image) => image.id), prune: ['--lock', `${fleet.dir}/prune.lock`] }[args[0]!] ?? [];
    const argv = [...args, ...extra];
    const run = await runOnTerminal(columns, ['-i', fleet.inventory, ...argv]);
    expect(run.stderr).not.toMatch(/error:/);
    expect(run.lines.length).toBeGreaterThan(3);
    expect(widestLine(run.lines)).toBeLessThanOrEqual(columns);
  });
});

describe('what fitting keeps', () => {
  it('shortens names with an ellipsis and IDs to a unique prefix; --wide shows them whole', async () => {
    const image = fleet.catalog.visible()[0]!;
    const fitted = (await runOnTerminal(80, ['-i', fleet.inventory, 'where', '-a', image.id])).lines.join('\n');
    expect(fitted).toContain('…');
    expect(fitted).not.toContain(image.id);
    expect(fitted).toContain(image.id.slice(0, 8));
    const wide = (await runOnTerminal(80, ['-i', fleet.inventory, 'where', '-a', image.id, '--wide'])).lines;
    expect(wide.join('\n')).toContain(image.id);
    expect(wide.join('\n')).toContain(`${image.name!}`);
    expect(widestLine(wide)).toBeGreaterThan(80);
    expect((await runOnTerminal(80, ['-i', fleet.inventory, 'where', '-a', image.id, '--max-width', '0'])).lines).toEqual(wide);
  });

  it('spreads ls --per-node over several tables, each showing every image', async () => {
    const lines = (await runOnTerminal(80, ['-i', fleet.inventory, 'ls', '-a', '--per-node'])).lines;
    const headers = lines.filter((line) => /^│ ID/.test(line));
    expect(headers.length).toBeGreaterThan(2);
    const nodeHeaders = headers.flatMap((line) => line.match(/glance\d\d/g) ?? []);
    expect(new Set(nodeHeaders)).toEqual(new Set(fleet.nodes.map((node) => node.name)));
  });
});

describe('help on a narrow terminal', () => {
  const commands = PROGRAM.commands.filter((command) => !command.hidden).map((command) => [command.name]);
  // Commander leaves a description unwrapped when the column beside the flags is under 40 wide; at 60
  // columns that made `ls --help` 171 wide. Example command lines and the usage line may run long.
  it.each([[''], ...commands, ['help auth']])('%s --help fits 60 columns outside its command lines', async (name) => {
    const run = await runOnTerminal(60, [...name.split(' ').filter(Boolean), ...(name.startsWith('help') ? [] : ['--help'])]);
    expect(run.code).toBe(0);
    const prose = run.lines.filter((line) => !line.startsWith('  $ ') && !line.startsWith('Usage: '));
    expect(prose.length).toBeGreaterThan(10);
    expect(widestLine(prose)).toBeLessThanOrEqual(60);
  });
});
