/**
 * The fleet audit against the real fleet (test/fleet/fleet.sh), through the built bin as an operator who
 * sourced the fleet's env.sh runs it. Epoxy (centralized_db): glance03 restarted with glance02's
 * worker_self_reference_url lists glance02's database rows while its disk holds its own files; every
 * command must say so, and a purge aimed at glance03 must send it nothing, as glance03's own listing and
 * request log show. glance03 gets its own URL back before the file ends, whatever failed, so the files
 * after this one face a healthy fleet. Zed (sqlite driver): entries carry no row ids and nodes have no
 * worker_self_reference_url, so the audit has nothing to find.
 */
import { execFile, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildDist } from '../helpers/build.js';
import type { ActJson } from '../e2e/act-support.js';
import { describeReal, fleetToken } from './support.js';
import type { NodeJson } from '../helpers/audit-json.js';

const root = new URL('../..', import.meta.url).pathname;
const bin = join(root, 'bin/glance-cache.js');
const FLEET_SH = join(root, 'test/fleet/fleet.sh');

function fleetSh(...args: string[]): string {
  return execFileSync('bash', [FLEET_SH, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** The built bin with env.sh's variables; `lines` is stderr without the timestamps it gets off a terminal. */
function glanceCache(env: Record<string, string>, args: string[]): Promise<{ code: number; stdout: string; lines: string[] }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { env: { ...process.env, ...env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      const lines = stderr.trimEnd().split('\n').filter((line) => line !== '');
      resolve({ code: error ? Number(error.code) : 0, stdout, lines: lines.map((line) => line.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z /, '')) });
    });
  });
}

/** A node's own GET /v2/cache, every field of each cached entry as Glance gives it. */
async function rawCached(url: string, token: string, requestId?: string): Promise<Record<string, unknown>[]> {
  // No kept-alive socket: it would outlive a restarted node.
  const headers: Record<string, string> = { 'x-auth-token': token, accept: 'application/json', connection: 'close' };
  if (requestId) headers['x-openstack-request-id'] = requestId;
  const response = await fetch(`${url}/v2/cache`, { headers });
  if (response.status !== 200) throw new Error(`${url}/v2/cache answered ${response.status}`);
  const body = (await response.json()) as { cached_images: Record<string, unknown>[] };
  return body.cached_images.sort((a, b) => String(a.image_id).localeCompare(String(b.image_id)));
}

describeReal('the fleet audit on a real fleet', (fleet, env) => {
  const cli = (...args: string[]) => glanceCache(env, args);
  const url = (name: string) => fleet.nodes.find((node) => node.name === name)!.url;
  let token: string;
  beforeAll(async () => {
    buildDist();
    token = await fleetToken(fleet, 'admin');
  });

  if (fleet.release !== 'epoxy') {
    it('Zed: entries carry no row ids and nodes no worker_self_reference_url, so the audit finds nothing; exit 0', async () => {
      for (const node of fleet.nodes) for (const entry of await rawCached(node.url, token)) expect(entry).not.toHaveProperty('id');
      const run = await cli('ls', '-a', '-o', 'json');
      expect(run.lines).toEqual([]);
      expect(run.code).toBe(0);
      const nodes = (JSON.parse(run.stdout) as { nodes: NodeJson[] }).nodes;
      expect(nodes.map((node) => [node.name, node.cache_driver, node.warnings])).toEqual(fleet.nodes.map((node) => [node.name, null, []]));
      expect(() => fleetSh('restart-node', 'glance03', '--self-reference-of', 'glance02')).toThrow(/restart-node: a zed fleet's nodes have no worker_self_reference_url/);
    });
    return;
  }

  /** Its own image on each of the two nodes: their disks surely differ. */
  const mine = { glance02: '', glance03: '' };
  /** glance02's and glance03's own listings before glance03's restart. */
  const before: Record<string, Record<string, unknown>[]> = {};
  let restored = false;
  const restore = () => {
    fleetSh('restart-node', 'glance03');
    restored = true;
  };

  beforeAll(async () => {
    for (const node of ['glance02', 'glance03'] as const) {
      mine[node] = fleetSh('upload-image', `audit-test-${node}-${randomUUID().slice(0, 8)}`, '8192').split('\n').at(-1)!;
      fleetSh('cache-image', node, mine[node]);
      before[node] = await rawCached(url(node), token);
    }
    fleetSh('restart-node', 'glance03', '--self-reference-of', 'glance02');
  }, 180_000);

  afterAll(async () => {
    // Whatever failed above: the files after this one need glance03 listing its own records.
    if (!restored) restore();
    for (const id of Object.values(mine).filter(Boolean)) {
      for (const node of fleet.nodes) await fetch(`${node.url}/v2/cache/${id}`, { method: 'DELETE', headers: { 'x-auth-token': token, connection: 'close' } });
      fleetSh('delete-image', id);
    }
  }, 180_000);

  /** The row ids glance02's worker_self_reference_url holds, ascending: what both nodes now list. */
  const sharedRowIds = async () => (await rawCached(url('glance02'), token)).map((entry) => entry.id as number).sort((a, b) => a - b);
  const auditLine = (ids: number[]) =>
    `warning: glance02 and glance03 list the same cache records (row ids ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ` and ${ids.length - 5} more` : ''}): ` +
    "they likely share one worker_self_reference_url; their listings show that URL's database rows, not what each node's disk holds";
  const expectWarned = (nodes: NodeJson[], ids: number[]) => {
    expect(nodes.map((node) => [node.name, node.ok, node.cache_driver, node.warnings.length])).toEqual([
      ['glance01', true, 'centralized_db', 0],
      ['glance02', true, 'centralized_db', 1],
      ['glance03', true, 'centralized_db', 1],
    ]);
    for (const [node, other] of [[nodes[1]!, 'glance03'], [nodes[2]!, 'glance02']] as const) {
      expect(node.warnings[0]).toEqual({ kind: 'shared_records', nodes: ['glance02', 'glance03'], row_ids: ids, message: expect.stringMatching(new RegExp(`^lists the same cache records as ${other} \\(row ids? \\d+`)) });
    }
  };

  /**
   * The requests a node logged from `offset` on, as "METHOD PATH": a marked GET of our own, once logged,
   * says every request before it is logged too.
   */
  const loggedSince = async (node: string, offset: number) => {
    const log = join(env.GLANCE_CACHE_FLEET_DIR!, 'logs', `${node}.log`);
    const marker = `req-${randomUUID()}`;
    await rawCached(url(node), token, marker);
    for (let waited = 0; waited < 10_000; waited += 100) {
      const text = readFileSync(log).subarray(offset).toString('utf8');
      const at = text.indexOf(marker);
      if (at >= 0) return [...text.slice(0, text.lastIndexOf('\n', at)).matchAll(/"([A-Z]+) (\S+) HTTP\/[\d.]+"/g)].map((match) => `${match[1]!} ${match[2]!}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${node} did not log request ${marker} in ${log}`);
  };
  const logSize = (node: string) => readFileSync(join(env.GLANCE_CACHE_FLEET_DIR!, 'logs', `${node}.log`)).length;

  it('the premise: glance03 now lists glance02\'s rows, not the image its own disk holds', async () => {
    expect(before.glance02!.map((entry) => entry.image_id)).toContain(mine.glance02);
    expect(before.glance02!.map((entry) => entry.image_id)).not.toContain(mine.glance03);
    expect(before.glance03!.map((entry) => entry.image_id)).toContain(mine.glance03);
    expect(before.glance03!.map((entry) => entry.image_id)).not.toContain(mine.glance02);
    const now = await rawCached(url('glance03'), token);
    expect(now).toEqual(await rawCached(url('glance02'), token));
    expect(now.map((entry) => entry.image_id)).not.toContain(mine.glance03);
    expect(existsSync(join(fleet.nodes[2]!.cache_dir, mine.glance03))).toBe(true);
  });

  it('ls -a -o json: exit 3, one stderr line naming glance02 and glance03, a shared_records warning on each', async () => {
    const run = await cli('ls', '-a', '-o', 'json');
    const ids = await sharedRowIds();
    expect(run.lines).toEqual([auditLine(ids)]);
    expect(run.code).toBe(3);
    expectWarned((JSON.parse(run.stdout) as { nodes: NodeJson[] }).nodes, ids);
  });

  it('nodes -a: the same finding, per node in the JSON; exit 3', async () => {
    const run = await cli('nodes', '-a', '-o', 'json');
    const ids = await sharedRowIds();
    expect(run.lines).toEqual([auditLine(ids)]);
    expect(run.code).toBe(3);
    expectWarned((JSON.parse(run.stdout) as { nodes: NodeJson[] }).nodes, ids);
  });

  it('purge aimed at glance03: nothing sent to it (its own listing and request log), the row skipped with the reason; exit 3', async () => {
    const image = mine.glance02;
    const listed = { glance02: await rawCached(url('glance02'), token), glance03: await rawCached(url('glance03'), token) };
    expect(listed.glance03.map((entry) => entry.image_id)).toContain(image);
    const offsets = { glance02: logSize('glance02'), glance03: logSize('glance03') };
    const run = await cli('purge', image, '-n', 'glance03', '-y', '-o', 'json');
    // First, before any request of ours: glance03 was only listed, glance02 only listed as a witness.
    for (const node of ['glance02', 'glance03'] as const) {
      const requests = await loggedSince(node, offsets[node]);
      expect(requests).toContain('GET /v2/cache');
      expect(requests.filter((request) => !request.startsWith('GET '))).toEqual([]);
    }
    const ids = await sharedRowIds();
    expect(run.lines).toEqual([auditLine(ids), 'warning: glance03: nothing sent to this node: its listing does not tell what it holds']);
    expect(run.code).toBe(3);
    const json = JSON.parse(run.stdout) as ActJson;
    expect(json.plan).toEqual([]);
    expect(json.outcome).toEqual([
      {
        node: 'glance03',
        image,
        name: expect.stringMatching(/^audit-test-glance02-/),
        action: 'delete',
        result: 'skipped',
        ok: false,
        error: 'not sent: lists the same cache records as glance02 (likely the same worker_self_reference_url), so what it holds is unknown',
        note: null,
      },
    ]);
    // A DELETE through glance03 would have dropped glance02's row: both listings are as they were.
    expect(await rawCached(url('glance03'), token)).toEqual(listed.glance03);
    expect(await rawCached(url('glance02'), token)).toEqual(listed.glance02);
  });

  it('restored with its own worker_self_reference_url, glance03 lists its own records and the fleet is healthy: exit 0', async () => {
    restore();
    expect((await rawCached(url('glance03'), token)).map((entry) => entry.image_id)).toEqual(before.glance03!.map((entry) => entry.image_id));
    const run = await cli('ls', '-a', '-o', 'json');
    expect(run.lines).toEqual([]);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { nodes: NodeJson[] }).nodes.map((node) => node.warnings)).toEqual([[], [], []]);
  }, 60_000);
});
