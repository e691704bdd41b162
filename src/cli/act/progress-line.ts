/**
 * What a long write shows while it runs. On a terminal with a live line (io.spinner) one line is redrawn
 * in place with the counts; on a terminal without one (NO_COLOR, TERM=dumb) the same counts are printed as
 * a plain line every PLAIN_PROGRESS_EVERY_MS; a line per action goes to stderr where no terminal reads it
 * (a pipe, a cron log), or with -v. Pure: act.ts feeds it outcomes and shows what it returns.
 */
import type { ActionOutcome } from '../../core/plan-outcome.js';
import { formatSize } from '../../core/units.js';

export interface ActTally {
  /** Carried out, or found already in that state. */
  done: number;
  /** Failed, or sent and not answered. */
  failed: number;
  /** Not sent: the run was interrupted. */
  skipped: number;
  total: number;
  /** What the done actions freed, when the command counts bytes. */
  bytes: number;
}

export function emptyTally(total: number): ActTally {
  return { done: 0, failed: 0, skipped: 0, total, bytes: 0 };
}

/** The tally after one more settled action; `bytes` is what it frees when done. */
export function tallyOutcome(tally: ActTally, outcome: Pick<ActionOutcome<unknown>, 'result'>, bytes: number | null): ActTally {
  if (outcome.result === 'done') return { ...tally, done: tally.done + 1, bytes: tally.bytes + (bytes ?? 0) };
  if (outcome.result === 'already') return { ...tally, done: tally.done + 1 };
  if (outcome.result === 'skipped') return { ...tally, skipped: tally.skipped + 1 };
  return { ...tally, failed: tally.failed + 1 };
}

/** "Pruning… 120 done, 2 failed, 78 left, 3.4 GiB freed": `bytesWord` only for commands that count bytes. */
export function progressText(doing: string, tally: ActTally, bytesWord: string | null): string {
  const left = Math.max(0, tally.total - tally.done - tally.failed - tally.skipped);
  const skipped = tally.skipped ? `, ${tally.skipped} not sent` : '';
  const bytes = bytesWord === null ? '' : `, ${formatSize(tally.bytes)} ${bytesWord}`;
  return `${doing}… ${tally.done} done, ${tally.failed} failed${skipped}, ${left} left${bytes}`;
}

/** Where a line about one action goes: on a terminal a line per action floods it, so only with -v. */
export function actionLineLevel(stderrIsTerminal: boolean): 'info' | 'verbose' {
  return stderrIsTerminal ? 'verbose' : 'info';
}

export const PLAIN_PROGRESS_EVERY_MS = 10_000;

/** Whether a plain progress line is due: the first once the run has gone that long, then at that pace. */
export function plainProgressDue(lastShownAt: number, now: number): boolean {
  return now - lastShownAt >= PLAIN_PROGRESS_EVERY_MS;
}
