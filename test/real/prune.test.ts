/**
 * prune against the real Keystone + glance-api fleet (test/fleet/fleet.sh): images of our own, cached
 * with different access times, pruned by each policy and checked on each node directly (raw GET
 * /v2/cache); the lock between two real processes; a run killed mid-way and the next one finishing it;
 * a cron-style run with its summary and metrics. Every run protects (--keep) whatever is not this
 * test's, so the seeded images and other tests' images are never touched; afterAll deletes our images
 * and restores the seeded caches.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readThroughNode } from '../contract/real-fleet.js';
import { buildDist } from '../helpers/build.js';
import { runCli } from '../helpers/run-cli.js';
import { describeReal, fleetToken, nodeCache } from './support.js';

const root = new URL('../..', import.meta.url).pathname;
const bin = join(root, 'bin/glance-cache.js');
const fleetScript = join(root, 'test/fleet/fleet.sh');
const SIZE = 64 * 1024;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface PruneJson {
  evictions: { node: string; image: string; reasons: string[] }[];
  outcome: { node: string; image: string | null; result: string }[];
}

describeReal('prune on a real fleet', (fleet, env) => {
  const dispatcher = new Agent();
  const suffix = `${process.pid}-${Date.now()}`;
  const images: Record<string, string> = {};
  const deleted = new Set<string>();
  let token: string;
  let dir: string;
  const url = (node: string) => fleet.nodes.find((candidate) => candidate.name === node)!.url;
  const cacheOn = async (nodes: string[], ...names: string[]) => {
    for (const name of names) for (const node of nodes) await readThroughNode(url(node), images[name]!, token, dispatcher);
  };
  const holders = async (name: string) => {
    const found: string[] = [];
    for (const node of fleet.nodes) if ((await nodeCache(node.url, token)).cached.includes(images[name]!)) found.push(node.name);
    return found;
  };
  /** Every image cached anywhere that is not one of `mine`: kept out of each run's reach. */
  const othersThan = async (mine: string[]) => {
    const ours = new Set(mine.map((name) => images[name]!));
    const cached = new Set<string>();
    for (const node of fleet.nodes) for (const id of (await nodeCache(node.url, token)).cached) if (!ours.has(id)) cached.add(id);
    return [...cached];
  };
  const keepArgs = async (mine: string[]) => {
    const others = await othersThan(mine);
    return others.length ? ['--keep', others.join(',')] : [];
  };
  const prune = async (mine: string[], args: string[]) => runCli(['prune', '--lock', join(dir, 'prune.lock'), ...(await keepArgs(mine)), ...args], { env });

  beforeAll(async () => {
    buildDist();
    dir = mkdtempSync(join(tmpdir(), 'glance-cache-real-prune-'));
    token = await fleetToken(fleet, 'admin');
    for (const name of ['L1', 'L2', 'L3', 'O1', 'O2', 'X', 'R', 'K', 'M1', 'M2', 'M3', 'M4']) {
      images[name] = execFileSync('bash', [fleetScript, 'upload-image', `gc-prune-${name}-${suffix}`, String(SIZE)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    }
  }, 120_000);

  afterAll(async () => {
    for (const id of Object.values(images)) if (!deleted.has(id)) execFileSync('bash', [fleetScript, 'delete-image', id], { stdio: 'ignore' });
    execFileSync('bash', [fleetScript, 'reset-cache'], { stdio: 'ignore' });
    await dispatcher.close();
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('--max-size evicts least recently accessed first, as glance-cache-pruner, down to the limit', async () => {
    await cacheOn(['glance01'], 'L1');
    await pause(100);
    await cacheOn(['glance01'], 'L2');
    await pause(100);
    await cacheOn(['glance01'], 'L3');
    await pause(100);
    // Read again: L1 is now the most recently accessed, though it was cached first.
    await cacheOn(['glance01'], 'L1');
    const before = await nodeCache(url('glance01'), token);
    const mine = ['L1', 'L2', 'L3'];
    const list = await runCli(['ls', '-n', 'glance01', '--json'], { env });
    const bytes = (JSON.parse(list.stdout) as { nodes: { cached_bytes: number }[] }).nodes[0]!.cached_bytes;
    expect(before.cached).toEqual(expect.arrayContaining(mine.map((name) => images[name])));
    const run = await prune(mine, ['-n', 'glance01', '--max-size', String(bytes - 2 * SIZE), '--yes', '--json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as PruneJson;
    expect(json.evictions.map((row) => [row.image, row.reasons])).toEqual([[images.L2, ['max-size']], [images.L3, ['max-size']]]);
    const after = await nodeCache(url('glance01'), token);
    expect(after.cached).toContain(images.L1);
    expect(after.cached).not.toContain(images.L2);
    expect(after.cached).not.toContain(images.L3);
  });

  it('--older-than evicts the copies not read for that long, on each node by its own access time', async () => {
    await cacheOn(['glance02', 'glance03'], 'O1', 'O2');
    await pause(2500);
    await cacheOn(['glance02'], 'O2');
    const run = await prune(['O1', 'O2'], ['-a', '--older-than', '2s', '--yes', '--json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as PruneJson;
    expect(json.evictions.map((row) => `${row.node} ${row.image} ${row.reasons.join('+')}`).sort()).toEqual(
      [`glance02 ${images.O1} older-than`, `glance03 ${images.O1} older-than`, `glance03 ${images.O2} older-than`].sort(),
    );
    expect(await holders('O1')).toEqual([]);
    expect(await holders('O2')).toEqual(['glance02']);
  });

  it('--orphans evicts an image deleted in Glance from every node that still caches it', async () => {
    await cacheOn(['glance01', 'glance02', 'glance03'], 'X');
    execFileSync('bash', [fleetScript, 'delete-image', images.X!], { stdio: 'ignore' });
    deleted.add(images.X!);
    // The node that served the image DELETE (glance01) dropped its own copy; the others keep theirs (seen).
    expect(await holders('X')).toEqual(['glance02', 'glance03']);
    const run = await prune(['X'], ['-a', '--orphans', '--yes', '--json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as PruneJson;
    expect(json.evictions.map((row) => `${row.node} ${row.reasons.join('+')}`)).toEqual(['glance02 orphan', 'glance03 orphan']);
    expect(await holders('X')).toEqual([]);
  });

  it('--max-replicas keeps the copy read most; --keep by name protects an image entirely', async () => {
    await cacheOn(['glance01', 'glance02', 'glance03'], 'R', 'K');
    await cacheOn(['glance02'], 'R', 'R');
    const run = await prune(['R', 'K'], ['-a', '--max-replicas', '1', '--keep', `gc-prune-K-${suffix}`, '--yes', '--json']);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as PruneJson).evictions.map((row) => `${row.node} ${row.image} ${row.reasons.join('+')}`)).toEqual([
      `glance01 ${images.R} max-replicas`,
      `glance03 ${images.R} max-replicas`,
    ]);
    expect(await holders('R')).toEqual(['glance02']);
    expect(await holders('K')).toEqual(['glance01', 'glance02', 'glance03']);
  });

  it('two prunes at once: the second is refused by the lock with exit 5, naming the first', async () => {
    const lock = join(dir, 'contended.lock');
    const first = spawn(process.execPath, [bin, 'prune', '-a', '--dry-run', '--lock', lock], { stdio: ['ignore', 'ignore', 'ignore'], env: { ...process.env, ...env } });
    const firstExit = once(first, 'exit');
    while (!existsSync(lock)) await pause(5);
    // Frozen while it holds the lock, so the overlap does not depend on how fast either run is.
    first.kill('SIGSTOP');
    try {
      const second = spawn(process.execPath, [bin, 'prune', '-a', '--dry-run', '--lock', lock], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
      let stderr = '';
      second.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = await once(second, 'exit');
      expect(code).toBe(5);
      expect(stderr).toContain(`another prune is running (pid ${first.pid}`);
    } finally {
      first.kill('SIGCONT');
    }
    expect((await firstExit)[0]).toBe(0);
    expect(existsSync(lock)).toBe(false);
  });

  it('a run killed mid-way leaves a stale lock; the next run, from cron (no terminal), recovers it and finishes the plan', async () => {
    const mine = ['M1', 'M2', 'M3', 'M4'];
    const nodes = fleet.nodes.map((node) => node.name);
    await cacheOn(nodes, ...mine);
    const lock = join(dir, 'killed.lock');
    const args = ['prune', '-a', '--max-size', '0', '--fanout', '1', '--node-concurrency', '1', '--lock', lock, ...(await keepArgs(mine))];
    const killed = spawn(process.execPath, [bin, ...args, '--yes'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
    const exit = once(killed, 'exit');
    await new Promise<void>((resolve) => {
      let seen = '';
      killed.stderr.on('data', (chunk: Buffer) => {
        seen += chunk.toString();
        if (/ evicted /.test(seen)) {
          killed.kill('SIGKILL');
          resolve();
        }
      });
    });
    expect((await exit)[1]).toBe('SIGKILL');
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: killed.pid });
    const left = (await Promise.all(mine.map(holders))).flat().length;
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(mine.length * nodes.length);

    const cron = (extra: string[]) => {
      const child = spawn(process.execPath, [bin, ...args, ...extra], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      return once(child, 'exit').then(([code]) => ({ code: code as number, stdout, stderr }));
    };
    const refused = await cron([]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/refusing to prune .* without confirmation: no terminal to ask on/);
    // The first run after the kill finds the lock stale, whatever it goes on to do.
    expect(refused.stderr).toMatch(new RegExp(`warning: .*killed\\.lock: recovered a stale lock left by pid ${killed.pid} `));

    const summary = join(dir, 'summary.json');
    const metrics = join(dir, 'glance_cache_prune.prom');
    const done = await cron(['--yes', '--summary', summary, '--metrics-file', metrics]);
    expect(done.code).toBe(0);
    expect(done.stderr).not.toMatch(/warning/);
    expect(done.stderr).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z glance\d\d: evicted gc-prune-M\d/m);
    for (const name of mine) expect(await holders(name)).toEqual([]);
    const report = JSON.parse(readFileSync(summary, 'utf8')) as { exit_code: number; results: { node: string; freed_images: number; failed: boolean }[]; outcome: { result: string }[] };
    expect(report.exit_code).toBe(0);
    expect(report.outcome.length).toBe(left);
    expect(report.outcome.every((row) => row.result === 'done')).toBe(true);
    expect(report.results.reduce((total, row) => total + row.freed_images, 0)).toBe(left);
    const text = readFileSync(metrics, 'utf8');
    expect(text).toMatch(/^glance_cache_prune_nodes_failed 0$/m);
    expect(Number(/^glance_cache_prune_last_success_timestamp_seconds (\S+)$/m.exec(text)?.[1])).toBeGreaterThan(Date.now() / 1000 - 60);
    expect(existsSync(lock)).toBe(false);
  });
});
