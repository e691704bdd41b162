/**
 * What a prune run achieved on each node: bytes and images freed, and whether the node failed or was
 * left unfinished by an interrupt (Ctrl-C, SIGTERM), which is the operator's doing, not the node's. Pure:
 * the planned evictions, what became of the actions and the nodes' own answers to server-side prunes in;
 * one row per selected node out, for the summary file and the metrics.
 */
import type { NodeListing, PruneResult } from './model.js';
import { naturalCompare } from './natural.js';
import { succeeded, type ActionOutcome } from './plan-outcome.js';
import type { Eviction, PruneAction } from './plan-prune.js';

export interface NodeTally {
  node: string;
  freedBytes: number;
  freedImages: number;
  /** The node did not answer the listing, or some of its actions failed or were withheld from it. */
  failed: boolean;
  /** An interrupt stopped its listing, kept some of its actions from being sent, or stopped waiting for their answers. */
  interrupted: boolean;
}

export function tallyPrune(listings: readonly NodeListing[], evictions: readonly Eviction[], outcomes: readonly ActionOutcome<PruneAction>[], serverSide: ReadonlyMap<string, PruneResult>): NodeTally[] {
  const sizes = new Map(evictions.map((eviction) => [`${eviction.node}\0${eviction.image}`, eviction.size]));
  const tallies = new Map(
    listings.map((listing): [string, NodeTally] => {
      const interrupted = !listing.ok && listing.errorKind === 'aborted';
      return [listing.name, { node: listing.name, freedBytes: 0, freedImages: 0, failed: !listing.ok && !interrupted, interrupted }];
    }),
  );
  for (const outcome of outcomes) {
    const { node, image, action } = outcome.action;
    const tally = tallies.get(node);
    if (!tally) continue;
    // 'aborted' is the interrupt's own kind (never sent, or its answer no longer awaited): see fleet/execute.ts.
    if (outcome.errorKind === 'aborted') tally.interrupted = true;
    else if (!succeeded(outcome)) tally.failed = true;
    if (outcome.result !== 'done') continue;
    if (action === 'prune') {
      tally.freedBytes += serverSide.get(node)?.bytesPruned ?? 0;
      tally.freedImages += serverSide.get(node)?.filesPruned ?? 0;
    } else {
      tally.freedBytes += sizes.get(`${node}\0${image ?? ''}`) ?? 0;
      tally.freedImages += 1;
    }
  }
  return [...tallies.values()].sort((a, b) => naturalCompare(a.node, b.node));
}
