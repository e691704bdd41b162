/**
 * --summary and --metrics-file are written when the run ends, by a rename over the path (atomic-file.ts).
 * What could stop that is looked for before the lock and before anything is sent, so that it is found
 * before the deletions, not after them. A rename replaces whatever sits at the path: over a device node or
 * a FIFO it would leave a regular file in its place (`--summary /dev/null` as root once did that to
 * /dev/null), so only a regular file, or nothing yet, may be there.
 */
import { open, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { notRegularReason } from '../inventory/config-file.js';
import { stagingPath } from './atomic-file.js';

/** Why a report cannot be written to `path` ("is a directory"); undefined when it can. */
export async function outputPathProblem(path: string): Promise<string | undefined> {
  try {
    const reason = notRegularReason(await stat(path));
    if (reason) return `${reason}; only a regular file (or none yet) can take a report`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTDIR') return `${dirname(path)} is not a directory`;
    if (code !== 'ENOENT') return `cannot look at it (${code ?? (error as Error).message})`;
  }
  return directoryProblem(dirname(path));
}

/**
 * The directory must take a new file: tried by creating (and removing at once) a file of the kind the
 * write stages, since permission bits do not tell it for root, a read-only mount or /proc.
 */
async function directoryProblem(directory: string): Promise<string | undefined> {
  const probe = stagingPath(join(directory, 'probe'));
  try {
    await (await open(probe, 'wx', 0o600)).close();
  } catch (error) {
    return `cannot write in ${directory} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
  await rm(probe, { force: true });
  return undefined;
}
