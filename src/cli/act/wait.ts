/**
 * --wait (WAIT_OPTIONS in options.ts) for the commands that queue images (queue, sync): turns the copies that were not
 * cached in time into failures.
 */
import type { ActionOutcome } from '../../core/plan-outcome.js';
import { formatAge } from '../../core/units.js';
import { awaitCached, type CacheWait, type WaitState } from '../../fleet/await-cached.js';
import { sanitizeText } from '../../output/sanitize.js';
import type { NodeAccess, PlanItem } from './act.js';
import type { CommandContext } from '../context.js';
import type { ListingRun } from '../listing-run.js';

/** Lines of per-node progress shown while waiting; the rest are counted. */
const PROGRESS_NODES = 8;

/**
 * Follows every node that was sent a queue request, or already had the image queued, until the images are
 * cached. Legacy nodes are not followed: nothing caches there until their prefetcher runs.
 */
export async function followUntilCached<A extends PlanItem>(
  context: CommandContext,
  run: ListingRun<unknown>,
  access: (node: string) => NodeAccess,
  outcomes: ActionOutcome<A>[],
  timeoutMs: number,
): Promise<ActionOutcome<A>[]> {
  const listings = new Map(run.result.listings.map((listing) => [listing.name, listing]));
  const specs = new Map(run.fleet.nodes.map((node) => [node.name, node]));
  const pending = new Map<string, string[]>();
  for (const { action, result } of outcomes) {
    const listing = listings.get(action.node);
    if (action.action !== 'queue' || listing?.api?.flavor !== 'cache' || action.image === null) continue;
    const queuedBefore = result === 'already' && !listing.cache?.cached.some((entry) => entry.id === action.image);
    if (result === 'done' || queuedBefore) pending.set(action.node, [...(pending.get(action.node) ?? []), action.image]);
  }
  if (pending.size === 0) return outcomes;
  const waits: CacheWait[] = [...pending].map(([node, images]) => ({ node, ...access(node), callTimeoutMs: specs.get(node)!.timeoutMs, images }));
  await context.progress.start(`Waiting for images to be cached… 0/${waits.length} nodes done`);
  let states: WaitState[];
  try {
    states = await awaitCached(waits, {
      timeoutMs,
      fanout: context.globals.fanout,
      signal: context.signal,
      now: context.now,
      onProgress: (current) => context.progress.update(waitingText(current)),
    });
  } finally {
    context.progress.stop();
  }
  const byNode = new Map(states.map((state) => [state.node, state]));
  // Interrupted: the requests were sent all the same; what the wait did not see stays "done".
  if (context.signal.aborted) return outcomes;
  return outcomes.map((outcome) => {
    const state = byNode.get(outcome.action.node);
    const image = outcome.action.image;
    if (!state || image === null || !pending.get(outcome.action.node)?.includes(image) || state.cached.has(image)) return outcome;
    const seen = state.queued.has(image) ? 'still queued' : 'neither cached nor queued at the last look';
    const lastError = state.error ? `; last look failed: ${state.error}` : '';
    return { ...outcome, result: 'failed', error: `not cached within ${formatAge(timeoutMs)} (${seen}${lastError})`, errorKind: 'timeout' };
  });
}

/** The live display: a summary line, then the nodes still caching, each with its count. */
function waitingText(states: readonly WaitState[]): string {
  const waiting = states.filter((state) => state.cached.size < state.total);
  const head = `Waiting for images to be cached… ${states.length - waiting.length}/${states.length} nodes done`;
  const lines = waiting.slice(0, PROGRESS_NODES).map((state) => `  ${state.node}  ${state.cached.size}/${state.total} cached${state.error ? ` (last look: ${state.error})` : ''}`);
  const more = waiting.length > PROGRESS_NODES ? [`  … and ${waiting.length - PROGRESS_NODES} more nodes`] : [];
  // The spinner writes to the terminal as it is: a node's error text is escaped here.
  return [head, ...lines, ...more].map(sanitizeText).join('\n');
}
