/**
 * The part ls, nodes and where share: open the fleet, list every node with a spinner, name each failed
 * node on stderr, and turn the outcome into the exit code.
 */
import { exitCodeFor } from '../core/outcome.js';
import { openFleet, type Fleet } from '../fleet/connect.js';
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

export async function runListing<T = undefined>(
  context: CommandContext,
  options: { withImages: boolean; alongside?: (fleet: Fleet) => Promise<T> },
): Promise<ListingRun<T>> {
  const fleet = await openFleet(context);
  try {
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
  } finally {
    await fleet.close();
  }
}

export function footerText(run: ListingRun<unknown>): string {
  const failed = run.result.listings.filter((listing) => !listing.ok).map((listing) => listing.name);
  const answered = `${run.answered} node${run.answered === 1 ? '' : 's'} answered`;
  return failed.length ? `${answered}, ${failed.length} failed: ${failed.join(', ')}` : answered;
}
