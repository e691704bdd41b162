/**
 * One prune at a time (cron runs that overlap): a lock file naming the holder's pid and start time.
 * It is created whole or not at all: the content goes into a temporary file opened with O_EXCL, which is
 * then hard-linked to the lock's name, an exclusive create that fails when the lock exists. So a lock
 * file is never seen empty, and a killed run leaves a complete record of who held it.
 *
 * A lock whose holder is gone (the pid is not running, or now belongs to a process that started at
 * another time) is stale: it is removed with a warning and taken. Two runs recovering the same stale
 * lock at once must not both win: removal happens only under a second, short-lived lock (`.recover`),
 * and only when the lock still holds what was judged stale.
 */
import { randomBytes } from 'node:crypto';
import { constants, readFileSync, type Stats } from 'node:fs';
import { link, lstat, mkdir, open, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GlanceCacheError, ExitCode, LockedError } from '../errors.js';
import { notRegularReason } from '../inventory/config-file.js';

/**
 * A glance-cache lock is never empty or cut short, since it appears whole (see above): such a file was left
 * by a crash of the file system, or emptied by hand. It is taken over once it is this old, so that it does
 * not refuse every later run (exit 5, which a systemd unit counts as success) until someone removes it.
 */
export const DAMAGED_LOCK_GRACE_MS = 60_000;

export interface LockDeps {
  pid: number;
  now: () => number;
  isAlive: (pid: number) => boolean;
  /** An opaque start time of the process with this pid, or null where the system does not tell. */
  processStart: (pid: number) => string | null;
  warn: (line: string) => void;
}

export interface HeldLock {
  path: string;
  release(): Promise<void>;
}

interface Holder {
  pid: number;
  started_at: string;
  process_start: string | null;
}

export function defaultLockPath(env: Record<string, string | undefined>, uid: number): string {
  return env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'glance-cache', 'prune.lock') : join('/tmp', `glance-cache-${uid}`, 'prune.lock');
}

/**
 * Creates the default lock's directory, private to the user. Under /tmp anyone could have made it
 * first (and put a symlink inside): a directory that is not ours alone is refused.
 */
export async function prepareLockDirectory(path: string, uid: number): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const info = await lstat(directory);
  if (!info.isDirectory() || info.uid !== uid || (info.mode & 0o022) !== 0) {
    throw new GlanceCacheError(`${directory}: lock directory is not a directory owned by uid ${uid} and writable only by it; refusing to use it (or choose another with --lock)`, ExitCode.usage);
  }
}

export async function acquireLock(path: string, deps: LockDeps): Promise<HeldLock> {
  const mine = `${JSON.stringify({ pid: deps.pid, started_at: new Date(deps.now()).toISOString(), process_start: deps.processStart(deps.pid) } satisfies Holder)}\n`;
  const held: HeldLock = {
    path,
    async release() {
      // Only our own lock: after a stale-lock recovery elsewhere the file may be someone else's.
      if ((await readText(path)) === mine) await rm(path, { force: true });
    },
  };
  // Three tries: the holder may release, or a stale lock be removed, between our create and our read.
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createExclusive(path, mine)) return held;
    const text = await readText(path);
    if (text === null) continue;
    const holder = parseHolder(text);
    if (!holder) {
      const what = damage(text);
      if (!what) throw new GlanceCacheError(`${path}: is not a glance-cache lock; leaving it alone: choose another --lock`, ExitCode.usage);
      const age = await ageOf(path, deps.now);
      if (age === null) continue;
      if (age < DAMAGED_LOCK_GRACE_MS) {
        throw new LockedError(`${path}: lock file is ${what} and ${Math.round(age / 1000)}s old; not starting (it is taken over once ${DAMAGED_LOCK_GRACE_MS / 1000}s old)`);
      }
      if (await removeStale(path, text, mine, deps)) deps.warn(`${path}: took over a lock file that is ${what} and ${Math.round(age / 1000)}s old: no run of glance-cache holds it`);
      continue;
    }
    if (isLive(holder, deps)) throw new LockedError(`${path}: another prune is running (pid ${holder.pid}, started ${holder.started_at}); not starting a second one`);
    if (await removeStale(path, text, mine, deps)) {
      deps.warn(`${path}: recovered a stale lock left by pid ${holder.pid} (started ${holder.started_at}), which is no longer running`);
    }
  }
  throw new LockedError(`${path}: could not take the lock: other runs keep taking it`);
}

/** True when this run removed the stale lock; false when it had changed hands meanwhile. */
async function removeStale(path: string, staleText: string, mine: string, deps: LockDeps): Promise<boolean> {
  const sentinel = `${path}.recover`;
  if (!(await createExclusive(sentinel, mine))) {
    const other = parseHolder((await readText(sentinel)) ?? '');
    if (other && isLive(other, deps)) throw new LockedError(`${path}: another run (pid ${other.pid}) is recovering a stale lock; not starting a second one`);
    // Left by a run killed in the middle of a recovery.
    await rm(sentinel, { force: true });
    if (!(await createExclusive(sentinel, mine))) throw new LockedError(`${path}: another run is recovering a stale lock; not starting a second one`);
  }
  try {
    if ((await readText(path)) !== staleText) return false;
    await rm(path, { force: true });
    return true;
  } finally {
    if ((await readText(sentinel)) === mine) await rm(sentinel, { force: true });
  }
}

/** True when the file was created with exactly this content; false when it already existed. */
async function createExclusive(path: string, content: string): Promise<boolean> {
  const staging = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}`);
  const file = await open(staging, 'wx', 0o644);
  try {
    await file.writeFile(content);
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await link(staging, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await rm(staging, { force: true });
  }
}

/**
 * A lock is a regular file. Anything else at its path (a device, a FIFO, a directory) is never read,
 * taken over or removed: reading a FIFO would wait for good, and removing `/dev/null` as a stale empty
 * lock would break the system. It is looked at before it is opened, since opening some devices acts,
 * and again on the descriptor read, in case it was swapped in between.
 */
async function readText(path: string): Promise<string | null> {
  let handle: FileHandle;
  try {
    requireRegular(path, await stat(path));
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    requireRegular(path, await handle.stat());
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

function requireRegular(path: string, stats: Stats): void {
  const reason = notRegularReason(stats);
  if (reason) throw new GlanceCacheError(`${path}: ${reason}; leaving it alone: choose another --lock`, ExitCode.usage);
}

/**
 * How a file that holds no lock is damaged: empty (or blanks, or the zeros a crashed file system leaves), or
 * the start of a lock cut short. Undefined for any other content: another program's file, never removed.
 */
function damage(text: string): string | undefined {
  if (/^[\s\0]*$/.test(text)) return 'empty';
  return text.startsWith(LOCK_START) ? 'cut short' : undefined;
}

/** How every lock this module writes begins. */
const LOCK_START = '{"pid":';

/** Milliseconds since the file was last written; null when it is gone. */
async function ageOf(path: string, now: () => number): Promise<number | null> {
  try {
    return Math.max(0, now() - (await lstat(path)).mtimeMs);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function parseHolder(text: string): Holder | null {
  try {
    const value = JSON.parse(text) as Partial<Holder>;
    if (!Number.isSafeInteger(value.pid) || (value.pid as number) <= 0 || typeof value.started_at !== 'string') return null;
    return { pid: value.pid as number, started_at: value.started_at, process_start: typeof value.process_start === 'string' ? value.process_start : null };
  } catch {
    return null;
  }
}

/** Alive, and (where the system tells start times) the same process, not a new one that got its pid. */
function isLive(holder: Holder, deps: LockDeps): boolean {
  if (!deps.isAlive(holder.pid)) return false;
  const start = deps.processStart(holder.pid);
  return holder.process_start === null || start === null || start === holder.process_start;
}

/** The real process table: signal 0 probes a pid without touching it; EPERM means someone else's process. */
export function pidIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Linux: field 22 of /proc/PID/stat, the start time in clock ticks since boot; null elsewhere. */
export function linuxProcessStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}
