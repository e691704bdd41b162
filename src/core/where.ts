/**
 * Per node state of given images: pure, from the same listings `ls` merges.
 */
import type { NodeListing } from './model.js';

export type LocationState = 'cached' | 'queued' | 'absent' | 'unknown';

export interface ImageLocation {
  image: string;
  node: string;
  state: LocationState;
  hits: number | null;
  lastAccessed: number | null;
  size: number | null;
  /** centralized_db's row id and checksum of a cached copy; null otherwise. */
  rowId: number | null;
  checksum: string | null;
}

/** One location per (image, node), images in the order asked, nodes in listing order. */
export function locateImages(imageIds: readonly string[], listings: readonly NodeListing[]): ImageLocation[] {
  const locations: ImageLocation[] = [];
  for (const image of imageIds) {
    for (const listing of listings) {
      const base = { image, node: listing.name, hits: null, lastAccessed: null, size: null, rowId: null, checksum: null };
      if (!listing.cache) {
        locations.push({ ...base, state: 'unknown' });
        continue;
      }
      const cached = listing.cache.cached.find((entry) => entry.id === image);
      if (cached) {
        locations.push({ ...base, state: 'cached', hits: cached.hits, lastAccessed: cached.lastAccessed, size: cached.size, rowId: cached.rowId ?? null, checksum: cached.checksum ?? null });
      }
      else locations.push({ ...base, state: listing.cache.queued.includes(image) ? 'queued' : 'absent' });
    }
  }
  return locations;
}
