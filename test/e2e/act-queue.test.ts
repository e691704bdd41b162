/**
 * queue through main() against simulated nodes: only where needed, inactive images refused up front,
 * legacy nodes, --wait, and idempotent re-runs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { SimNodeOptions } from '../../src/sim/index.js';
import { runCli } from '../helpers/run-cli.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';
import { allWrites, holdsImage, placeImage, resultsOf, writes, type ActJson } from './act-support.js';
import { eventually } from '../contract/wire.js';

let fleet: SimFleetOnDisk | undefined;
afterEach(async () => {
  await fleet?.close();
  fleet = undefined;
});

async function start(nodeOptions?: (index: number) => Partial<SimNodeOptions>): Promise<SimFleetOnDisk> {
  fleet = await simFleetOnDisk({ nodeOptions });
  return fleet;
}

const queue = (sim: SimFleetOnDisk, args: string[], options: Parameters<typeof runCli>[1] = {}) => runCli(['-i', sim.inventory, 'queue', ...args], options);

describe('queue', () => {
  it('queues by name on the selected nodes that lack the image, and only there', async () => {
    const sim = await start();
    const image = placeImage(sim, 'golden', [0]);
    const run = await queue(sim, ['golden', '-n', 'glance[01-02]', '-y', '--json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as ActJson;
    expect(json.plan).toEqual([{ node: 'glance02', image, action: 'queue' }]);
    expect(resultsOf(json)).toEqual([`glance01 queue ${image} already`, `glance02 queue ${image} done`]);
    expect(allWrites(sim)).toEqual([`glance02 PUT /v2/cache/${image}`]);
    // Glance's cache worker takes the queued image a moment after the PUT is answered.
    await eventually(() => holdsImage(sim.nodes[1]!, image) === 'cached', 'glance02 caches the queued image');
    expect(sim.nodes.map((node) => holdsImage(node, image))).toEqual(['cached', 'cached', 'absent']);

    const again = await queue(sim, ['golden', '-n', 'glance[01-02]', '-y', '--json']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('nothing to queue');
    expect((JSON.parse(again.stdout) as ActJson).plan).toEqual([]);
    expect(allWrites(sim)).toHaveLength(1);
  });

  it('refuses images that are not active in Glance before sending anything: exit 2', async () => {
    const sim = await start();
    const uploading = sim.catalog.add({ name: 'half-uploaded', status: 'queued', size: null }).id;
    const deleted = placeImage(sim, 'gone', [0]);
    sim.catalog.delete(deleted);
    const run = await queue(sim, ['half-uploaded', deleted, '-a', '-y']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`cannot queue: half-uploaded (${uploading}) is 'queued' in Glance, not active; ${deleted} is not in Glance`);
    expect(allWrites(sim)).toEqual([]);
  });

  it('uses the legacy call on a legacy node in a mixed fleet and says a prefetcher must run there', async () => {
    // No worker delay on the cache-API nodes: this is about which call each node gets, not about waiting.
    const sim = await start((index) => (index === 1 ? { flavor: 'legacy' } : { cacheDelayMs: 0 }));
    const image = placeImage(sim, 'golden', []);
    const run = await queue(sim, [image, '-a', '-y', '--json']);
    expect(run.code).toBe(0);
    expect(writes(sim.nodes[0]!)).toEqual([`PUT /v2/cache/${image}`]);
    expect(writes(sim.nodes[1]!)).toEqual([`PUT /v2/queued_images/${image}`]);
    expect(run.stderr).toMatch(/warning: glance02: legacy cache API: images are only queued there; glance-cache-prefetcher must run on that node/);
    const json = JSON.parse(run.stdout) as ActJson;
    expect(json.outcome.map((row) => [row.node, row.note])).toEqual([
      ['glance01', null],
      ['glance02', 'legacy cache API: queued only; glance-cache-prefetcher must run on this node to cache it'],
      ['glance03', null],
    ]);
    expect(sim.nodes.map((node) => holdsImage(node, image))).toEqual(['cached', 'queued', 'cached']);
  });

  it('--wait follows each node until the image is cached', async () => {
    const sim = await start(() => ({ cacheDelayMs: 400 }));
    const image = placeImage(sim, 'golden', []);
    const run = await queue(sim, ['golden', '-a', '-y', '--wait', '--json']);
    expect(run.code).toBe(0);
    expect(resultsOf(JSON.parse(run.stdout) as ActJson)).toEqual(['glance01', 'glance02', 'glance03'].map((node) => `${node} queue ${image} done`));
    expect(sim.nodes.map((node) => holdsImage(node, image))).toEqual(['cached', 'cached', 'cached']);
  });

  it('--wait-timeout fails the nodes that did not cache in time: exit 3, the others done', async () => {
    const sim = await start((index) => ({ cacheDelayMs: index === 2 ? 60_000 : 0 }));
    const image = placeImage(sim, 'golden', []);
    const run = await queue(sim, ['golden', '-a', '-y', '--wait-timeout', '1s', '--json']);
    expect(run.code).toBe(3);
    const json = JSON.parse(run.stdout) as ActJson;
    expect(json.outcome.find((row) => row.node === 'glance03')).toMatchObject({ result: 'failed', ok: false, error: 'not cached within 1s (still queued)' });
    expect(json.outcome.filter((row) => row.ok).map((row) => row.node)).toEqual(['glance01', 'glance02']);
    expect(run.stderr).toMatch(/error: glance03: not cached within 1s \(still queued\)/);
    expect(sim.nodes.map((node) => holdsImage(node, image))).toEqual(['cached', 'cached', 'queued']);
  });

  it('--dry-run sends no PUT', async () => {
    const sim = await start();
    placeImage(sim, 'golden', []);
    const run = await queue(sim, ['golden', '-a', '--dry-run']);
    expect(run.code).toBe(0);
    // The header row and one plan row per node.
    expect(run.stdout.trim().split('\n')).toHaveLength(4);
    expect(allWrites(sim)).toEqual([]);
  });
});
