/**
 * What an acting command will send, computed from what the nodes hold right now. Pure: listings in, plan
 * out. Because the plan starts from the current state, running a command again after a partial failure
 * plans only what is left: whatever already took effect shows up as "already".
 */
import type { ClearTarget, NodeListing } from './model.js';

export type ActionKind = 'queue' | 'delete' | 'clear-cache' | 'clear-queue' | 'clear-all';

/** One request's worth of work on one node; `image` is null for whole-node actions (clear). */
export interface PlannedAction {
  node: string;
  image: string | null;
  action: ActionKind;
}

export interface Plan {
  /** What will be sent, node by node in listing order. */
  actions: PlannedAction[];
  /** Asked for, but the node is already in that state: nothing is sent for these. */
  already: PlannedAction[];
}

/** Cached or queued: in both cases a queue request would change nothing, and a delete has work to do. */
export function holds(listing: NodeListing, image: string): boolean {
  if (!listing.cache) return false;
  return listing.cache.queued.includes(image) || listing.cache.cached.some((entry) => entry.id === image);
}

/** Only nodes that answered can be planned for: what a silent node holds is unknown. */
export function answered(listings: readonly NodeListing[]): NodeListing[] {
  return listings.filter((listing) => listing.cache !== null);
}

/** Queue each image on every answering node that neither caches nor queues it. */
export function planQueue(listings: readonly NodeListing[], images: readonly string[]): Plan {
  return perImage(listings, images, 'queue', (listing, image) => !holds(listing, image));
}

/** Drop each image from every answering node that caches or queues it (orphans included). */
export function planPurge(listings: readonly NodeListing[], images: readonly string[]): Plan {
  return perImage(listings, images, 'delete', holds);
}

export const CLEAR_ACTIONS: Record<ClearTarget, ActionKind> = { cache: 'clear-cache', queue: 'clear-queue', both: 'clear-all' };

/** One clear per answering node that has something in the cleared list(s). */
export function planClear(listings: readonly NodeListing[], target: ClearTarget): Plan {
  const plan: Plan = { actions: [], already: [] };
  for (const listing of answered(listings)) {
    const cache = listing.cache!;
    const hasWork = (target !== 'queue' && cache.cached.length > 0) || (target !== 'cache' && cache.queued.length > 0);
    (hasWork ? plan.actions : plan.already).push({ node: listing.name, image: null, action: CLEAR_ACTIONS[target] });
  }
  return plan;
}

function perImage(listings: readonly NodeListing[], images: readonly string[], action: ActionKind, needed: (listing: NodeListing, image: string) => boolean): Plan {
  const plan: Plan = { actions: [], already: [] };
  const unique = [...new Set(images)];
  for (const listing of answered(listings)) {
    for (const image of unique) (needed(listing, image) ? plan.actions : plan.already).push({ node: listing.name, image, action });
  }
  return plan;
}

export interface PlanCounts {
  /** Distinct nodes with at least one action. */
  nodes: number;
  /** Distinct images acted on (whole-node actions count none). */
  images: number;
  /** Actions per kind. */
  byAction: Map<string, number>;
}

/** The numbers a confirmation prompt names: "purge 3 images from 5 nodes (12 deletions)?". */
export function countPlan(actions: readonly { node: string; image: string | null; action: string }[]): PlanCounts {
  const byAction = new Map<string, number>();
  for (const item of actions) byAction.set(item.action, (byAction.get(item.action) ?? 0) + 1);
  return {
    nodes: new Set(actions.map((item) => item.node)).size,
    images: new Set(actions.flatMap((item) => (item.image === null ? [] : [item.image]))).size,
    byAction,
  };
}

/** "1 image", "3 images". */
export function plural(count: number, noun: string, pluralNoun = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : pluralNoun}`;
}
