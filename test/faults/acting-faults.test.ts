/**
 * The fault matrix for acting commands (test/FAULTS.md): a node that breaks between the plan and the
 * writes. The confirmation prompt is the hook: the fault is set while the operator is being asked, so the
 * listing saw a healthy node and the writes meet a broken one. The JSON must record exactly what each node
 * did: done where the node changed, failed where it did not (or may have, when it never answered), and
 * nothing sent beyond the plan.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SimFaults } from '../../src/sim/index.js';
import { runCli } from '../helpers/run-cli.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';
import { allWrites, holdsImage, placeImage, type ActJson } from '../e2e/act-support.js';
import { errorLines } from './support.js';
import { eventually } from '../contract/wire.js';

let fleet: SimFleetOnDisk;
let images: string[];
beforeEach(async () => {
  fleet = await simFleetOnDisk();
  images = [placeImage(fleet, 'fault-a', [0, 1, 2]), placeImage(fleet, 'fault-b', [0, 1, 2])];
});
afterEach(async () => {
  await fleet.close();
});

/** Runs an acting command on a terminal, breaking `node` with `faults` while the plan is on screen. */
function actBreaking(args: string[], node: number, faults: SimFaults, options: { signal?: AbortSignal; onConfirm?: () => void } = {}) {
  return runCli(['-i', fleet.inventory, ...args, '-a', '--json', '--timeout', '2s'], {
    tty: true,
    signal: options.signal,
    confirm: async () => {
      fleet.nodes[node]!.setFaults(faults);
      options.onConfirm?.();
      return true;
    },
  });
}

describe('purge when a node breaks after the plan', () => {
  it.each<[string, SimFaults, RegExp]>([
    ['answers 503', { status: 503 }, /^HTTP 503: /],
    ['refuses with 500 after its first delete', { status: 500, failAfter: 1 }, /^HTTP 500: /],
  ])('%s: exit 3, the record matches each node exactly', async (_cell, faults, cause) => {
    const run = await actBreaking(['purge', ...images], 2, faults);
    expect(run.code).toBe(3);
    const result = JSON.parse(run.stdout) as ActJson;
    expect(result.plan).toHaveLength(6);
    expect(result.outcome).toHaveLength(6);
    for (const row of result.outcome) {
      const node = fleet.nodes.find((each) => each.name === row.node)!;
      // Whatever the record says is what the node holds now.
      expect(holdsImage(node, row.image!)).toBe(row.ok ? 'absent' : 'cached');
      if (!row.ok) expect(row.error).toMatch(cause);
    }
    expect(result.outcome.filter((row) => !row.ok).every((row) => row.node === 'glance03')).toBe(true);
    expect(result.outcome.filter((row) => row.node !== 'glance03').every((row) => row.result === 'done')).toBe(true);
    // One line for the node, naming its failed actions, after the plan.
    expect(errorLines(run.stderr).filter((line) => line.startsWith('error: glance03: '))).toHaveLength(1);
    // Deletes are never retried: one request per planned action at most.
    expect(allWrites(fleet).length).toBeLessThanOrEqual(6);
  });

  // The node carried these deletes out but its answer never arrived: the record must not say they were
  // not done. 'unknown' with the cause, and one line telling how to check.
  it.each<[string, SimFaults, RegExp]>([
    ['resets the connection after deleting', { reset: true }, /^connection reset$/],
    ['hangs after deleting', { hang: 'before-headers' }, /^timed out after 2s$/],
  ])('%s: exit 3, those actions unknown with the cause, the others done', async (_cell, faults, cause) => {
    const run = await actBreaking(['purge', ...images], 2, faults);
    expect(run.code).toBe(3);
    const result = JSON.parse(run.stdout) as ActJson;
    for (const row of result.outcome) {
      if (row.node === 'glance03') {
        expect(row).toMatchObject({ ok: false, result: 'unknown', error: expect.stringMatching(cause) });
        expect(holdsImage(fleet.nodes[2]!, row.image!)).toBe('absent');
      } else expect(row).toMatchObject({ ok: true, result: 'done' });
    }
    expect(errorLines(run.stderr).filter((line) => line.startsWith('error: glance03: '))).toEqual([
      expect.stringMatching(/, after the request went out: it may have taken effect \(check with glance-cache where -n glance03\) /),
    ]);
    expect(allWrites(fleet).length).toBe(6);
  });
});

describe('queue when a node breaks after the plan', () => {
  it('one node down: the others cached, the down node recorded as failed, nothing sent twice', async () => {
    const fresh = fleet.catalog.add({ name: 'fault-new', size: 4096 }).id;
    const run = await actBreaking(['queue', fresh], 1, { status: 503 });
    expect(run.code).toBe(3);
    const result = JSON.parse(run.stdout) as ActJson;
    expect(result.outcome.map((row) => `${row.node} ${row.result}`).sort()).toEqual(['glance01 done', 'glance02 failed', 'glance03 done']);
    // Glance's cache worker takes the queued image a moment after the PUT is answered.
    await eventually(() => holdsImage(fleet.nodes[0]!, fresh) === 'cached', 'glance01 caches the queued image');
    expect(holdsImage(fleet.nodes[1]!, fresh)).toBe('absent');
    expect(allWrites(fleet).filter((line) => line.startsWith('glance02'))).toHaveLength(1);
  });
});

describe('interrupted while acting', () => {
  it('Ctrl-C after the plan: what was sent is recorded, the rest skipped as not sent, exit 130', async () => {
    const many = Array.from({ length: 12 }, (_, index) => placeImage(fleet, `fault-many-${index}`, [2]));
    const controller = new AbortController();
    // The node answers slowly: the interrupt lands while most of its deletes are still waiting their turn.
    const run = await actBreaking(['purge', ...many], 2, { latencyMs: 300 }, {
      signal: controller.signal,
      onConfirm: () => setTimeout(() => controller.abort(new Error('SIGINT')), 100),
    });
    expect(run.code).toBe(130);
    const rows = (JSON.parse(run.stdout) as ActJson).outcome.filter((row) => row.node === 'glance03');
    expect(rows).toHaveLength(12);
    const sent = new Set(allWrites(fleet).map((line) => line.split('/').pop()));
    for (const row of rows) {
      const held = holdsImage(fleet.nodes[2]!, row.image!);
      if (row.result === 'done') expect(held).toBe('absent');
      if (row.result === 'skipped') {
        expect(held).toBe('cached');
        expect(row.error).toMatch(/not sent/);
        expect(sent.has(row.image!)).toBe(false);
      }
    }
    expect(rows.filter((row) => row.result === 'skipped').length).toBeGreaterThan(0);
    expect(rows.filter((row) => row.result === 'done').length).toBe(sent.size);
  });
});
