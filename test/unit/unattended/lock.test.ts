import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, type Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode, LockedError } from '../../../src/errors.js';
import { acquireLock, defaultLockPath, DAMAGED_LOCK_GRACE_MS, linuxProcessStart, pidIsAlive, prepareLockDirectory, type LockDeps } from '../../../src/unattended/lock.js';

let dir: string;
let path: string;
let alive: Map<number, string>;
let warnings: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'glance-cache-lock-'));
  path = join(dir, 'prune.lock');
  alive = new Map();
  warnings = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A run as pid `pid`: the process table is the `alive` map (pid to start time). */
const deps = (pid: number): LockDeps => {
  alive.set(pid, alive.get(pid) ?? `start-${pid}`);
  return { pid, now: () => Date.UTC(2026, 0, 2, 3, 4, 5), isAlive: (candidate) => alive.has(candidate), processStart: (candidate) => alive.get(candidate) ?? null, warn: (line) => warnings.push(line) };
};
const holderOf = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { pid: number; started_at: string; process_start: string | null };

describe('acquireLock', () => {
  it('creates the lock holding pid and start time, and removes it on release', async () => {
    const lock = await acquireLock(path, deps(101));
    expect(holderOf(path)).toEqual({ pid: 101, started_at: '2026-01-02T03:04:05.000Z', process_start: 'start-101' });
    await lock.release();
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a second run at once while the holder lives, naming its pid: exit 5', async () => {
    const first = await acquireLock(path, deps(101));
    const second = acquireLock(path, deps(202));
    await expect(second).rejects.toThrow(LockedError);
    await expect(acquireLock(path, deps(202))).rejects.toThrow(/another prune is running \(pid 101, started 2026-01-02T03:04:05.000Z\)/);
    expect(new LockedError('x').exitCode).toBe(ExitCode.locked);
    expect(holderOf(path).pid).toBe(101);
    await first.release();
    await (await acquireLock(path, deps(202))).release();
  });

  it('recovers a stale lock whose holder is gone, with a warning naming it', async () => {
    writeFileSync(path, JSON.stringify({ pid: 999, started_at: '2026-01-01T00:00:00.000Z', process_start: 'old' }));
    const lock = await acquireLock(path, deps(101));
    expect(holderOf(path).pid).toBe(101);
    expect(warnings).toEqual([`${path}: recovered a stale lock left by pid 999 (started 2026-01-01T00:00:00.000Z), which is no longer running`]);
    await lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('treats a lock whose pid now belongs to a process started at another time as stale', async () => {
    alive.set(999, 'a-new-process');
    writeFileSync(path, JSON.stringify({ pid: 999, started_at: '2026-01-01T00:00:00.000Z', process_start: 'the-killed-one' }));
    await acquireLock(path, deps(101));
    expect(holderOf(path).pid).toBe(101);
    expect(warnings).toHaveLength(1);
  });

  it('lets exactly one of many runs recovering the same stale lock at once win', async () => {
    for (let round = 0; round < 10; round++) {
      writeFileSync(path, JSON.stringify({ pid: 999, started_at: '2026-01-01T00:00:00.000Z', process_start: null }));
      const runs = await Promise.allSettled(Array.from({ length: 8 }, (_, index) => acquireLock(path, deps(300 + index))));
      const winners = runs.filter((run) => run.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      for (const run of runs) if (run.status === 'rejected') expect(run.reason).toBeInstanceOf(LockedError);
      await (winners[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('lets exactly one of many runs starting at once win', async () => {
    const runs = await Promise.allSettled(Array.from({ length: 8 }, (_, index) => acquireLock(path, deps(400 + index))));
    expect(runs.filter((run) => run.status === 'fulfilled')).toHaveLength(1);
  });

  it('clears a recovery left half-done by a killed run', async () => {
    writeFileSync(path, JSON.stringify({ pid: 999, started_at: '2026-01-01T00:00:00.000Z', process_start: null }));
    writeFileSync(`${path}.recover`, JSON.stringify({ pid: 998, started_at: '2026-01-01T00:00:00.000Z', process_start: null }));
    await (await acquireLock(path, deps(101))).release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('never takes a file that is not a glance-cache lock: exit 2, the file left alone', async () => {
    for (const text of ['something else\n', '{"nodes": []}\n']) {
      writeFileSync(path, text);
      utimesSync(path, new Date(2020, 0, 1), new Date(2020, 0, 1));
      await expect(acquireLock(path, deps(101))).rejects.toThrow(expect.objectContaining({ exitCode: ExitCode.usage, message: `${path}: is not a glance-cache lock; leaving it alone: choose another --lock` }));
      expect(readFileSync(path, 'utf8')).toBe(text);
    }
  });

  it('never reads, takes over or removes what is not a regular file at the lock path (a FIFO, a directory, a device): exit 2', async () => {
    const now = deps(101).now();
    const old = new Date(now - DAMAGED_LOCK_GRACE_MS - 5_000);
    const cases: [string, string][] = [[join(dir, 'fifo'), 'is a named pipe (FIFO), not a regular file'], [join(dir, 'directory'), 'is a directory']];
    execFileSync('mkfifo', [cases[0]![0]]);
    mkdirSync(cases[1]![0]);
    // /dev/null's numbers on a node made here, as old as a stale empty lock: reading it gives '' as an emptied lock would.
    if (process.getuid?.() === 0) {
      cases.push([join(dir, 'null'), 'is a character device, not a regular file']);
      execFileSync('mknod', [cases[2]![0], 'c', '1', '3']);
    }
    for (const [special, reason] of cases) {
      utimesSync(special, old, old);
      const kind = (info: Stats) => [info.isFIFO(), info.isDirectory(), info.isCharacterDevice(), info.ino];
      const before = kind(lstatSync(special));
      await expect(acquireLock(special, deps(101))).rejects.toThrow(expect.objectContaining({ exitCode: ExitCode.usage, message: `${special}: ${reason}; leaving it alone: choose another --lock` }));
      expect(kind(lstatSync(special))).toEqual(before);
    }
    expect(warnings).toEqual([]);
    expect(readdirSync(dir).sort()).toEqual(cases.map(([special]) => special.slice(dir.length + 1)).sort());
  });

  it('refuses an empty or cut-short lock file younger than a minute, and leaves it', async () => {
    const now = deps(101).now();
    for (const [text, what] of [['', 'empty'], ['{"pid":12', 'cut short']] as const) {
      writeFileSync(path, text);
      utimesSync(path, new Date(now - 30_000), new Date(now - 30_000));
      await expect(acquireLock(path, deps(101))).rejects.toThrow(new LockedError(`${path}: lock file is ${what} and 30s old; not starting (it is taken over once 60s old)`));
      expect(readFileSync(path, 'utf8')).toBe(text);
    }
  });

  it('takes over an empty or cut-short lock file once it is a minute old, with a warning, instead of refusing every later run', async () => {
    const now = deps(101).now();
    for (const [text, what] of [['', 'empty'], ['\0\0\0\0', 'empty'], ['{"pid":4242,"started_', 'cut short']] as const) {
      writeFileSync(path, text);
      utimesSync(path, new Date(now - DAMAGED_LOCK_GRACE_MS - 5_000), new Date(now - DAMAGED_LOCK_GRACE_MS - 5_000));
      warnings = [];
      const lock = await acquireLock(path, deps(101));
      expect(holderOf(path).pid).toBe(101);
      expect(warnings).toEqual([`${path}: took over a lock file that is ${what} and 65s old: no run of glance-cache holds it`]);
      await lock.release();
      expect(readdirSync(dir)).toEqual([]);
    }
  });

  it('releases only its own lock', async () => {
    const lock = await acquireLock(path, deps(101));
    writeFileSync(path, JSON.stringify({ pid: 555, started_at: 'x', process_start: null }));
    await lock.release();
    expect(holderOf(path).pid).toBe(555);
  });
});

describe('the lock directory and the real process table', () => {
  it('defaults to the runtime dir, else a per-user directory under /tmp', () => {
    expect(defaultLockPath({ XDG_RUNTIME_DIR: '/run/user/1000' }, 1000)).toBe('/run/user/1000/glance-cache/prune.lock');
    expect(defaultLockPath({}, 1000)).toBe('/tmp/glance-cache-1000/prune.lock');
  });

  it('creates the directory private to the user, and refuses one others can write to', async () => {
    const uid = process.getuid!();
    const lockPath = join(dir, 'runtime', 'glance-cache', 'prune.lock');
    await prepareLockDirectory(lockPath, uid);
    expect(statSync(join(dir, 'runtime', 'glance-cache')).mode & 0o777).toBe(0o700);
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o777);
    await expect(prepareLockDirectory(join(shared, 'prune.lock'), uid)).rejects.toThrow(/not a directory owned by uid/);
    await expect(prepareLockDirectory(lockPath, uid + 1)).rejects.toThrow(/refusing to use it/);
  });

  it('tells a live process from a dead one, and reads a start time on Linux', async () => {
    expect(pidIsAlive(process.pid)).toBe(true);
    const { spawnSync } = await import('node:child_process');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    expect(pidIsAlive(dead)).toBe(false);
    if (process.platform === 'linux') {
      expect(linuxProcessStart(process.pid)).toMatch(/^\d+$/);
      expect(linuxProcessStart(process.pid)).toBe(linuxProcessStart(process.pid));
    }
    expect(linuxProcessStart(dead)).toBeNull();
  });
});
