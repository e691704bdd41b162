/**
 * The part ls, nodes and where share: open the fleet, list every node with a spinner, name each failed
 * node on stderr, and turn the outcome into the exit code.
 */
import { exitCodeFor } from '../core/outcome.js';
import { ExitCode, GlanceCacheError } from '../errors.js';
import { openFleet, type Fleet } from '../fleet/connect.js';
import { foldNodeSet } from '../inventory/nodeset.js';
import { listFleet, type FleetListing } from '../fleet/listing.js';
import { explainForbidden } from '../auth/forbidden.js';
import type { CommandContext } from './context.js';

export interface ListingRun<T = undefined> {
  fleet: Fleet;
  /** What the `alongside` task returned. */
  extra: T;
  result: FleetListing;
  answered: number;
  exitCode: number;
}

export interface ListingRunOptions<T> {
  withImages: boolean;
  /** Ask every node for its API versions too (see listFleet). */
  discover?: boolean;
  alongside?: (fleet: Fleet) => Promise<T>;
  check?: (fleet: Fleet) => void;
}

export async function runListing<T = undefined>(context: CommandContext, options: ListingRunOptions<T>): Promise<ListingRun<T>> {
  const fleet = await openFleet(context);
  try {
    return await listOpenFleet(context, fleet, options);
  } finally {
    await fleet.close();
  }
}

/** The same listing on a fleet the caller keeps open: acting commands go on to send their plan through it. */
export async function listOpenFleet<T = undefined>(context: CommandContext, fleet: Fleet, options: ListingRunOptions<T>): Promise<ListingRun<T>> {
  // Before any request: a usage error found here sends nothing.
  options.check?.(fleet);
  // Started before the listing and awaited after it, so both share the round trips.
  const extra = options.alongside ? options.alongside(fleet) : Promise.resolve(undefined as T);
  extra.catch(() => undefined);
  const total = fleet.nodes.length;
  await context.progress.start(`Asking ${total} node${total === 1 ? '' : 's'}…`);
  const result = await listFleet(fleet, {
    signal: context.signal,
    fanout: context.globals.fanout,
    now: context.now,
    withImages: options.withImages,
    discover: options.discover ?? false,
    onProgress: (done) => context.progress.update(`Asking ${total} nodes… ${done}/${total}`),
  });
  context.progress.stop();
  for (const listing of result.listings) {
    if (listing.ok) continue;
    const reason = listing.errorKind === 'forbidden' ? explainForbidden('list', listing.name, listing.error ?? '') : `${listing.name} (${listing.url}): ${listing.error ?? 'failed'}`;
    context.log.error(reason);
  }
  if (result.namesError) context.log.warn(`image names unavailable: ${result.namesError}`);
  if (result.interrupted) context.log.error('interrupted: showing the nodes that answered');
  const answered = result.listings.filter((listing) => listing.ok).length;
  const exitCode = exitCodeFor({ ok: answered, failed: result.listings.length - answered, interrupted: result.interrupted });
  return { fleet, extra: await extra, result, answered, exitCode };
}

/**
 * Orphans are the images Glance does not describe as active: when the images API could not be asked,
 * every image would look orphaned, so a run that needs statuses stops here instead.
 */
export function requireImageStatuses(run: ListingRun<unknown>): void {
  if (run.result.namesError) throw new GlanceCacheError(`cannot tell which images Glance still serves: ${run.result.namesError}`, ExitCode.failed);
}

export function footerText(run: ListingRun<unknown>): string {
  const failed = run.result.listings.filter((listing) => !listing.ok).map((listing) => listing.name);
  const answered = `${run.answered} node${run.answered === 1 ? '' : 's'} answered`;
  return failed.length ? `${answered}, ${failed.length} failed: ${foldNodeSet(failed)}` : answered;
}
