/**
 * One fleet-wide view of every cached and queued image. Pure and order-independent: any permutation of
 * the node listings gives the same result, so output never depends on which node answered first.
 */
import type { CachedImage, ImageInfo, NodeListing } from './model.js';
import { naturalCompare } from './natural.js';

export interface MergedImage {
  id: string;
  name: string | null;
  /** Glance's size when known, else the largest size any node reports. */
  size: number | null;
  /** Glance's status; null when the images API did not describe the image (deleted or not visible). */
  status: string | null;
  cachedOn: string[];
  queuedOn: string[];
  hits: number;
  /** Latest access on any node, epoch seconds; null when never accessed anywhere. */
  lastAccessed: number | null;
  /** The size each node of cachedOn holds, in the same order: for drift checks and wasted bytes. */
  cachedSizes: number[];
}

/** Node name to the size that node holds. */
export function sizeByNode(image: MergedImage): Record<string, number> {
  return Object.fromEntries(image.cachedOn.map((node, index) => [node, image.cachedSizes[index]!]));
}

export function mergeListings(listings: readonly NodeListing[], images: ReadonlyMap<string, ImageInfo>): MergedImage[] {
  // Visiting nodes in natural order once leaves every per-image node list sorted, with no per-image sort:
  // at 1000 nodes x 1000 images that is the difference between seconds and milliseconds.
  const ordered = [...listings].sort((a, b) => naturalCompare(a.name, b.name) || naturalCompare(a.url, b.url));
  const merged = new Map<string, MergedImage>();
  const entry = (id: string): MergedImage => {
    let image = merged.get(id);
    if (!image) {
      const info = images.get(id);
      image = { id, name: info?.name ?? null, size: info?.size ?? null, status: info?.status ?? null, cachedOn: [], queuedOn: [], hits: 0, lastAccessed: null, cachedSizes: [] };
      merged.set(id, image);
    }
    return image;
  };
  for (const listing of ordered) {
    if (!listing.cache) continue;
    for (const cached of listing.cache.cached) {
      const image = entry(cached.id);
      image.cachedOn.push(listing.name);
      image.hits += cached.hits;
      image.cachedSizes.push(cached.size);
      if (cached.lastAccessed !== null && (image.lastAccessed === null || cached.lastAccessed > image.lastAccessed)) {
        image.lastAccessed = cached.lastAccessed;
      }
    }
    for (const id of listing.cache.queued) entry(id).queuedOn.push(listing.name);
  }
  const result = [...merged.values()];
  for (const image of result) {
    if (image.size === null && image.cachedOn.length > 0) {
      image.size = image.cachedSizes.reduce((largest, size) => Math.max(largest, size), 0);
    }
  }
  return result.sort(compareImagesByName);
}

/** One node's cached copy of an image, as that node described it. */
export interface CopyOnNode {
  node: string;
  entry: CachedImage;
}

/** The per-node detail behind the merged rows: each image's cached copies, nodes in natural order. */
export function copiesByImage(listings: readonly NodeListing[]): Map<string, CopyOnNode[]> {
  const copies = new Map<string, CopyOnNode[]>();
  for (const listing of [...listings].sort((a, b) => naturalCompare(a.name, b.name) || naturalCompare(a.url, b.url))) {
    for (const entry of listing.cache?.cached ?? []) {
      const list = copies.get(entry.id);
      if (list) list.push({ node: listing.name, entry });
      else copies.set(entry.id, [{ node: listing.name, entry }]);
    }
  }
  return copies;
}

export type ImageSortKey = 'name' | 'id' | 'size' | 'nodes' | 'hits' | 'last-accessed';
export const IMAGE_SORT_KEYS: readonly ImageSortKey[] = ['name', 'id', 'size', 'nodes', 'hits', 'last-accessed'];

/** Names first (unnamed last), then id: a stable total order. */
function compareImagesByName(a: MergedImage, b: MergedImage): number {
  if (a.name !== b.name) {
    if (a.name === null) return 1;
    if (b.name === null) return -1;
    const byName = naturalCompare(a.name, b.name);
    if (byName) return byName;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Numeric keys sort largest/most recent first, as an operator looking for the heavy hitters expects. */
export function sortImages(images: readonly MergedImage[], key: ImageSortKey): MergedImage[] {
  const descending = (pick: (image: MergedImage) => number) => (a: MergedImage, b: MergedImage) =>
    pick(b) - pick(a) || compareImagesByName(a, b);
  const compare: Record<ImageSortKey, (a: MergedImage, b: MergedImage) => number> = {
    name: compareImagesByName,
    id: (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    size: descending((image) => image.size ?? -1),
    nodes: descending((image) => image.cachedOn.length * 1e6 + image.queuedOn.length),
    hits: descending((image) => image.hits),
    'last-accessed': descending((image) => image.lastAccessed ?? -1),
  };
  return [...images].sort(compare[key]);
}

export type ImageState = 'cached' | 'queued' | 'all';

export function filterByState(images: readonly MergedImage[], state: ImageState): MergedImage[] {
  if (state === 'all') return [...images];
  return images.filter((image) => (state === 'cached' ? image.cachedOn.length > 0 : image.queuedOn.length > 0));
}
