/**
 * -c and --sort-column are checked against the command's columns before anything is read or sent, and
 * every column a view shows is one the command tree declares (column-keys.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_KEYS, OUTCOME_KEYS, PLAN_KEYS } from '../../../../src/cli/column-keys.js';
import { commandColumns, completableColumns } from '../../../../src/cli/spec.js';
import { PROGRAM } from '../../../../src/cli/tree.js';
import { IMAGE_COLUMNS, NODE_COLUMNS } from '../../../../src/cli/views.js';
import { LOCATION_COLUMNS } from '../../../../src/cli/commands/where/view.js';
import { DIFFERENCE_COLUMNS } from '../../../../src/cli/commands/diff/view.js';
import { INVENTORY_COLUMNS } from '../../../../src/cli/commands/inventory/view.js';
import { ExitCode } from '../../../../src/errors.js';
import { runCli } from '../../../helpers/run-cli.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../../../helpers/sim-fleet.js';

const spec = (name: string) => PROGRAM.commands.find((command) => command.name === name)!;

let fleet: SimFleetOnDisk;
beforeAll(async () => {
  fleet = await simFleetOnDisk();
});
afterAll(async () => {
  await fleet.close();
});
const requests = () => fleet.nodes.reduce((total, node) => total + node.requests.length, 0);

describe('-c before any request', () => {
  it.each([
    [['prune', '-a', '--max-size', '0', '--dry-run', '-c', 'reasons,bogus'], "-c: unknown column 'bogus'; choose from: node, image, name, action, size, reasons"],
    [['prune', '-a', '--max-size', '0', '-c', 'reasons'], "-c: unknown column 'reasons'; choose from: node, image, name, action, result, error, note"],
    [['ls', '-a', '-c', 'id', '--sort-column', 'Last access'], `--sort-column: unknown column 'Last access'; choose from: ${IMAGE_KEYS.join(', ')}`],
    [['ls', '-a', '-c', 'node:glance01'], `-c: unknown column 'node:glance01'; choose from: ${IMAGE_KEYS.join(', ')}`],
    [['nodes', '-a', '-c', 'hits'], "-c: unknown column 'hits'; choose from: name, url, ok, latency_ms, api, cache_driver, cached_images, cached_bytes, queued_images, usage_percent, error, warnings"],
  ])('%j: exit 2 naming the valid columns, and no node is contacted', async (argv, message) => {
    const before = requests();
    const run = await runCli(['-i', fleet.inventory, ...argv]);
    expect(run.code).toBe(ExitCode.usage);
    expect(run.stderr).toBe(`error: ${message}\n`);
    expect(run.stdout).toBe('');
    expect(requests()).toBe(before);
  });

  it('takes a column the options bring: ls --per-node node:<name>, plan columns under --dry-run', async () => {
    const perNode = await runCli(['-i', fleet.inventory, 'ls', '-a', '--per-node', '-c', 'id,node:glance01']);
    expect(perNode.code).toBe(ExitCode.ok);
    expect(perNode.stdout.split('\n')[0]).toBe('ID\tglance01');
    const plan = await runCli(['-i', fleet.inventory, 'prune', '-a', '--max-size', '0', '--dry-run', '-c', 'node,size,reasons', '-f', 'csv']);
    expect(plan.code).toBe(ExitCode.ok);
    const [header, first] = plan.stdout.split('\n');
    expect(header).toBe('Node,Size,Reasons');
    expect(first).toMatch(/^glance0\d,\d+,max-size$/);
  });

  it('projects size and reasons into the JSON plan with -c, as the evictions have them', async () => {
    const run = await runCli(['-i', fleet.inventory, 'prune', '-a', '--max-size', '0', '--dry-run', '--json', '-c', 'node,image,size,reasons']);
    const document = JSON.parse(run.stdout) as { plan: { node: string; image: string; size: number; reasons: string[] }[]; evictions: { node: string; image: string; size: number; reasons: string[] }[] };
    expect(document.plan.length).toBeGreaterThan(0);
    expect(Object.keys(document.plan[0]!)).toEqual(['node', 'image', 'size', 'reasons']);
    const whole = JSON.parse((await runCli(['-i', fleet.inventory, 'prune', '-a', '--max-size', '0', '--dry-run', '--json'])).stdout) as { plan: object[] };
    expect(Object.keys(whole.plan[0]!)).toEqual(['node', 'image', 'action']);
    for (const item of document.plan) {
      const eviction = document.evictions.find((candidate) => candidate.node === item.node && candidate.image === item.image)!;
      expect({ size: item.size, reasons: item.reasons }).toEqual({ size: eviction.size, reasons: eviction.reasons });
    }
  });
});

describe('the columns the tree declares', () => {
  it('are the columns each view shows', () => {
    expect(commandColumns(spec('ls'), {})).toEqual(IMAGE_COLUMNS.map((column) => column.key));
    expect(commandColumns(spec('nodes'), {})).toEqual(NODE_COLUMNS.map((column) => column.key));
    expect(commandColumns(spec('where'), {})).toEqual(LOCATION_COLUMNS.map((column) => column.key));
    expect(commandColumns(spec('diff'), {})).toEqual(DIFFERENCE_COLUMNS.map((column) => column.key));
    expect(commandColumns(spec('inventory'), {})).toEqual(INVENTORY_COLUMNS.map((column) => column.key));
  });

  it('follow the options: --dry-run plans, --per-node node columns, diff --orphans findings', () => {
    for (const name of ['queue', 'purge', 'clear', 'sync', 'prune']) {
      expect(commandColumns(spec(name), {})).toEqual(OUTCOME_KEYS);
      expect(commandColumns(spec(name), { dryRun: true })).toEqual(PLAN_KEYS);
    }
    expect(commandColumns(spec('ls'), { perNode: true })).toEqual([...IMAGE_KEYS, 'node:']);
    expect(commandColumns(spec('diff'), { orphans: true })).toContain('detail');
    expect(commandColumns(spec('completion'), {})).toBeUndefined();
  });

  it('complete without patterns, every list of the command once', () => {
    expect(completableColumns(spec('ls'))).toEqual([...IMAGE_KEYS]);
    expect(completableColumns(spec('prune'))).toEqual([...new Set([...OUTCOME_KEYS, ...PLAN_KEYS])]);
  });
});
