/**
 * Writes a file so that readers (node_exporter's textfile collector, a monitoring script) only ever see
 * the old content or the new, never a partial one, even if the run is killed or the machine loses
 * power: a temporary file in the same directory (rename is only atomic within one file system),
 * written and fsynced, then renamed over the target, then the directory fsynced so the rename sticks.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export async function writeFileAtomic(path: string, text: string, mode = 0o644): Promise<void> {
  const directory = dirname(path);
  // A leading dot and a .tmp suffix: the textfile collector reads only *.prom, shells hide dotfiles.
  const staging = join(directory, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const file = await open(staging, 'wx', mode);
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(staging, path);
  } catch (error) {
    await rm(staging, { force: true });
    throw error;
  }
  await syncDirectory(directory);
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
