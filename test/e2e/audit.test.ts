/**
 * The fleet audit against a simulated Epoxy (centralized_db) fleet whose glance03 was started with
 * glance02's worker_self_reference_url, so both list glance02's database rows. Listing commands through
 * the built bin, as an operator runs them; the acting commands through main().
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildDist } from '../helpers/build.js';
import { runCli } from '../helpers/run-cli.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';
import { allWrites, holdsImage, placeImage, writes, type ActJson } from './act-support.js';
import type { NodeJson } from '../helpers/audit-json.js';

const bin = new URL('../../bin/glance-cache.js', import.meta.url).pathname;

let fleet: SimFleetOnDisk;
/** Cached on glance01 and, through glance02's shared rows, listed by glance02 and glance03. */
let image: string;

beforeAll(buildDist);
beforeEach(async () => {
  fleet = await simFleetOnDisk({ release: 'epoxy', referenceOf: (index) => (index === 2 ? 1 : index) });
  image = placeImage(fleet, 'shared-image', [0, 1]);
});
afterEach(async () => {
  await fleet.close();
});

/** The built bin as cron would run it; `lines` is stderr without the timestamps it gets off a terminal. */
function glanceCache(args: string[]): Promise<{ code: number; stdout: string; lines: string[] }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, '-i', fleet.inventory, ...args], { env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code) : 0, stdout, lines: stderr.trimEnd().split('\n').map((line) => line.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z /, '')) });
    });
  });
}

/** The rows glance02's worker_self_reference_url holds, which glance02 and glance03 both list. */
const sharedRowIds = () => fleet.nodes[1]!.state().cached.map((entry) => entry.rowId!).sort((a, b) => a - b);

function auditLine(): string {
  const ids = sharedRowIds();
  const shown = `${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ` and ${ids.length - 5} more` : ''}`;
  return `warning: glance02 and glance03 list the same cache records (row ids ${shown}): they likely share one worker_self_reference_url; their listings show that URL's database rows, not what each node's disk holds`;
}

function expectWarned(nodes: NodeJson[]): void {
  expect(nodes.map((node) => [node.name, node.warnings.length])).toEqual([
    ['glance01', 0],
    ['glance02', 1],
    ['glance03', 1],
  ]);
  for (const [node, other] of [[nodes[1]!, 'glance03'], [nodes[2]!, 'glance02']] as const) {
    expect(node.warnings[0]).toEqual({ kind: 'shared_records', nodes: ['glance02', 'glance03'], row_ids: sharedRowIds(), message: expect.stringMatching(new RegExp(`^lists the same cache records as ${other} \\(row ids \\d+`)) });
  }
}

describe('two nodes sharing one worker_self_reference_url', () => {
  it('ls -a: one stderr line naming both nodes, a warning on each in the JSON, exit 3', async () => {
    const run = await glanceCache(['ls', '-a', '--json']);
    expect(run.code).toBe(3);
    expect(run.lines).toEqual([auditLine()]);
    const json = JSON.parse(run.stdout) as { nodes: NodeJson[]; images: { id: string }[] };
    expectWarned(json.nodes);
    expect(json.nodes.map((node) => node.cache_driver)).toEqual(['centralized_db', 'centralized_db', 'centralized_db']);
    // The listings are still shown as the nodes gave them.
    expect(json.images.some((entry) => entry.id === image)).toBe(true);
  });

  it('nodes -a: the same finding per node, in the JSON and in a Warnings column; exit 3', async () => {
    const run = await glanceCache(['nodes', '-a', '--json']);
    expect(run.code).toBe(3);
    expect(run.lines).toEqual([auditLine()]);
    expectWarned((JSON.parse(run.stdout) as { nodes: NodeJson[] }).nodes);
    const tsv = await glanceCache(['nodes', '-a', '-o', 'tsv', '-c', 'name', '-c', 'cache_driver', '-c', 'warnings']);
    const [header, ...rows] = tsv.stdout.trimEnd().split('\n').map((line) => line.split('\t'));
    expect(header).toEqual(['Node', 'Driver', 'Warnings']);
    expect(rows.map((row) => row.slice(0, 2))).toEqual([
      ['glance01', 'centralized_db'],
      ['glance02', 'centralized_db'],
      ['glance03', 'centralized_db'],
    ]);
    expect(rows.map((row) => row[2]!.startsWith('lists the same cache records as'))).toEqual([false, true, true]);
  });

  it('diff: the two nodes are not called identical: exit 3 with the finding, whatever they list', async () => {
    const pair = await glanceCache(['diff', 'glance02', 'glance03', '--json']);
    expect(pair.code).toBe(3);
    expect(pair.lines).toEqual([auditLine()]);
    expect((JSON.parse(pair.stdout) as { identical: boolean }).identical).toBe(true);
    const all = await glanceCache(['diff', '-a', '--json']);
    expect(all.code).toBe(3);
    expectWarned((JSON.parse(all.stdout) as { nodes: NodeJson[] }).nodes);
  });

  it('purge aimed at the node alone: its peers are listed for the audit, nothing is sent, the row says why; exit 3', async () => {
    const run = await glanceCache(['purge', image, '-n', 'glance03', '-y', '--json']);
    expect(run.code).toBe(3);
    expect(run.lines).toEqual([auditLine(), 'warning: glance03: nothing sent to this node: its listing does not tell what it holds']);
    const json = JSON.parse(run.stdout) as ActJson & { nodes: NodeJson[] };
    expect(json.plan).toEqual([]);
    expect(json.outcome).toEqual([
      {
        node: 'glance03',
        image,
        name: 'shared-image',
        action: 'delete',
        result: 'skipped',
        ok: false,
        error: 'not sent: lists the same cache records as glance02 (likely the same worker_self_reference_url), so what it holds is unknown',
        note: null,
      },
    ]);
    // Only the selected node is reported; its peer was asked for its listing and nothing else.
    expect(json.nodes.map((node) => node.name)).toEqual(['glance03']);
    expect(fleet.nodes[1]!.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /v2/cache']);
    expect(allWrites(fleet)).toEqual([]);
    expect(holdsImage(fleet.nodes[1]!, image)).toBe('cached');
  });

  it('purge -a: deletes where the listing is a node\'s own, skips the two sharing nodes; exit 3', async () => {
    const run = await runCli(['-i', fleet.inventory, 'purge', image, '-a', '-y', '--json']);
    expect(run.code).toBe(3);
    const json = JSON.parse(run.stdout) as ActJson;
    expect(json.outcome.map((row) => `${row.node} ${row.action} ${row.result}`)).toEqual(['glance01 delete done', 'glance02 delete skipped', 'glance03 delete skipped']);
    expect(allWrites(fleet)).toEqual([`glance01 DELETE /v2/cache/${image}`]);
    expect(run.stdout).not.toContain('"already"');
  });

  it('purge --dry-run: the plan leaves the sharing nodes out, and the outcome already says they are skipped', async () => {
    const run = await runCli(['-i', fleet.inventory, 'purge', image, '-a', '--dry-run', '--json']);
    expect(run.code).toBe(3);
    const json = JSON.parse(run.stdout) as ActJson;
    expect(json.plan).toEqual([{ node: 'glance01', image, action: 'delete' }]);
    expect(json.outcome.map((row) => `${row.node} ${row.result}`)).toEqual(['glance02 skipped', 'glance03 skipped']);
    expect(run.stderr).toContain('not sent (shared records): delete "shared-image"');
    expect(allWrites(fleet)).toEqual([]);
  });

  it('queue: sends nothing to the sharing nodes, not even as "already"', async () => {
    const fresh = fleet.catalog.add({ name: 'fresh-image', size: 1024 }).id;
    const run = await runCli(['-i', fleet.inventory, 'queue', fresh, '-a', '-y', '--json']);
    expect(run.code).toBe(3);
    const json = JSON.parse(run.stdout) as ActJson;
    expect(json.outcome.map((row) => `${row.node} ${row.action} ${row.result}`)).toEqual(['glance01 queue done', 'glance02 queue skipped', 'glance03 queue skipped']);
    expect(allWrites(fleet)).toEqual([`glance01 PUT /v2/cache/${fresh}`]);
  });

  it('clear: clears only the node whose listing is its own', async () => {
    const run = await runCli(['-i', fleet.inventory, 'clear', '--cache', '-a', '-y', '--json']);
    expect(run.code).toBe(3);
    const json = JSON.parse(run.stdout) as ActJson;
    expect(json.outcome.map((row) => `${row.node} ${row.action} ${row.result}`)).toEqual(['glance01 clear-cache done', 'glance02 clear-cache skipped', 'glance03 clear-cache skipped']);
    expect([writes(fleet.nodes[1]!), writes(fleet.nodes[2]!)]).toEqual([[], []]);
    expect(fleet.nodes[1]!.state().cached.length).toBeGreaterThan(0);
  });

  it('sync: plans from glance01 alone and sends nothing to the sharing nodes; --like one of them is refused', async () => {
    const run = await runCli(['-i', fleet.inventory, 'sync', '--replicas', '3', '-a', '-y', '--json']);
    expect(run.code).toBe(3);
    const json = JSON.parse(run.stdout) as ActJson;
    expect(json.plan.every((item) => item.node === 'glance01')).toBe(true);
    expect(json.outcome.filter((row) => row.node !== 'glance01')).toEqual([
      expect.objectContaining({ node: 'glance02', image: null, action: 'sync', result: 'skipped' }),
      expect.objectContaining({ node: 'glance03', image: null, action: 'sync', result: 'skipped' }),
    ]);
    expect([writes(fleet.nodes[1]!), writes(fleet.nodes[2]!)]).toEqual([[], []]);
    const like = await runCli(['-i', fleet.inventory, 'sync', '--like', 'glance02', '-n', 'glance01', '-y']);
    expect(like.code).toBe(4);
    expect(like.stderr).toContain('error: --like glance02: the reference node lists another node\'s records');
    expect(allWrites(fleet).filter((line) => line.startsWith('glance01'))).toEqual(json.plan.map((item) => `glance01 PUT /v2/cache/${item.image!}`));
  });

  it('prune: evicts on glance01 only; the sharing nodes get a skipped row and count as failed in the metrics', async () => {
    const metrics = join(fleet.dir, 'prune.prom');
    const run = await runCli(['-i', fleet.inventory, 'prune', '-a', '--max-size', '1', '--lock', join(fleet.dir, 'prune.lock'), '--metrics-file', metrics, '-y', '--json']);
    expect(run.code).toBe(3);
    const json = JSON.parse(run.stdout) as ActJson & { evictions: { node: string }[] };
    expect(new Set(json.evictions.map((eviction) => eviction.node))).toEqual(new Set(['glance01']));
    expect(json.outcome.filter((row) => row.node !== 'glance01')).toEqual([
      expect.objectContaining({ node: 'glance02', image: null, action: 'prune', result: 'skipped' }),
      expect.objectContaining({ node: 'glance03', image: null, action: 'prune', result: 'skipped' }),
    ]);
    expect([writes(fleet.nodes[1]!), writes(fleet.nodes[2]!)]).toEqual([[], []]);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(metrics, 'utf8')).toMatch(/glance_cache_prune_node_failed\{node="glance03"\} 1/);
  });
});

describe('a healthy Epoxy fleet', () => {
  it('finds nothing: distinct rows on every node, exit 0, no warnings', async () => {
    await fleet.close();
    fleet = await simFleetOnDisk({ release: 'epoxy' });
    placeImage(fleet, 'everywhere', [0, 1, 2]);
    const run = await runCli(['-i', fleet.inventory, 'ls', '-a', '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect((JSON.parse(run.stdout) as { nodes: NodeJson[] }).nodes.map((node) => node.warnings)).toEqual([[], [], []]);
  });

  it('keeps each copy\'s row id and checksum: ls --per-node and where, in JSON', async () => {
    await fleet.close();
    fleet = await simFleetOnDisk({ release: 'epoxy', imagesPerNode: 0 });
    const id = placeImage(fleet, 'everywhere', [0, 2]);
    // Glance 30 leaves the checksum null; one copy carries one here, so that passing it through is checked too.
    fleet.nodes[0]!.putCacheEntry({ id, checksum: '939c1f89a646ec04085af35a81cd083a' });
    const truth = [0, 2].map((index) => fleet.nodes[index]!.state().cached[0]!);
    type Copy = { node: string; row_id: number | null; checksum: string | null; last_accessed: string; last_modified: string };
    const ls = JSON.parse((await runCli(['-i', fleet.inventory, 'ls', '-a', '--per-node', '--json'])).stdout) as { images: { id: string; copies: Copy[] }[] };
    expect(ls.images.find((entry) => entry.id === id)!.copies.map((copy) => [copy.node, copy.row_id, copy.checksum])).toEqual([
      ['glance01', truth[0]!.rowId, truth[0]!.checksum],
      ['glance03', truth[1]!.rowId, truth[1]!.checksum],
    ]);
    // Never read: the access Glance recorded when it cached the copy, just before its last_modified.
    const copy = ls.images[0]!.copies[0]!;
    expect(Date.parse(copy.last_accessed)).toBeLessThanOrEqual(Date.parse(copy.last_modified));
    const plain = JSON.parse((await runCli(['-i', fleet.inventory, 'ls', '-a', '--json'])).stdout) as { images: Record<string, unknown>[] };
    expect(plain.images[0]).not.toHaveProperty('copies');
    const where = JSON.parse((await runCli(['-i', fleet.inventory, 'where', id, '-a', '--json'])).stdout) as { locations: { node: string; row_id: number | null; checksum: string | null }[] };
    expect(where.locations.map((location) => [location.node, location.row_id, location.checksum])).toEqual([
      ['glance01', truth[0]!.rowId, truth[0]!.checksum],
      ['glance02', null, null],
      ['glance03', truth[1]!.rowId, truth[1]!.checksum],
    ]);
  });
});

describe('witnesses outside the selection on a Zed fleet', () => {
  it('are not waited for when the selection lists no centralized_db records: a hung node outside it holds nothing up', async () => {
    const zed = await simFleetOnDisk({ count: 3 });
    try {
      const held = placeImage(zed, 'on-glance01', [0]);
      zed.nodes[2]!.setFaults({ hang: 'before-headers' });
      // With the hung witness waited for, this run would last the minute of --timeout, past the test's own limit.
      const run = await runCli(['-i', zed.inventory, 'purge', held, '-n', 'glance01', '-y', '--timeout', '60s', '-o', 'json']);
      expect(run.code).toBe(0);
      expect(run.stderr).not.toMatch(/warning|error/);
      expect(holdsImage(zed.nodes[0]!, held)).toBe('absent');
    } finally {
      await zed.close();
    }
  }, 20_000);
});
