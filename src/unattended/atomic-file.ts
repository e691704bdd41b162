/**
 * Writes a file so that readers (node_exporter's textfile collector, a monitoring script, a TAB) only
 * ever see the old content or the new, never a partial one, even if the run is killed: a temporary file
 * in the same directory (rename is only atomic within one file system), written, then renamed over the
 * target. `durable` (the default) also fsyncs the file before and the directory after the rename, so
 * that a power loss keeps one or the other; a cache that can be rebuilt does without.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** `mode` exactly, whatever the umask. */
export async function writeFileAtomic(path: string, text: string, mode = 0o600, { durable = true } = {}): Promise<void> {
  const directory = dirname(path);
  const staging = stagingPath(path);
  try {
    const file = await open(staging, 'wx', mode);
    try {
      await file.chmod(mode);
      await file.writeFile(text);
      if (durable) await file.sync();
    } finally {
      await file.close();
    }
    await rename(staging, path);
  } catch (error) {
    await rm(staging, { force: true });
    throw error;
  }
  if (durable) await syncDirectory(directory);
}

/**
 * The mode to write a report with: the file's own when it exists, so that an operator's choice (0644 for a
 * node_exporter running as another user) lasts; else private, since a report may quote what nodes said.
 */
export async function reportMode(path: string): Promise<number> {
  try {
    return (await stat(path)).mode & 0o777;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0o600;
    throw error;
  }
}

/** Where writeFileAtomic stages `path`'s new content, beside it. */
export function stagingPath(path: string): string {
  // A leading dot and a .tmp suffix: the textfile collector reads only *.prom, shells hide dotfiles.
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** The staging files writeFileAtomic leaves in `directory` when its process dies between write and rename. */
export function stagingPid(name: string): number | undefined {
  const pid = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name)?.[1];
  return pid === undefined ? undefined : Number(pid);
}

async function syncDirectory(directory: string): Promise<void> {
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself has happened.
  } finally {
    await handle.close();
  }
}
