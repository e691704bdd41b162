/**
 * The small JSON files completion reads on TAB, under $XDG_CACHE_HOME/glance-cache (else
 * ~/.cache/glance-cache): one per inventory and kind, so two fleets never mix their names.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { readConfigFile } from '../inventory/config-file.js';
import { stagingPid, writeFileAtomic } from '../unattended/atomic-file.js';

export type CacheKind = 'nodes' | 'images';

export function cacheDir(env: Record<string, string | undefined>, home: string): string {
  const base = env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : join(home, '.cache');
  return join(base, 'glance-cache');
}

export function cacheFile(dir: string, kind: CacheKind, inventoryPath: string): string {
  return join(dir, `${kind}-${createHash('sha256').update(inventoryPath).digest('hex').slice(0, 16)}.json`);
}

/**
 * The parsed file, or undefined when it is missing or not JSON: a cache is never worth an error. Read as
 * configuration is (a regular file of bounded size): a FIFO in its place must not hang every TAB.
 */
export async function readCache(file: string): Promise<unknown> {
  try {
    return JSON.parse((await readConfigFile(file)).text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Written aside and renamed, so a TAB racing an `ls` reads the old file or the new one, never half.
 * Creates the cache directory and its parent (~/.cache), never more: a missing home stays missing.
 */
export async function writeCache(file: string, data: unknown): Promise<void> {
  const dir = dirname(file);
  await makeDir(dirname(dir));
  await makeDir(dir);
  await writeFileAtomic(file, JSON.stringify(data), 0o600, { durable: false });
  await removeOrphanedStaging(dir);
}

/**
 * Staging files of runs that ended between write and rename: `glance-cache ls | head` exits on the
 * closed pipe wherever it is. Left alone they would pile up; a live writer's file is not touched.
 */
async function removeOrphanedStaging(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [])) {
    const pid = stagingPid(name);
    if (pid !== undefined && pid !== process.pid && !isRunning(pid)) await rm(join(dir, name), { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

async function makeDir(path: string): Promise<void> {
  try {
    await mkdir(path, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}
