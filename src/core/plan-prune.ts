/**
 * The plan of `prune`: which cached copies to evict from which answering node, and why. Pure and
 * deterministic: listings, Glance's view of the images, the policy and the clock in; the plan out, the
 * same whatever order the nodes answered in.
 *
 * Policies combine: an eviction carries every reason that selected it. Per-copy policies (orphans,
 * --older-than) go first; then the size limit, counting what they evicted as freed, so it evicts no more
 * than it must; --max-replicas last, counting only the copies left. Protected images are never evicted
 * by any of them.
 */
import type { CachedImage, ImageInfo, NodeListing } from './model.js';
import { naturalCompare } from './natural.js';
import { isServed } from './orphans.js';
import { answered } from './plan.js';

/** A node's size limit: the same byte count everywhere, or a share of each node's inventory max_size. */
export type SizeLimit = { bytes: number } | { percent: number };

export interface PrunePolicy {
  /** null: each node's inventory max_size, as glance-cache-pruner uses image_cache_max_size. */
  maxSize: SizeLimit | null;
  /** Evict copies nobody read for this long. */
  olderThanMs: number | null;
  /** Evict images Glance no longer serves (deleted or not active). */
  orphans: boolean;
  /** Keep at most this many copies of each image across the answering nodes. */
  maxReplicas: number | null;
  /** Image IDs or names never evicted (--keep and the inventory's protect list). */
  protect: readonly string[];
  /** More deletions than this and nothing may be sent. */
  maxDeletes: number | null;
  /** Let nodes offering API v2.18 prune themselves (POST /v2/cache/prune) instead of the size policy. */
  serverSide: boolean;
}

export type PruneReason = 'orphan' | 'older-than' | 'max-replicas' | 'max-size';

export interface Eviction {
  node: string;
  image: string;
  size: number;
  hits: number;
  lastAccessed: number | null;
  reasons: PruneReason[];
}

export interface PruneAction {
  node: string;
  /** null for a server-side prune, which is one request for the whole node. */
  image: string | null;
  action: 'delete' | 'prune';
}

export interface NodePrunePlan {
  node: string;
  /** What the size policy prunes to; null when none applies here (no max_size, or the node prunes itself). */
  limit: number | null;
  serverSide: boolean;
  cachedBytes: number;
  /** Left once the client-side evictions are done (a server-side prune may free more). */
  keptBytes: number;
  protectedBytes: number;
  evictions: number;
}

export interface PrunePlan {
  /** Node by node in natural order; each node's deletions least recently accessed first, its server-side prune last. */
  actions: PruneAction[];
  /** One per delete action, in the same order. */
  evictions: Eviction[];
  /** Every answering node, in natural order. */
  nodes: NodePrunePlan[];
  deletions: number;
  /** More deletions than policy.maxDeletes: the plan may be shown, never carried out. */
  overMaxDeletes: boolean;
  /** Nodes that offer server-side prune but cache a protected image: their own pruner would not spare it. */
  keptClientSide: string[];
}

/** A cached copy, by the index of its node in natural order. */
interface Copy {
  node: number;
  entry: CachedImage;
}

interface Evicted {
  eviction: Eviction;
  entry: CachedImage;
}

// Written for 1000 nodes x 1000 images (bench/prune.mjs): no per-copy lookups by name, no full sort of
// a node's cache unless it is over its limit, one pass per policy.
export function planPrune(listings: readonly NodeListing[], glance: ReadonlyMap<string, ImageInfo>, policy: PrunePolicy, nowMs: number): PrunePlan {
  const nodes = answered(listings).sort((a, b) => naturalCompare(a.name, b.name));
  const isProtected = protectedImages(policy.protect, glance);
  const cutoff = policy.olderThanMs === null ? null : (nowMs - policy.olderThanMs) / 1000;
  /** Per node (same index as `nodes`): image ID to its eviction. */
  const evicted = nodes.map(() => new Map<string, Evicted>());
  const evict = (node: number, entry: CachedImage, reason: PruneReason) => {
    const existing = evicted[node]!.get(entry.id);
    if (existing) existing.eviction.reasons.push(reason);
    else evicted[node]!.set(entry.id, { entry, eviction: { node: nodes[node]!.name, image: entry.id, size: entry.size, hits: entry.hits, lastAccessed: entry.lastAccessed, reasons: [reason] } });
  };

  if (policy.orphans || cutoff !== null) {
    nodes.forEach((listing, node) => {
      for (const entry of listing.cache!.cached) {
        if (isProtected(entry.id)) continue;
        // An orphan as src/core/orphans.ts defines it: cached, and not served by Glance.
        if (policy.orphans && !isServed(glance.get(entry.id)?.status)) evict(node, entry, 'orphan');
        const accessed = entry.lastAccessed ?? entry.lastModified;
        // A copy with no time at all has an unknown age: never old enough.
        if (cutoff !== null && accessed !== null && accessed < cutoff) evict(node, entry, 'older-than');
      }
    });
  }

  const plan: PrunePlan = { actions: [], evictions: [], nodes: [], deletions: 0, overMaxDeletes: false, keptClientSide: [] };
  const sizing = nodes.map((listing, node) => {
    const onNode = evicted[node]!;
    const entries = listing.cache!.cached;
    let cachedBytes = 0;
    let protectedBytes = 0;
    let protectedCopies = 0;
    let keptBytes = 0;
    for (const entry of entries) {
      cachedBytes += entry.size;
      if (isProtected(entry.id)) {
        protectedCopies++;
        protectedBytes += entry.size;
      }
      if (!onNode.has(entry.id)) keptBytes += entry.size;
    }
    const offersServerSide = policy.serverSide && Boolean(listing.api?.serverSidePrune);
    const serverSide = offersServerSide && protectedCopies === 0;
    if (offersServerSide && !serverSide) plan.keptClientSide.push(listing.name);
    const limit = serverSide ? null : limitOf(policy.maxSize, listing.maxSizeBytes);
    if (limit !== null && keptBytes > limit) {
      for (const entry of [...entries].sort(leastRecentlyAccessedFirst)) {
        if (keptBytes <= limit) break;
        if (onNode.has(entry.id) || isProtected(entry.id)) continue;
        evict(node, entry, 'max-size');
        keptBytes -= entry.size;
      }
    }
    return { listing, limit, serverSide, cachedBytes, protectedBytes };
  });

  // After the size limit, so that the copies it takes count against the replicas: an image never ends
  // up with fewer than N copies because both policies took one.
  if (policy.maxReplicas !== null) {
    for (const [image, copies] of survivingCopies(nodes, evicted)) {
      if (copies.length <= policy.maxReplicas || isProtected(image)) continue;
      copies.sort(byUse);
      for (const copy of copies.slice(policy.maxReplicas)) evict(copy.node, copy.entry, 'max-replicas');
    }
  }

  sizing.forEach(({ listing, limit, serverSide, cachedBytes, protectedBytes }, node) => {
    const onNode = [...evicted[node]!.values()].sort((a, b) => leastRecentlyAccessedFirst(a.entry, b.entry));
    let evictedBytes = 0;
    for (const { eviction } of onNode) {
      evictedBytes += eviction.size;
      plan.evictions.push(eviction);
      plan.actions.push({ node: listing.name, image: eviction.image, action: 'delete' });
    }
    if (serverSide) plan.actions.push({ node: listing.name, image: null, action: 'prune' });
    plan.nodes.push({ node: listing.name, limit, serverSide, cachedBytes, keptBytes: cachedBytes - evictedBytes, protectedBytes, evictions: onNode.length });
  });
  plan.deletions = plan.evictions.length;
  plan.overMaxDeletes = policy.maxDeletes !== null && plan.deletions > policy.maxDeletes;
  return plan;
}

/**
 * Whether an image ID is protected: given as an ID, or the ID of an image Glance names as given (a deleted
 * image has no name). IDs compare case-insensitively, as UUIDs do (`--keep 7FE8…` protects `7fe8…`); names exactly.
 */
function protectedImages(terms: readonly string[], glance: ReadonlyMap<string, ImageInfo>): (id: string) => boolean {
  if (terms.length === 0) return () => false;
  const ids = new Set(terms.map((term) => term.toLowerCase()));
  const names = new Set(terms);
  for (const [id, info] of glance) if (info.name !== null && names.has(info.name)) ids.add(id.toLowerCase());
  return (id) => ids.has(id.toLowerCase());
}

/**
 * glance-cache-pruner's order: the sqlite driver's `ORDER BY last_accessed`, the xattr driver's sort on
 * (atime, size, path). A copy never read since it was cached has last_accessed 0 in some drivers: its
 * caching time (last_modified) stands in, as the file's atime does for xattr. Size then ID settle ties.
 */
export function leastRecentlyAccessedFirst(a: CachedImage, b: CachedImage): number {
  return accessKey(a) - accessKey(b) || a.size - b.size || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function accessKey(entry: CachedImage): number {
  return entry.lastAccessed ?? entry.lastModified ?? 0;
}

/** The copies to keep first: most hits, then most recently read, then the node first by name. */
function byUse(a: Copy, b: Copy): number {
  return b.entry.hits - a.entry.hits || (b.entry.lastAccessed ?? -Infinity) - (a.entry.lastAccessed ?? -Infinity) || a.node - b.node;
}

function survivingCopies(nodes: readonly NodeListing[], evicted: readonly ReadonlyMap<string, Evicted>[]): Map<string, Copy[]> {
  const copies = new Map<string, Copy[]>();
  nodes.forEach((listing, node) => {
    for (const entry of listing.cache!.cached) {
      if (evicted[node]!.has(entry.id)) continue;
      const list = copies.get(entry.id);
      if (list) list.push({ node, entry });
      else copies.set(entry.id, [{ node, entry }]);
    }
  });
  return copies;
}

/** null when no limit applies: a share of an undeclared max_size is no limit. */
export function limitOf(maxSize: SizeLimit | null, nodeMaxSize: number | null): number | null {
  if (maxSize === null) return nodeMaxSize;
  if ('bytes' in maxSize) return maxSize.bytes;
  return nodeMaxSize === null ? null : Math.floor((nodeMaxSize * maxSize.percent) / 100);
}
