/**
 * prune through main() against simulated nodes, as cron runs it: no terminal, the confirmation rules,
 * --dry-run, the --max-deletes cap, the lock, the summary and metrics files, a node failing mid-run and
 * the next run finishing its work, server-side prune.
 */
import { chmodSync, closeSync, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildDist } from '../helpers/build.js';
import type { SimNode } from '../../src/sim/index.js';
import { runCli } from '../helpers/run-cli.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';
import type { ActJson } from './act-support.js';

const MiB = 1024 * 1024;
/** Epoch seconds of the cache entries: an hour apart, oldest first. */
const HOUR = 3600;
const BASE = Math.floor(Date.now() / 1000) - 100 * HOUR;

interface PruneJson extends ActJson {
  policies: Record<string, unknown>;
  evictions: { node: string; image: string; name: string | null; size: number; reasons: string[] }[];
  node_plans: { node: string; limit: number | null; server_side: boolean; kept_bytes: number }[];
  max_deletes_exceeded?: boolean;
}

const bin = new URL('../../bin/glance-cache.js', import.meta.url).pathname;
let fleet: SimFleetOnDisk;
let inventory: string;
let lock: string;
/** Image name to ID. */
let ids: Record<string, string>;

/**
 * glance01 caches a..e (1 MiB each, a read longest ago), glance02 caches a..c, glance03 caches a and b;
 * max_size 3 MiB everywhere: glance01 is two images over.
 */
beforeEach(async () => {
  fleet = await simFleetOnDisk({ imagesPerNode: 0, nodeOptions: (index) => (index === 2 ? { apiVersion: 'v2.18', maxSizeBytes: 1 * MiB } : {}) });
  inventory = join(fleet.dir, 'prune.yaml');
  writeFileSync(inventory, `${fleet.inventoryYaml()}defaults:\n  max_size: 3MiB\n`);
  lock = join(fleet.dir, 'prune.lock');
  ids = {};
  for (const name of ['a', 'b', 'c', 'd', 'e']) ids[name] = fleet.catalog.add({ name, size: MiB }).id;
  const place = (node: SimNode, names: string[]) => {
    for (const name of names) {
      const index = Object.keys(ids).indexOf(name);
      node.putCacheEntry({ id: ids[name]!, size: MiB, hits: index, lastAccessed: BASE + index * HOUR, lastModified: BASE });
    }
  };
  place(fleet.nodes[0]!, ['a', 'b', 'c', 'd', 'e']);
  place(fleet.nodes[1]!, ['a', 'b', 'c']);
  place(fleet.nodes[2]!, ['a', 'b']);
});
afterEach(async () => {
  await fleet.close();
});

const prune = (args: string[], options: Parameters<typeof runCli>[1] = {}) => runCli(['-i', inventory, 'prune', '--lock', lock, ...args], options);
const writes = () => fleet.nodes.flatMap((node) => node.requests.filter((request) => request.method !== 'GET').map((request) => `${node.name} ${request.method} ${request.path}`));
const cachedNames = (node: SimNode) => node.state().cached.map((entry) => Object.keys(ids).find((name) => ids[name] === entry.id) ?? entry.id).sort();

describe('prune', () => {
  it('refuses without a terminal unless --yes: exit 2, the plan printed, nothing sent', async () => {
    const run = await prune(['-a']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z plan: prune 1 node \(2 deletions of 2 images, 2\.0 MiB\):$/m);
    expect(run.stderr).toContain(`delete "a" (${ids.a}) on glance01`);
    expect(run.stderr).toContain('error: refusing to prune 1 node (2 deletions of 2 images, 2.0 MiB) without confirmation: no terminal to ask on; pass --yes');
    expect(writes()).toEqual([]);
    expect(existsSync(lock)).toBe(false);
  });

  it('--dry-run sends no DELETE, PUT or POST at all, and shows every eviction with its reasons', async () => {
    const run = await prune(['-a', '--dry-run', '--orphans', '--max-replicas', '2', '--json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as PruneJson;
    expect(json.dry_run).toBe(true);
    // a and b leave glance01 for its size limit first; then they are on two nodes each, within --max-replicas.
    expect(json.evictions.map((row) => `${row.node} ${row.name} ${row.reasons.join('+')}`)).toEqual(['glance01 a max-size', 'glance01 b max-size']);
    expect(json.plan).toEqual([
      { node: 'glance01', image: ids.a, action: 'delete' },
      { node: 'glance01', image: ids.b, action: 'delete' },
    ]);
    const replicas = JSON.parse((await prune(['-a', '--dry-run', '--max-replicas', '1', '--json'])).stdout) as PruneJson;
    // One copy of each, kept where it is read most, then most recently, then on the first node by name.
    expect(replicas.evictions.map((row) => `${row.node} ${row.name} ${row.reasons.join('+')}`)).toEqual(['glance01 a max-size', 'glance01 b max-size', 'glance02 c max-replicas', 'glance03 a max-replicas', 'glance03 b max-replicas']);
    expect(json.outcome).toEqual([]);
    expect(writes()).toEqual([]);
  });

  it('with --yes evicts least recently accessed first down to each node’s max_size, one timestamped log line per action', async () => {
    const run = await prune(['-a', '--yes', '--json']);
    expect(run.code).toBe(0);
    expect(writes()).toEqual([`glance01 DELETE /v2/cache/${ids.a}`, `glance01 DELETE /v2/cache/${ids.b}`]);
    expect(cachedNames(fleet.nodes[0]!)).toEqual(['c', 'd', 'e']);
    expect(cachedNames(fleet.nodes[1]!)).toEqual(['a', 'b', 'c']);
    const json = JSON.parse(run.stdout) as PruneJson;
    expect(json.outcome.map((row) => `${row.node} ${row.action} ${row.name} ${row.result}`)).toEqual(['glance01 delete a done', 'glance01 delete b done']);
    expect(run.stderr).toMatch(new RegExp(`^\\d{4}-[\\d-]+T[\\d:.]+Z glance01: evicted a \\(${ids.a}\\), 1\\.0 MiB \\[max-size\\]$`, 'm'));
    expect(run.stderr).toMatch(/Z freed 2 cached images \(2\.0 MiB\) on 1 node$/m);
    expect(existsSync(lock)).toBe(false);

    const again = await prune(['-a', '--yes']);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/nothing to prune: every node is within the policies/);
    expect(writes()).toHaveLength(2);
  });

  it('-q leaves stderr empty on success', async () => {
    const run = await prune(['-a', '--yes', '-q']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(writes()).toHaveLength(2);
  });

  it('never evicts what --keep or the inventory protects, by name or ID, even as an orphan', async () => {
    fleet.catalog.delete(ids.e!);
    writeFileSync(inventory, `${readFileSync(inventory, 'utf8')}protect: [a, ${ids.e}]\n`);
    const run = await prune(['-a', '--yes', '--orphans', '--keep', 'b', '--json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as PruneJson;
    expect(json.evictions.map((row) => `${row.node} ${row.name} ${row.reasons.join('+')}`)).toEqual(['glance01 c max-size', 'glance01 d max-size']);
    expect(json.policies).toMatchObject({ keep: ['b'], protect: ['a', ids.e], orphans: true });
    expect(cachedNames(fleet.nodes[0]!)).toEqual(['a', 'b', 'e']);
  });

  it('names an orphan "(not in Glance)" in the plan and outcome tables, as ls does; JSON and tsv keep it empty', async () => {
    fleet.catalog.delete(ids.e!);
    const table = (args: string[]) => prune(['-a', '--orphans', '--max-size', '100GiB', '-f', 'table', '-c', 'node', '-c', 'name', ...args]);
    const plan = await table(['--dry-run']);
    expect(plan.stdout).toMatch(/│ glance01 +│ \(not in Glance\) +│/);
    const tsv = await prune(['-a', '--orphans', '--max-size', '100GiB', '--dry-run', '-c', 'name']);
    expect(tsv.stdout).toBe('Name\n\n');
    const outcome = await table(['--yes']);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/│ glance01 +│ \(not in Glance\) +│/);
  });

  it('--max-deletes: a bigger plan is printed, nothing is deleted, exit 2', async () => {
    const run = await prune(['-a', '--yes', '--max-deletes', '1', '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error: the plan has 2 deletions, more than --max-deletes 1: nothing was deleted');
    const json = JSON.parse(run.stdout) as PruneJson;
    expect(json).toMatchObject({ max_deletes_exceeded: true, outcome: [] });
    expect(json.plan).toHaveLength(2);
    expect(writes()).toEqual([]);
    expect((await prune(['-a', '--yes', '--max-deletes', '2'])).code).toBe(0);
  });

  it('a second run while the first holds the lock exits 5 at once, naming the holder, and sends nothing', async () => {
    writeFileSync(lock, JSON.stringify({ pid: process.pid, started_at: '2026-01-01T00:00:00.000Z', process_start: null }));
    const run = await prune(['-a', '--yes']);
    expect(run.code).toBe(5);
    expect(run.stderr).toBe(`error: ${lock}: another prune is running (pid ${process.pid}, started 2026-01-01T00:00:00.000Z); not starting a second one\n`);
    expect(fleet.nodes.every((node) => node.requests.length === 0)).toBe(true);
  });

  it('two runs at once: one prunes, the other is refused by the lock', async () => {
    for (const node of fleet.nodes) node.setFaults({ latencyMs: 200 });
    const [first, second] = await Promise.all([prune(['-a', '--yes']), new Promise((resolve) => setTimeout(resolve, 50)).then(() => prune(['-a', '--yes']))]);
    // Whichever took the lock first (the second starts 50 ms later, within the first's 200 ms listing).
    expect([first.code, second.code].sort()).toEqual([0, 5]);
    expect((first.code === 5 ? first : second).stderr).toMatch(/another prune is running \(pid \d+/);
    expect(writes()).toHaveLength(2);
  });

  it('recovers the stale lock of a killed run with a warning, then prunes', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(lock, JSON.stringify({ pid: dead, started_at: '2026-01-01T00:00:00.000Z', process_start: null }));
    const run = await prune(['-a', '--yes', '-q']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`warning: ${lock}: recovered a stale lock left by pid ${dead} \\(started 2026-01-01T00:00:00.000Z\\), which is no longer running`));
    expect(writes()).toHaveLength(2);
    expect(existsSync(lock)).toBe(false);
  });

  it('uses $XDG_RUNTIME_DIR/glance-cache/prune.lock by default', async () => {
    const run = await runCli(['-i', inventory, 'prune', '-a', '--yes'], { env: { XDG_RUNTIME_DIR: fleet.dir } });
    expect(run.code).toBe(0);
    expect(existsSync(join(fleet.dir, 'glance-cache'))).toBe(true);
    expect(existsSync(join(fleet.dir, 'glance-cache', 'prune.lock'))).toBe(false);
  });

  it('writes the summary and the metrics; a node failing mid-run is exit 3 and named, and the next run finishes it', async () => {
    const summary = join(fleet.dir, 'summary.json');
    const metrics = join(fleet.dir, 'prune.prom');
    const reports = ['--summary', summary, '--metrics-file', metrics];
    const readSummary = () => JSON.parse(readFileSync(summary, 'utf8')) as PruneJson & { exit_code: number; error: string | null; results: { node: string; freed_bytes: number; freed_images: number; failed: boolean; interrupted: boolean }[] };
    const sample = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(readFileSync(metrics, 'utf8'))?.[1]);

    // A first success, to see its time carried over by the failure that follows.
    fleet.nodes[1]!.putCacheEntry({ id: ids.d!, size: MiB, lastAccessed: BASE - 2 * HOUR, lastModified: BASE - 2 * HOUR });
    const ok = await prune(['-n', 'glance02', '--yes', ...reports]);
    expect(ok.code).toBe(0);
    const firstSuccess = sample('glance_cache_prune_last_success_timestamp_seconds');
    expect(firstSuccess).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 20));

    fleet.nodes[1]!.putCacheEntry({ id: ids.e!, size: MiB, lastAccessed: BASE - HOUR, lastModified: BASE - HOUR });
    const failed = await prune(['-a', ...reports], { tty: true, confirm: async () => (fleet.nodes[1]!.setFaults({ status: 500 }), true) });
    expect(failed.code).toBe(3);
    expect(failed.stderr).toMatch(/error: glance02: HTTP 500/);
    let report = readSummary();
    expect(report.exit_code).toBe(3);
    expect(report.results).toEqual([
      { node: 'glance01', freed_bytes: 2 * MiB, freed_images: 2, failed: false, interrupted: false },
      { node: 'glance02', freed_bytes: 0, freed_images: 0, failed: true, interrupted: false },
      { node: 'glance03', freed_bytes: 0, freed_images: 0, failed: false, interrupted: false },
    ]);
    expect(report.outcome.filter((row) => !row.ok).map((row) => `${row.node} ${row.name} ${row.result}`)).toEqual(['glance02 e failed']);
    const text = readFileSync(metrics, 'utf8');
    expect(text).toContain('glance_cache_prune_freed_bytes{node="glance01"} 2097152\n');
    expect(text).toContain('glance_cache_prune_node_failed{node="glance02"} 1\n');
    expect(text).toContain('glance_cache_prune_nodes_failed 1\n');
    expect(sample('glance_cache_prune_last_success_timestamp_seconds')).toBe(firstSuccess);
    expect(sample('glance_cache_prune_last_run_timestamp_seconds')).toBeGreaterThan(firstSuccess);

    fleet.nodes[1]!.setFaults({});
    const next = await prune(['-a', '--yes', ...reports]);
    expect(next.code).toBe(0);
    report = readSummary();
    expect(report.plan).toEqual([{ node: 'glance02', image: ids.e, action: 'delete' }]);
    expect(report).toMatchObject({ exit_code: 0, error: null });
    expect(cachedNames(fleet.nodes[1]!)).toEqual(['a', 'b', 'c']);
    expect(sample('glance_cache_prune_last_success_timestamp_seconds')).toBeGreaterThan(firstSuccess);
    expect(sample('glance_cache_prune_nodes_failed')).toBe(0);
  });

  it('a plain Ctrl-C: the nodes it left unfinished are interrupted, not failed, in the summary and the metrics', async () => {
    const summary = join(fleet.dir, 'summary.json');
    const metrics = join(fleet.dir, 'prune.prom');
    for (const node of fleet.nodes) node.setFaults({ latencyMs: 100 });
    const interrupt = new AbortController();
    const running = prune(['-a', '--yes', '--max-size', '1B', '--node-concurrency', '1', '--fanout', '1', '--summary', summary, '--metrics-file', metrics], { signal: interrupt.signal });
    await until(() => writes().length >= 1);
    interrupt.abort();
    const run = await running;
    expect(run.code).toBe(130);
    const report = JSON.parse(readFileSync(summary, 'utf8')) as { results: { node: string; failed: boolean; interrupted: boolean }[]; outcome: { result: string }[] };
    expect(report.outcome.map((row) => row.result)).toContain('skipped');
    expect(report.results.filter((result) => result.failed)).toEqual([]);
    expect(report.results.filter((result) => result.interrupted).length).toBeGreaterThan(0);
    const text = readFileSync(metrics, 'utf8');
    expect(text).toContain('glance_cache_prune_nodes_failed 0\n');
    expect(text).not.toMatch(/^glance_cache_prune_node_failed\{.*\} 1$/m);
    expect(text).toContain('glance_cache_prune_interrupted 1\n');
  });

  it('records a refused run in the summary and the metrics without counting it a success', async () => {
    const summary = join(fleet.dir, 'summary.json');
    const metrics = join(fleet.dir, 'prune.prom');
    const run = await prune(['-a', '--summary', summary, '--metrics-file', metrics]);
    expect(run.code).toBe(2);
    const report = JSON.parse(readFileSync(summary, 'utf8')) as { exit_code: number; error: string; plan: unknown[]; outcome: unknown[] };
    expect(report).toMatchObject({ exit_code: 2, error: expect.stringMatching(/^refusing to prune/), outcome: [] });
    expect(report.plan).toHaveLength(2);
    expect(readFileSync(metrics, 'utf8')).toContain('glance_cache_prune_last_success_timestamp_seconds 0\n');
  });

  it('refuses a summary or metrics file it could not write before taking the lock or sending anything: exit 2, one line naming flag and path', async () => {
    const plainFile = join(fleet.dir, 'plain.txt');
    writeFileSync(plainFile, '');
    // /proc/self/fd/N names a regular file in a directory no file can be created in, root or not.
    const handle = openSync(plainFile, 'r');
    try {
      const cases: [string, string, string][] = [
        ['--summary', join(fleet.dir, 'missing', 'summary.json'), `cannot write in ${join(fleet.dir, 'missing')} (ENOENT)`],
        ['--summary', fleet.dir, 'is a directory; only a regular file (or none yet) can take a report'],
        ['--metrics-file', join(plainFile, 'prune.prom'), `${plainFile} is not a directory`],
        ['--metrics-file', `/proc/self/fd/${handle}`, 'cannot write in /proc/self/fd ('],
      ];
      for (const [flag, path, problem] of cases) {
        const run = await prune(['-a', '--yes', flag, path]);
        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/^error: [^\n]*\n$/);
        expect(run.stderr).toContain(`error: ${flag} ${path}: ${problem}`);
      }
    } finally {
      closeSync(handle);
    }
    expect(fleet.nodes.every((node) => node.requests.length === 0)).toBe(true);
    expect(existsSync(lock)).toBe(false);
    expect(readdirSync(fleet.dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a summary, metrics file or lock that is a FIFO before anything is sent: exit 2, the FIFO left as it was', async () => {
    const fifo = join(fleet.dir, 'reports.fifo');
    spawnSync('mkfifo', [fifo]);
    for (const flag of ['--summary', '--metrics-file']) {
      const run = await prune(['-a', '--yes', flag, fifo]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`error: ${flag} ${fifo}: is a named pipe (FIFO), not a regular file; only a regular file (or none yet) can take a report\n`);
    }
    const locked = await runCli(['-i', inventory, 'prune', '--lock', fifo, '-a', '--yes']);
    expect(locked.code).toBe(2);
    expect(locked.stderr).toBe(`error: ${fifo}: is a named pipe (FIFO), not a regular file; leaving it alone: choose another --lock\n`);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(writes()).toEqual([]);
  });

  // A device node made here with /dev/null's numbers: the CLI is never handed the real one.
  it.runIf(process.getuid?.() === 0)('never replaces or removes a device node given as --summary, --metrics-file or --lock: exit 2, the device left as it was', async () => {
    const device = join(fleet.dir, 'null');
    spawnSync('mknod', ['-m', '0666', device, 'c', '1', '3']);
    const before = lstatSync(device);
    expect(before.isCharacterDevice()).toBe(true);
    for (const flag of ['--summary', '--metrics-file']) {
      const run = await prune(['-a', '--yes', flag, device]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`error: ${flag} ${device}: is a character device, not a regular file; only a regular file (or none yet) can take a report\n`);
    }
    const locked = await runCli(['-i', inventory, 'prune', '--lock', device, '-a', '--yes']);
    expect(locked.code).toBe(2);
    expect(locked.stderr).toBe(`error: ${device}: is a character device, not a regular file; leaving it alone: choose another --lock\n`);
    const after = lstatSync(device);
    expect([after.isCharacterDevice(), after.rdev, after.mode, after.ino]).toEqual([true, before.rdev, before.mode, before.ino]);
    expect(writes()).toEqual([]);
  });

  it('a summary that cannot be written after the deletions is exit 74, not a success', async () => {
    // The path passes the checks up front; a directory takes its place before the deletions, so the final rename fails.
    const summary = join(fleet.dir, 'summary.json');
    const run = await prune(['-a', '--summary', summary], { tty: true, confirm: async () => (mkdirSync(summary), true) });
    expect(run.code).toBe(74);
    expect(run.stderr).toMatch(/--summary .*summary\.json: /);
    expect(writes().length).toBeGreaterThan(0);
  });

  it('refuses a summary, metrics file, lock or inventory that are one file: exit 2 naming both, nothing sent or written', async () => {
    const summary = join(fleet.dir, 'summary.json');
    const linked = join(fleet.dir, 'linked.yaml');
    symlinkSync(inventory, linked);
    const before = readFileSync(inventory, 'utf8');
    const cases: [string[], string][] = [
      [['--summary', lock], `--lock ${lock} is also --summary`],
      [['--summary', inventory], `the inventory ${inventory} is also --summary`],
      [['--summary', summary, '--metrics-file', summary], `--metrics-file ${summary} is also --summary`],
      [['--metrics-file', linked], `the inventory ${inventory} is also --metrics-file (${linked})`],
    ];
    for (const [args, message] of cases) {
      const run = await prune(['-a', '--yes', ...args]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`error: ${message}: give each its own file\n`);
    }
    const locked = await runCli(['-i', inventory, 'prune', '--lock', inventory, '-a', '--yes']);
    expect(locked.code).toBe(2);
    expect(locked.stderr).toBe(`error: the inventory ${inventory} is also --lock: give each its own file\n`);
    expect(fleet.nodes.every((node) => node.requests.length === 0)).toBe(true);
    expect(readFileSync(inventory, 'utf8')).toBe(before);
    expect(existsSync(lock) || existsSync(summary)).toBe(false);
  });

  it('writes the summary and the metrics private (0600), or with the mode the operator gave the file', async () => {
    const summary = join(fleet.dir, 'summary.json');
    const metrics = join(fleet.dir, 'prune.prom');
    expect((await prune(['-a', '--yes', '--summary', summary, '--metrics-file', metrics])).code).toBe(0);
    expect([statSync(summary).mode & 0o777, statSync(metrics).mode & 0o777]).toEqual([0o600, 0o600]);
    chmodSync(metrics, 0o644);
    expect((await prune(['-a', '--yes', '--summary', summary, '--metrics-file', metrics])).code).toBe(0);
    expect([statSync(summary).mode & 0o777, statSync(metrics).mode & 0o777]).toEqual([0o600, 0o644]);
  });

  it('a lock path that cannot be created is exit 2 naming it, and sends nothing', async () => {
    const run = await runCli(['-i', inventory, 'prune', '--lock', join(inventory, 'prune.lock'), '-a', '--yes']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${join(inventory, 'prune.lock')}: --lock: cannot take the lock`);
    expect(fleet.nodes.every((node) => node.requests.length === 0)).toBe(true);
  });

  it('--server-side: a v2.18 node prunes itself with one POST, the others are pruned client-side', async () => {
    const metrics = join(fleet.dir, 'prune.prom');
    const run = await prune(['-a', '--yes', '--server-side', '--metrics-file', metrics, '--json']);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as PruneJson;
    expect(json.plan.filter((item) => item.node === 'glance03')).toEqual([{ node: 'glance03', image: null, action: 'prune' }]);
    expect(json.node_plans.map((node) => [node.node, node.server_side])).toEqual([['glance01', false], ['glance02', false], ['glance03', true]]);
    expect(writes()).toEqual([`glance01 DELETE /v2/cache/${ids.a}`, `glance01 DELETE /v2/cache/${ids.b}`, 'glance03 POST /v2/cache/prune']);
    // glance03's own image_cache_max_size is 1 MiB: it evicted its least recently accessed image.
    expect(cachedNames(fleet.nodes[2]!)).toEqual(['b']);
    expect(run.stderr).toMatch(/glance03: server-side prune evicted 1 image \(1\.0 MiB\)/);
    expect(readFileSync(metrics, 'utf8')).toContain('glance_cache_prune_freed_bytes{node="glance03"} 1048576\n');
    expect((await prune(['-a', '--server-side', '--max-size', '1GiB'])).stderr).toMatch(/--server-side: nodes that prune themselves use their own image_cache_max_size/);
  });
});

/**
 * The built bin, as cron runs it: the early exits a process meets (a reader that leaves, a second Ctrl-C)
 * must still leave the reports, no staging files and no lock.
 */
describe('prune through the bin, when it is cut short', () => {
  beforeAll(() => buildDist());

  function spawnPrune(args: string[]): { child: ChildProcess; done: Promise<{ code: number | null; stdout: string; stderr: string }> } {
    const child = spawn(process.execPath, [bin, '-i', inventory, 'prune', '--lock', lock, ...args], { cwd: fleet.dir, env: { PATH: process.env.PATH ?? '', HOME: fleet.dir, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return { child, done: once(child, 'close').then(([code]) => ({ code: code as number | null, stdout, stderr })) };
  }
  const reports = () => ({ summary: join(fleet.dir, 'summary.json'), metrics: join(fleet.dir, 'prune.prom') });
  const leftovers = () => readdirSync(fleet.dir).filter((name) => name.endsWith('.tmp') || name.includes('.lock'));

  it('`prune … | head -c 10`: the reader leaves, and the run still writes its summary and metrics, releases its lock, exits 74', async () => {
    const { summary, metrics } = reports();
    const { child, done } = spawnPrune(['-a', '--yes', '--json', '--summary', summary, '--metrics-file', metrics]);
    // The reader is gone before the outcome is written, as `head -c 10` is once it has read its bytes.
    child.stdout!.destroy();
    const run = await done;
    expect(run.code).toBe(74);
    expect(run.stderr).toMatch(/error: stdout was closed by its reader \(EPIPE\): the outcome printed there was lost; it is in --summary\n/);
    expect(writes()).toEqual([`glance01 DELETE /v2/cache/${ids.a}`, `glance01 DELETE /v2/cache/${ids.b}`]);
    const written = JSON.parse(readFileSync(summary, 'utf8')) as PruneJson & { exit_code: number };
    expect(written.exit_code).toBe(74);
    expect(written.outcome.map((row) => `${row.node} ${row.name} ${row.result}`)).toEqual(['glance01 a done', 'glance01 b done']);
    expect(readFileSync(metrics, 'utf8')).toContain('glance_cache_prune_freed_images{node="glance01"} 2\n');
    expect(leftovers()).toEqual([]);
  });

  it('a second Ctrl-C during a slow prune stops waiting for the DELETEs in flight, prints the report, writes the files, releases the lock: exit 130', async () => {
    const { summary, metrics } = reports();
    for (const node of fleet.nodes) node.setFaults({ latencyMs: 200 });
    const { child, done } = spawnPrune(['-a', '--yes', '--json', '--max-size', '1B', '--node-concurrency', '1', '--timeout', '60s', '--summary', summary, '--metrics-file', metrics]);
    const deletes = () => writes().filter((write) => write.includes('DELETE')).length;
    await until(() => deletes() >= 1);
    // From now on a DELETE is never answered: the run can only end early by the second Ctrl-C.
    for (const node of fleet.nodes) node.setFaults({ hang: 'before-headers' });
    await until(() => fleet.nodes[0]!.requests.filter((request) => request.method === 'DELETE').length >= 2);
    child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = Date.now();
    child.kill('SIGINT');
    const run = await done;
    expect(run.code).toBe(130);
    expect(Date.now() - second).toBeLessThan(10_000);
    expect(run.stderr).toMatch(/warning: interrupted again: no longer waiting for the requests in flight/);
    const outcome = (JSON.parse(run.stdout) as PruneJson).outcome;
    expect(outcome).toHaveLength(10);
    const results = outcome.map((row) => row.result);
    expect(results).toContain('unknown');
    expect(results).toContain('skipped');
    expect(outcome.find((row) => row.result === 'unknown')?.error).toBe('sent, but its answer was not awaited (interrupted twice)');
    const written = JSON.parse(readFileSync(summary, 'utf8')) as PruneJson & { exit_code: number };
    expect(written.exit_code).toBe(130);
    expect(written.outcome).toEqual(outcome);
    expect(readFileSync(metrics, 'utf8')).toContain('glance_cache_prune_last_success_timestamp_seconds 0\n');
    expect(leftovers()).toEqual([]);
  });
});

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
