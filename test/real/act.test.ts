/**
 * queue and purge against the real Keystone + glance-api fleet (test/fleet/fleet.sh), checked against what
 * each node says directly. Each test works on a freshly uploaded image of its own and removes it after,
 * so the seeded placement other tests rely on is never touched.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import type { ActJson } from '../e2e/act-support.js';
import { describeReal, fleetToken, nodeCache, onlyCloud } from './support.js';

const FLEET_SH = fileURLToPath(new URL('../fleet/fleet.sh', import.meta.url));

function fleetSh(...args: string[]): string {
  return execFileSync('bash', [FLEET_SH, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

describeReal('acting on a real fleet', (fleet, fleetEnv) => {
  const env = onlyCloud(fleetEnv, 'fleet-admin');
  let token: string;
  const uploaded: string[] = [];
  beforeAll(async () => {
    token = await fleetToken(fleet, 'admin');
  });
  afterEach(async () => {
    for (const id of uploaded.splice(0)) {
      for (const node of fleet.nodes) await fetch(`${node.url}/v2/cache/${id}`, { method: 'DELETE', headers: { 'x-auth-token': token } });
      try {
        fleetSh('delete-image', id);
      } catch {
        // Already deleted by the test itself (the orphan case).
      }
    }
  });

  /** A fresh active image, cached nowhere yet. */
  const upload = () => {
    const id = fleetSh('upload-image', `act-test-${randomUUID().slice(0, 8)}`, '8192').split('\n').at(-1)!;
    uploaded.push(id);
    return id;
  };
  /** Which nodes cache or queue the image, by their own GET /v2/cache. */
  const holders = async (id: string) => {
    const names: string[] = [];
    for (const node of fleet.nodes) {
      const cache = await nodeCache(node.url, token);
      if (cache.cached.includes(id) || cache.queued.includes(id)) names.push(node.name);
    }
    return names;
  };
  const cli = (args: string[], options: Parameters<typeof runCli>[1] = {}) => runCli(args, { env, ...options });

  it('queue on two of three nodes caches the image on exactly those two', async () => {
    const id = upload();
    const run = await cli(['queue', id, '-n', 'glance01,glance02', '--yes', '--json']);
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as ActJson;
    expect(json.outcome.map((row) => [row.node, row.result])).toEqual([
      ['glance01', 'done'],
      ['glance02', 'done'],
    ]);
    expect(await holders(id)).toEqual(['glance01', 'glance02']);
    const [first] = fleet.nodes;
    expect((await nodeCache(first!.url, token)).cached).toContain(id);
  });

  it('purge drops an orphan (deleted in Glance, still cached) from the nodes that hold it', async () => {
    const id = upload();
    // Not on glance01: fleet.sh deletes through it, and a node drops its own copy of an image deleted through it.
    fleetSh('cache-image', 'glance02', id);
    fleetSh('cache-image', 'glance03', id);
    fleetSh('delete-image', id);
    expect(await holders(id)).toEqual(['glance02', 'glance03']);
    const run = await cli(['purge', id, '--all-nodes', '--yes', '--json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as ActJson;
    expect(json.outcome.map((row) => [row.node, row.action, row.result])).toEqual([
      ['glance01', 'delete', 'already'],
      ['glance02', 'delete', 'done'],
      ['glance03', 'delete', 'done'],
    ]);
    expect(await holders(id)).toEqual([]);
  });

  it('a member-role token gets exit 4, the policy named, and nothing changes', async () => {
    const before = await Promise.all(fleet.nodes.map((node) => nodeCache(node.url, token)));
    const run = await cli(['purge', 'cirros-0.6.2', '--all-nodes', '--yes', '--os-cloud', 'fleet-member']);
    expect(run.code).toBe(4);
    for (const node of fleet.nodes) expect(run.stderr).toMatch(new RegExp(`${node.name}: forbidden: policy cache_list`));
    expect(await Promise.all(fleet.nodes.map((node) => nodeCache(node.url, token)))).toEqual(before);
  });

  it('a node stopped mid-run is reported unanswered (it may still act on the request), the others finish: exit 3', async () => {
    const id = upload();
    const stopped = fleet.nodes[1]!;
    let run: Awaited<ReturnType<typeof cli>>;
    try {
      run = await cli(['queue', id, '--all-nodes', '--timeout', '3s', '--json'], {
        tty: true,
        // After the plan was made from every node's listing, before anything is sent: mid-run.
        confirm: async () => {
          process.kill(stopped.pid, 'SIGSTOP');
          return true;
        },
      });
    } finally {
      process.kill(stopped.pid, 'SIGCONT');
    }
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/error: glance02: timed out after 3s, after the request went out: it may have taken effect \(check with glance-cache where -n glance02\)/);
    const json = JSON.parse(run.stdout) as ActJson;
    expect(json.outcome.map((row) => [row.node, row.result, row.error])).toEqual([
      ['glance01', 'done', null],
      ['glance02', 'unknown', 'timed out after 3s'],
      ['glance03', 'done', null],
    ]);
    const cached = await Promise.all([fleet.nodes[0]!, fleet.nodes[2]!].map((node) => nodeCache(node.url, token)));
    expect(cached.every((cache) => cache.cached.includes(id))).toBe(true);
  });
});
