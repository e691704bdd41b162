/**
 * How results become the run's exit code (docs/architecture.md, "Contract"), the one place for it beside
 * errors.ts (what a thrown error means): 0 when everything took effect, 3 when some nodes or actions failed
 * and others were done, 4 when nothing succeeded anywhere, 130 when interrupted; 1 when diff found something.
 */
import { ExitCode, type ExitCodeValue } from '../errors.js';
import { succeeded, type ActionOutcome } from './plan-outcome.js';

export function exitCodeFor(counts: { ok: number; failed: number; interrupted: boolean }): ExitCodeValue {
  if (counts.interrupted) return ExitCode.interrupted;
  if (counts.failed === 0) return ExitCode.ok;
  return counts.ok === 0 ? ExitCode.failed : ExitCode.partial;
}

/**
 * A listing's: as exitCodeFor, and partial when nodes list the same cache records as another node (the
 * fleet audit), since listings that misdescribe their nodes leave a result as incomplete as a node that did not answer.
 */
export function listingExitCode(counts: { ok: number; failed: number; interrupted: boolean; shared: number }): ExitCodeValue {
  const counted = exitCodeFor(counts);
  return counted === ExitCode.ok && counts.shared > 0 ? ExitCode.partial : counted;
}

/** A comparison's (diff, diff --orphans), as diff(1): 1 when it found something; a listing that fell short says so first. */
export function comparisonExitCode(listing: ExitCodeValue, found: boolean): ExitCodeValue {
  if (listing !== ExitCode.ok) return listing;
  return found ? ExitCode.differences : ExitCode.ok;
}

/** When the output or a report of a run was lost: a success whose proof was lost is not one; a failure stays itself. */
export function withOutputLost(code: ExitCodeValue): ExitCodeValue {
  return code === ExitCode.ok ? ExitCode.outputFailed : code;
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
