/**
 * clear through main() against simulated nodes: one request per node that has something to clear, with
 * the header Glance wants for each target.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';
import { allWrites, placeImage, resultsOf, type ActJson } from './act-support.js';

let fleet: SimFleetOnDisk;
beforeEach(async () => {
  fleet = await simFleetOnDisk();
  // glance03 gets something queued; the seeded fleet queues one image on glance01 already.
  fleet.nodes[2]!.queueImage(placeImage(fleet, 'queued-here', []));
});
afterEach(async () => {
  await fleet.close();
});

const clear = (args: string[], options: Parameters<typeof runCli>[1] = {}) => runCli(['-i', fleet.inventory, 'clear', ...args], options);
const clearHeaders = () =>
  fleet.nodes.flatMap((node) => node.requests.filter((request) => request.method === 'DELETE').map((request) => `${node.name} ${request.path} [${request.headers['x-image-cache-clear-target']}]`));

describe('clear', () => {
  it('--cache empties the cache of one node and nothing else', async () => {
    const queuedBefore = fleet.nodes[2]!.state().queued;
    const run = await clear(['--cache', '-n', 'glance03', '-y', '--json']);
    expect(run.code).toBe(0);
    expect(resultsOf(JSON.parse(run.stdout) as ActJson)).toEqual(['glance03 clear-cache - done']);
    expect(clearHeaders()).toEqual(['glance03 /v2/cache [cache]']);
    expect(fleet.nodes[2]!.state()).toEqual({ cached: [], queued: queuedBefore });
    expect(fleet.nodes[0]!.state().cached.length).toBeGreaterThan(0);
  });

  it('--queue sends one request per node with a queue, and reports the others as already empty', async () => {
    const run = await clear(['--queue', '-a', '-y', '--json']);
    expect(run.code).toBe(0);
    expect(resultsOf(JSON.parse(run.stdout) as ActJson)).toEqual(['glance01 clear-queue - done', 'glance02 clear-queue - already', 'glance03 clear-queue - done']);
    expect(clearHeaders()).toEqual(['glance01 /v2/cache [queue]', 'glance03 /v2/cache [queue]']);
    expect(fleet.nodes.every((node) => node.state().queued.length === 0)).toBe(true);
  });

  it('--all sends the empty header value Glance takes for both', async () => {
    const run = await clear(['--all', '-n', 'glance01', '-y']);
    expect(run.code).toBe(0);
    expect(clearHeaders()).toEqual(['glance01 /v2/cache []']);
    expect(fleet.nodes[0]!.state()).toEqual({ cached: [], queued: [] });
  });

  it('asks with the counts on a terminal', async () => {
    const questions: string[] = [];
    const cached = fleet.nodes[2]!.state().cached.length;
    await clear(['--cache', '-n', 'glance03'], { tty: true, confirm: async (question) => (questions.push(question), false) });
    expect(questions).toEqual([`clear the cache of 1 node (${cached} cached images)?`]);
    expect(allWrites(fleet)).toEqual([]);
  });

  it('wants exactly one of --cache, --queue, --all: exit 2, nothing sent', async () => {
    for (const flags of [[], ['--cache', '--queue']]) {
      const run = await clear([...flags, '-a', '-y']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('choose exactly one of --cache, --queue, --all');
    }
    expect(fleet.nodes.every((node) => node.requests.length === 0)).toBe(true);
  });
});
