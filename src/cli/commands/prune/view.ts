/** What prune says of its plan: the line before the prompt, and its own fields of the JSON document. */
import { countPlan, plural } from '../../../core/plan.js';
import type { PrunePlan } from '../../../core/plan-prune.js';
import type { NodeTally } from '../../../core/prune-tally.js';
import { formatSize } from '../../../core/units.js';
import type { ListingRun } from '../../listing-run.js';
import { isoTime } from '../../views.js';
import type { PruneSettings } from './options.js';

/** "prune 2 nodes (5 deletions of 3 images, 1.5 GiB; 1 server-side prune)": the preview line and the prompt. */
export function planSummary(plan: PrunePlan): string {
  const counts = countPlan(plan.actions);
  const prunes = counts.byAction.get('prune') ?? 0;
  const parts = [
    ...(plan.deletions ? [`${plural(plan.deletions, 'deletion')} of ${plural(counts.images, 'image')}, ${formatSize(sum(plan.evictions.map((eviction) => eviction.size)))}`] : []),
    ...(prunes ? [plural(prunes, 'server-side prune')] : []),
  ];
  return `prune ${plural(counts.nodes, 'node')} (${parts.join('; ')})`;
}

/** Prune's own fields of the JSON document, beside act()'s plan, outcome and nodes. */
export function documentExtra(run: ListingRun<unknown>, settings: PruneSettings, protect: string[], plan: PrunePlan, nameOf: (id: string) => string | null): Record<string, unknown> {
  const { policy } = settings;
  return {
    policies: {
      max_size: settings.given.maxSize,
      older_than: settings.given.olderThan,
      orphans: policy.orphans,
      max_replicas: policy.maxReplicas,
      max_deletes: policy.maxDeletes,
      server_side: policy.serverSide,
      keep: settings.keep,
      protect: run.fleet.inventory.protect,
    },
    evictions: plan.evictions.map((eviction) => ({
      node: eviction.node,
      image: eviction.image,
      name: nameOf(eviction.image),
      size: eviction.size,
      hits: eviction.hits,
      last_accessed: isoTime(eviction.lastAccessed),
      reasons: eviction.reasons,
    })),
    node_plans: plan.nodes.map((node) => ({
      node: node.node,
      limit: node.limit,
      server_side: node.serverSide,
      cached_bytes: node.cachedBytes,
      kept_bytes: node.keptBytes,
      protected_bytes: node.protectedBytes,
      evictions: node.evictions,
    })),
  };
}

/** "freed 12 cached images (3.2 GiB) on 2 nodes": the last line of a run that deleted. */
export function freedText(tallies: readonly NodeTally[]): string {
  const freed = tallies.filter((tally) => tally.freedImages > 0);
  return `freed ${plural(sum(freed.map((tally) => tally.freedImages)), 'cached image')} (${formatSize(sum(freed.map((tally) => tally.freedBytes)))}) on ${plural(freed.length, 'node')}`;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
