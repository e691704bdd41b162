/**
 * Reading a local configuration file (an inventory, a file it includes, clouds.yaml and secure.yaml, a
 * completion cache) without trusting what sits at the path: a named pipe would block the open for good
 * (no signal ends a read waiting in the thread pool), and a device or a huge file would fill the memory.
 * So only a regular file of at most MAX_CONFIG_BYTES is read, and the checks are made on the descriptor
 * that is read. The path is looked at before it is opened too: opening some devices acts (a watchdog
 * starts counting down, a tape rewinds).
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';

/** No inventory comes near this; `-i /dev/zero` or a log file given by mistake do. */
const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;

/** Who owns a file and who may write it, as the trust checks (./trust.ts) need it. */
export interface FileFacts {
  uid: number;
  /** Permission bits, with setuid, setgid and sticky: `st_mode & 0o7777`. */
  mode: number;
  directory: boolean;
}

/** Why a path holds nothing to read as configuration; the message is the reason, without the path. */
class NotAConfigFile extends Error {}

export async function readConfigFile(path: string): Promise<{ text: string; facts: FileFacts }> {
  requireRegular(await stat(path));
  // O_NONBLOCK: opening a FIFO for reading otherwise waits for a writer; it does not change reading a regular file.
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = await handle.stat();
    requireRegular(stats);
    const chunks = new Chunks();
    for (;;) {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(CHUNK_BYTES), 0, CHUNK_BYTES, null);
      if (!chunks.add(buffer, bytesRead)) break;
    }
    return { text: chunks.text(), facts: factsOf(stats) };
  } finally {
    await handle.close();
  }
}

/** readConfigFile's text, for a caller that cannot wait (a CA bundle read as its connection pool is made). */
export function readConfigFileSync(path: string): string {
  requireRegular(statSync(path));
  const descriptor = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    requireRegular(fstatSync(descriptor));
    const chunks = new Chunks();
    for (;;) {
      const buffer = Buffer.alloc(CHUNK_BYTES);
      if (!chunks.add(buffer, readSync(descriptor, buffer, 0, CHUNK_BYTES, null))) break;
    }
    return chunks.text();
  } finally {
    closeSync(descriptor);
  }
}

/** Why a file is nothing to read or replace as a regular file ("is a directory"); undefined for a regular file. */
export function notRegularReason(stats: Stats): string | undefined {
  if (stats.isDirectory()) return 'is a directory';
  return stats.isFile() ? undefined : `is ${kindOf(stats)}, not a regular file`;
}

/** Undefined when nothing is there; other errors (permission denied on the way) are thrown. */
export async function statConfigFile(path: string): Promise<FileFacts | undefined> {
  try {
    return factsOf(await stat(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

/** Why a file could not be read or looked at, for a one-line error that names it. */
export function fileErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (error as Error).message;
}

function requireRegular(stats: Stats): void {
  const reason = notRegularReason(stats);
  if (reason) throw new NotAConfigFile(reason);
  if (stats.size > MAX_CONFIG_BYTES) throw tooLarge();
}

/** A file's content read chunk by chunk, within MAX_CONFIG_BYTES whatever its size said: files under /proc say 0 and have content. */
class Chunks {
  private readonly chunks: Buffer[] = [];
  private total = 0;

  /** False at the end of the file. */
  add(buffer: Buffer, bytesRead: number): boolean {
    if (bytesRead === 0) return false;
    this.total += bytesRead;
    if (this.total > MAX_CONFIG_BYTES) throw tooLarge();
    this.chunks.push(buffer.subarray(0, bytesRead));
    return true;
  }

  text(): string {
    return Buffer.concat(this.chunks, this.total).toString('utf8');
  }
}

function factsOf(stats: Stats): FileFacts {
  return { uid: stats.uid, mode: stats.mode & 0o7777, directory: stats.isDirectory() };
}

function tooLarge(): NotAConfigFile {
  return new NotAConfigFile(`is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB, too large for a configuration file`);
}

function kindOf(stats: Stats): string {
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'a special file';
}
