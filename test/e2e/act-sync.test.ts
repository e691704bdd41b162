/**
 * sync through main() against simulated nodes: the fleet after the run is checked against the target
 * state, node by node.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';
import { allWrites, holdsImage, placeImage, writes, type ActJson } from './act-support.js';

let fleet: SimFleetOnDisk;
beforeEach(async () => {
  fleet = await simFleetOnDisk({ count: 4 });
});
afterEach(async () => {
  await fleet.close();
});

const sync = (args: string[]) => runCli(['-i', fleet.inventory, 'sync', ...args]);
const held = (index: number) => {
  const state = fleet.nodes[index]!.state();
  return new Set([...state.cached.map((entry) => entry.id), ...state.queued]);
};
const copies = () => {
  const count = new Map<string, number>();
  fleet.nodes.forEach((_, index) => held(index).forEach((id) => count.set(id, (count.get(id) ?? 0) + 1)));
  return count;
};

describe('sync', () => {
  it('--replicas 2 puts every servable image on at least two nodes, skips what Glance cannot serve, and then has nothing left to do', async () => {
    const orphan = placeImage(fleet, 'orphan', [3]);
    fleet.catalog.delete(orphan);
    const run = await sync(['--replicas', '2', '-a', '-y', '--json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as ActJson;
    expect(json.unavailable).toEqual([orphan]);
    expect(run.stderr).toContain(`not copied: 1 image Glance cannot serve (deleted or not active): ${orphan}`);
    for (const [id, count] of copies()) {
      if (id !== orphan) expect(count, id).toBeGreaterThanOrEqual(2);
    }
    expect(copies().get(orphan)).toBe(1);
    const again = await sync(['--replicas', '2', '-a', '-y', '--json']);
    expect((JSON.parse(again.stdout) as ActJson).plan).toEqual([]);
  });

  it('--like makes the selected nodes hold what the reference holds, never touching the reference; --delete removes the rest', async () => {
    const before = allWrites(fleet).length;
    const run = await sync(['--like', 'glance01', '-n', 'glance03', '-y', '--json']);
    expect(run.code).toBe(0);
    expect([...held(0)].every((id) => held(2).has(id))).toBe(true);
    expect(writes(fleet.nodes[0]!)).toEqual([]);
    expect((JSON.parse(run.stdout) as ActJson).nodes.map((node) => node.name)).toEqual(['glance01', 'glance03']);
    expect(allWrites(fleet).length).toBeGreaterThan(before);

    const exact = await sync(['--like', 'glance01', '-n', 'glance03', '--delete', '-y']);
    expect(exact.code).toBe(0);
    expect([...held(2)].sort()).toEqual([...held(0)].sort());
    expect(writes(fleet.nodes[0]!)).toEqual([]);
  });

  it('--images limits the sync to the given images', async () => {
    const only = placeImage(fleet, 'only-this', [1]);
    const run = await sync(['--replicas', '4', '--images', 'only-this', '-a', '-y', '--json']);
    expect(run.code).toBe(0);
    const plan = (JSON.parse(run.stdout) as ActJson).plan;
    expect(plan.every((item) => item.image === only)).toBe(true);
    expect(plan.map((item) => item.node)).toEqual(['glance01', 'glance03', 'glance04']);
    expect(copies().get(only)).toBe(4);
  });

  it('--wait follows the nodes given new copies until they are cached; --wait-timeout fails the slow one, exit 3', async () => {
    await fleet.close();
    fleet = await simFleetOnDisk({ count: 3, nodeOptions: (index) => ({ cacheDelayMs: index === 2 ? 60_000 : 300 }) });
    const image = placeImage(fleet, 'golden', [0]);
    const run = await sync(['--replicas', '3', '--images', 'golden', '-a', '-y', '--wait-timeout', '2s', '--json']);
    expect(run.code).toBe(3);
    const json = JSON.parse(run.stdout) as ActJson;
    expect(json.outcome.map((row) => [row.node, row.action, row.result, row.error])).toEqual([
      ['glance02', 'queue', 'done', null],
      ['glance03', 'queue', 'failed', 'not cached within 2s (still queued)'],
    ]);
    expect(fleet.nodes.map((node) => holdsImage(node, image))).toEqual(['cached', 'cached', 'queued']);
    expect(run.stderr).toMatch(/error: glance03: not cached within 2s \(still queued\)/);
  });

  it('--wait does not follow deletions', async () => {
    await fleet.close();
    fleet = await simFleetOnDisk({ count: 3, nodeOptions: () => ({ cacheDelayMs: 200 }) });
    const image = placeImage(fleet, 'golden', [0, 1, 2]);
    const run = await sync(['--replicas', '1', '--images', 'golden', '--delete', '-a', '-y', '--wait', '--json']);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as ActJson).outcome.map((row) => `${row.action} ${row.result}`)).toEqual(['delete done', 'delete done']);
    expect(fleet.nodes.filter((node) => holdsImage(node, image) === 'cached')).toHaveLength(1);
  });

  it('needs exactly one target and a selection for --like: exit 2, nothing sent', async () => {
    for (const args of [['-a'], ['--replicas', '2', '--like', 'glance01', '-a'], ['--replicas', 'two', '-a'], ['--like', 'glance01']]) {
      const run = await sync([...args, '-y']);
      expect(run.code, args.join(' ')).toBe(2);
    }
    expect(fleet.nodes.every((node) => node.requests.length === 0)).toBe(true);
  });
});
