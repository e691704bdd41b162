/**
 * What became of each planned action, and the exit code that follows (docs/architecture.md, "Contract"): 0 when everything
 * took effect, 3 when some nodes or actions failed and others were done, 4 when nothing succeeded
 * anywhere, 130 when interrupted.
 */
import type { ExitCodeValue } from '../errors.js';
import type { FailureKind } from './model.js';
import { exitCodeFor } from './outcome.js';

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

/**
 * Failures: nodes that did not answer the listing and actions that failed. Successes: the requests that
 * took effect, or, when there was nothing to send, the nodes that answered. So a run whose every request
 * failed exits 4 even if some nodes had nothing to do, and a node down while the rest had nothing to do is 3.
 */
export function actExitCode(listings: readonly { name: string; ok: boolean }[], outcomes: readonly ActionOutcome<unknown>[], interrupted: boolean): ExitCodeValue {
  const failedListings = listings.filter((listing) => !listing.ok).length;
  const failedActions = outcomes.filter((outcome) => !succeeded(outcome)).length;
  const anySent = outcomes.some((outcome) => outcome.sent);
  const ok = anySent ? outcomes.filter((outcome) => outcome.sent && succeeded(outcome)).length : listings.length - failedListings;
  return exitCodeFor({ ok, failed: failedListings + failedActions, interrupted });
}
