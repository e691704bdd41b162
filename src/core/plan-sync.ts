/**
 * The plan of `sync`: converge the answering nodes on a target state, either "every image on at least N
 * nodes" (--replicas) or "what this node holds" (--like). Pure and deterministic: the same listings give
 * the same plan, whatever order the nodes answered in.
 */
import type { ImageInfo, NodeListing } from './model.js';
import { naturalCompare } from './natural.js';
import { answered, holds, type Plan } from './plan.js';

export type SyncTarget = { kind: 'replicas'; replicas: number } | { kind: 'like'; reference: string };

export interface SyncRequest {
  target: SyncTarget;
  /** --images: only these are considered, for copies and deletions alike; null means every image. */
  images: readonly string[] | null;
  /** --delete: also remove what the target state does not contain. */
  delete: boolean;
}

export interface SyncPlan extends Plan {
  /** Images the target wants copied that Glance cannot serve (deleted, or not active): never queued. */
  unavailable: string[];
}

/**
 * `glance` describes the images the images API knows: only active ones can be queued, and its sizes
 * weigh images no node has cached yet.
 */
export function planSync(listings: readonly NodeListing[], glance: ReadonlyMap<string, ImageInfo>, request: SyncRequest): SyncPlan {
  const nodes = answered(listings).sort((a, b) => naturalCompare(a.name, b.name));
  const only = request.images ? new Set(request.images) : null;
  const queueable = (image: string) => glance.get(image)?.status === 'active';
  const plan: SyncPlan = { actions: [], already: [], unavailable: [] };
  const unavailable = (image: string) => {
    if (!plan.unavailable.includes(image)) plan.unavailable.push(image);
  };
  if (request.target.kind === 'like') {
    planLike(nodes, request.target.reference, only, request.delete, queueable, plan, unavailable);
  } else {
    planReplicas(nodes, request.target.replicas, only, request.delete, queueable, sizesOf(nodes, glance), plan, unavailable);
  }
  return plan;
}

function planLike(
  nodes: NodeListing[],
  referenceName: string,
  only: Set<string> | null,
  deleteExtra: boolean,
  queueable: (image: string) => boolean,
  plan: SyncPlan,
  unavailable: (image: string) => void,
): void {
  const reference = nodes.find((node) => node.name === referenceName);
  if (!reference) throw new Error(`sync --like ${referenceName}: the reference node has no listing`);
  const considered = (image: string) => only === null || only.has(image);
  const target = heldBy(reference).filter(considered);
  const wanted = new Set(target);
  for (const node of nodes) {
    if (node === reference) continue;
    // Deletions first: they free the space the copies will take.
    if (deleteExtra) {
      for (const image of heldBy(node)) if (considered(image) && !wanted.has(image)) plan.actions.push({ node: node.name, image, action: 'delete' });
    }
    for (const image of target) {
      if (holds(node, image)) continue;
      if (queueable(image)) plan.actions.push({ node: node.name, image, action: 'queue' });
      else unavailable(image);
    }
  }
}

/**
 * Largest images first, each copy to the answering node with the fewest bytes at that moment (ties: the
 * first in natural order), so nodes end up as even as the holdings allow. With --delete, copies above N
 * leave the nodes with the most bytes.
 */
function planReplicas(
  nodes: NodeListing[],
  replicas: number,
  only: Set<string> | null,
  deleteExtra: boolean,
  queueable: (image: string) => boolean,
  sizeOf: (image: string) => number,
  plan: SyncPlan,
  unavailable: (image: string) => void,
): void {
  const wanted = Math.min(replicas, nodes.length);
  const holders = new Map<string, Set<string>>();
  const load = new Map<string, number>();
  for (const node of nodes) {
    load.set(node.name, 0);
    for (const image of heldBy(node)) {
      if (!holders.has(image)) holders.set(image, new Set());
      holders.get(image)!.add(node.name);
      load.set(node.name, load.get(node.name)! + sizeOf(image));
    }
  }
  const images = only ? [...only] : [...holders.keys()];
  images.sort((a, b) => sizeOf(b) - sizeOf(a) || (a < b ? -1 : a > b ? 1 : 0));
  const byLoad = (a: string, b: string) => load.get(a)! - load.get(b)! || naturalCompare(a, b);
  for (const image of images) {
    const holding = holders.get(image) ?? new Set<string>();
    if (holding.size < wanted) {
      if (!queueable(image)) {
        unavailable(image);
        continue;
      }
      const chosen = nodes.map((node) => node.name).filter((name) => !holding.has(name)).sort(byLoad).slice(0, wanted - holding.size);
      for (const node of chosen) {
        plan.actions.push({ node, image, action: 'queue' });
        load.set(node, load.get(node)! + sizeOf(image));
      }
    } else if (deleteExtra && holding.size > wanted) {
      const dropped = [...holding].sort((a, b) => byLoad(b, a)).slice(0, holding.size - wanted);
      for (const node of dropped) {
        plan.actions.push({ node, image, action: 'delete' });
        load.set(node, load.get(node)! - sizeOf(image));
      }
    }
  }
}

/** Everything the node caches or queues, cached first, each once. */
function heldBy(node: NodeListing): string[] {
  const cache = node.cache!;
  return [...new Set([...cache.cached.map((entry) => entry.id), ...cache.queued])];
}

/** Glance's size when it has one, else the largest size any node reports, else nothing known: 0. */
function sizesOf(nodes: readonly NodeListing[], glance: ReadonlyMap<string, ImageInfo>): (image: string) => number {
  const reported = new Map<string, number>();
  for (const node of nodes) {
    for (const entry of node.cache!.cached) reported.set(entry.id, Math.max(reported.get(entry.id) ?? 0, entry.size));
  }
  return (image) => glance.get(image)?.size ?? reported.get(image) ?? 0;
}
