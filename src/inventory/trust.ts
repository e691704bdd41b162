/**
 * Whether a configuration file that glance-cache found by itself (not one the operator named with -i or
 * GLANCE_CACHE_INVENTORY) may be used. An inventory decides where the operator's token is sent, so one
 * that another local user could have written, say in a shared directory above the working directory,
 * is refused: it must belong to the running user or root and be writable by no one else. Pure.
 *
 * The directory is checked only for the case the file's own facts cannot show: a directory anyone may
 * write to without the sticky bit (unlike /tmp), where anyone can swap the file between check and use.
 * In any other directory, a file someone else put there is theirs, which the owner check sees.
 */
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
}

const HINT = 'give the inventory with -i if you trust it';

/** Why the file must not be used, or undefined when it may. */
export function refusal(question: TrustQuestion): string | undefined {
  const { file, dir, uid } = question;
  if (file.uid !== uid && file.uid !== 0) {
    return `refused: owned by ${question.ownerName(file.uid)}, not by you or root; another user may have put it there: ${HINT}`;
  }
  if ((file.mode & 0o022) !== 0) {
    return `refused: writable by ${writers(file.mode)} (mode ${octal(file.mode)}): run chmod go-w on it, or ${HINT}`;
  }
  if (dir && (dir.mode & 0o002) !== 0 && (dir.mode & 0o1000) === 0) {
    return `refused: its directory ${question.dirPath} is writable by anyone and not sticky (mode ${octal(dir.mode)}), so anyone could replace it: ${HINT}`;
  }
  return undefined;
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
