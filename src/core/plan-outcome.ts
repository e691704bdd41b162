/** What became of each planned action; the exit code that follows is outcome.ts's actExitCode. */
import type { FailureKind } from './model.js';

/**
 * done: the node accepted it; already: the node was in that state; failed: the node refused or failed
 * it, or it never reached the node (the error says which); unknown: sent, but no answer came (a timeout,
 * or the connection dropped): the node may have carried it out, so it is not reported as undone;
 * skipped: never sent because the run was interrupted.
 */
export type ActionResult = 'done' | 'already' | 'failed' | 'unknown' | 'skipped';

/**
 * Failures after which a sent request may still have been carried out: nobody answered either way, or
 * (aborted) a second Ctrl-C stopped waiting for the answer.
 */
export function outcomeUnknown(kind: FailureKind): boolean {
  return kind === 'timeout' || kind === 'reset' || kind === 'aborted';
}

export interface ActionOutcome<A> {
  action: A;
  result: ActionResult;
  /** Whether the request went out: false for what the plan found already done and for what was never started. */
  sent: boolean;
  error: string | null;
  errorKind: FailureKind | null;
}

export function succeeded(outcome: ActionOutcome<unknown>): boolean {
  return outcome.result === 'done' || outcome.result === 'already';
}
