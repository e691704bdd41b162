/**
 * Whether a configuration file that glance-cache found by itself (an inventory, clouds.yaml or
 * secure.yaml it searched for, not one the operator named) may be used. Such a file decides where the
 * operator's token or password is sent, so one that another local user could have written, say in a
 * shared directory above the working directory, is refused: it must belong to the running user or root
 * and be writable by no one else. `refusal` is pure; `foundFileRefusal` looks up what it needs.
 *
 * The directory is checked only for the case the file's own facts cannot show: a directory anyone may
 * write to without the sticky bit (unlike /tmp), where anyone can swap the file between check and use.
 * In any other directory, a file someone else put there is theirs, which the owner check sees.
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FileFacts } from './config-file.js';

export interface TrustQuestion {
  file: FileFacts;
  /** The directory holding the file; undefined when it cannot be looked at. */
  dir: FileFacts | undefined;
  dirPath: string;
  /** The effective uid of this run. */
  uid: number;
  /** How to name an owner in the refusal, e.g. "nobody (uid 65534)". */
  ownerName(uid: number): string;
  /** How the operator can use the file anyway: "give the inventory with -i if you trust it". */
  hint: string;
}

/** Why the file must not be used, or undefined when it may. */
export function refusal(question: TrustQuestion): string | undefined {
  const { file, dir, uid, hint } = question;
  if (file.uid !== uid && file.uid !== 0) {
    return `refused: owned by ${question.ownerName(file.uid)}, not by you or root; another user may have put it there: ${hint}`;
  }
  if ((file.mode & 0o022) !== 0) {
    return `refused: writable by ${writers(file.mode)} (mode ${octal(file.mode)}): run chmod go-w on it, or ${hint}`;
  }
  if (dir && (dir.mode & 0o002) !== 0 && (dir.mode & 0o1000) === 0) {
    return `refused: its directory ${question.dirPath} is writable by anyone and not sticky (mode ${octal(dir.mode)}), so anyone could replace it: ${hint}`;
  }
  return undefined;
}

/**
 * The refusal of a file found at `path`, asked of this run's effective uid, its directory (`statDir`) and,
 * for a file of another owner, /etc/passwd. Undefined when it may be used, and where there are no uids.
 */
export async function foundFileRefusal(path: string, file: FileFacts, hint: string, statDir: (dir: string) => Promise<FileFacts | undefined>): Promise<string | undefined> {
  const uid = process.geteuid?.();
  if (uid === undefined) return undefined;
  const dirPath = dirname(path);
  const dir = await statDir(dirPath);
  const passwd = file.uid === uid || file.uid === 0 ? '' : await readFile('/etc/passwd', 'utf8').catch(() => '');
  return refusal({ file, dir, dirPath, uid, hint, ownerName: (owner) => ownerNameIn(passwd, owner) });
}

/** "nobody (uid 65534)" from /etc/passwd's text, else "uid 65534". */
export function ownerNameIn(passwd: string, uid: number): string {
  const entry = passwd.split('\n').find((line) => line.split(':')[2] === String(uid));
  const name = entry?.split(':')[0];
  return name ? `${name} (uid ${uid})` : `uid ${uid}`;
}

function writers(mode: number): string {
  if ((mode & 0o022) === 0o022) return 'group and others';
  return (mode & 0o020) !== 0 ? 'its group' : 'others';
}

function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}
