/**
 * Drift: what a healthy fleet's caches should not show, found in one listing. Pure.
 *
 * - size_mismatch: one image cached with different sizes on different nodes, or with a size other than
 *   Glance's: a copy is truncated or stale, and that node serves it.
 * - stuck_queue: an image queued on a node while Glance has no active image under that ID: a node only
 *   caches active images, so the entry waits forever.
 * - over_max_size: a node caching more than the max_size the inventory declares for it:
 *   image_cache_max_size is only enforced by glance-cache-pruner, so its cron job is not running.
 *
 * Not detectable: how long an entry has been queued. GET /v2/cache gives queued images as bare IDs,
 * with no time, and one listing cannot tell an entry queued a second ago from one queued last year.
 */
import type { ImageInfo, NodeListing } from './model.js';
import type { MergedImage } from './merge.js';
import { naturalCompare } from './natural.js';
import { isServed } from './orphans.js';

export interface SizeMismatch {
  image: string;
  name: string | null;
  /** Glance's size, when Glance knows it. */
  glanceSize: number | null;
  /** Each size seen, with the nodes holding a copy of that size; most common first. */
  sizes: { size: number; nodes: string[] }[];
}

export interface StuckQueue {
  image: string;
  name: string | null;
  /** Glance's status; null when Glance shows no such image. */
  status: string | null;
  nodes: string[];
}

export interface OverMaxSize {
  node: string;
  cachedBytes: number;
  maxSize: number;
}

export interface DriftReport {
  sizeMismatches: SizeMismatch[];
  stuckQueues: StuckQueue[];
  overMaxSize: OverMaxSize[];
}

/** `images` is the images API's answer; like findOrphans, only meaningful when that lookup succeeded. */
export function findDrift(merged: readonly MergedImage[], listings: readonly NodeListing[], images: ReadonlyMap<string, ImageInfo>): DriftReport {
  const sizeMismatches: SizeMismatch[] = [];
  const stuckQueues: StuckQueue[] = [];
  for (const image of merged) {
    const glanceSize = images.get(image.id)?.size ?? null;
    const expected = glanceSize ?? image.cachedSizes[0];
    if (image.cachedSizes.some((size) => size !== expected)) {
      const bySize = new Map<number, string[]>();
      image.cachedOn.forEach((node, index) => {
        const size = image.cachedSizes[index]!;
        const nodes = bySize.get(size);
        if (nodes) nodes.push(node);
        else bySize.set(size, [node]);
      });
      const sizes = [...bySize].map(([size, nodes]) => ({ size, nodes }));
      sizes.sort((a, b) => b.nodes.length - a.nodes.length || a.size - b.size);
      sizeMismatches.push({ image: image.id, name: image.name, glanceSize, sizes });
    }
    if (image.queuedOn.length > 0 && !isServed(image.status)) {
      stuckQueues.push({ image: image.id, name: image.name, status: image.status, nodes: image.queuedOn });
    }
  }
  const overMaxSize = listings
    .flatMap((listing): OverMaxSize[] => {
      if (!listing.cache || listing.maxSizeBytes === null) return [];
      const cachedBytes = listing.cache.cached.reduce((total, image) => total + image.size, 0);
      return cachedBytes > listing.maxSizeBytes ? [{ node: listing.name, cachedBytes, maxSize: listing.maxSizeBytes }] : [];
    })
    .sort((a, b) => naturalCompare(a.node, b.node));
  return { sizeMismatches: sizeMismatches.sort(byImage), stuckQueues: stuckQueues.sort(byImage), overMaxSize };
}

function byImage(a: { image: string }, b: { image: string }): number {
  return a.image < b.image ? -1 : a.image > b.image ? 1 : 0;
}
