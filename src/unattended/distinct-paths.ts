/**
 * prune's files must be distinct: a --summary naming the lock replaces it (the run's release then leaves
 * the lock in place, and every later run exits 5), one naming the inventory overwrites it, and one naming
 * the metrics file loses a report. Paths are compared as the files they name: through symbolic links in
 * their directories, and by device and inode where both exist (a hard link, a symlinked file).
 */
import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

export interface NamedPath {
  /** How the error names it: "--summary", "the inventory". */
  what: string;
  path: string;
}

/** "--summary /x/prune.lock is also the --lock file" for the first two that are one file; undefined when all differ. */
export async function sharedPath(paths: readonly NamedPath[]): Promise<string | undefined> {
  const files = await Promise.all(paths.map(async (named) => ({ ...named, canonical: await canonical(named.path), inode: await inodeOf(named.path) })));
  for (const [index, file] of files.entries()) {
    const other = files.slice(0, index).find((earlier) => earlier.canonical === file.canonical || (earlier.inode !== undefined && earlier.inode === file.inode));
    if (other) return `${file.what} ${file.path} is also ${other.what}${other.path === file.path ? '' : ` (${other.path})`}`;
  }
  return undefined;
}

async function canonical(path: string): Promise<string> {
  const absolute = resolve(path);
  try {
    return join(await realpath(dirname(absolute)), basename(absolute));
  } catch {
    return absolute;
  }
}

async function inodeOf(path: string): Promise<string | undefined> {
  try {
    const info = await stat(path);
    return `${info.dev}:${info.ino}`;
  } catch {
    return undefined;
  }
}
