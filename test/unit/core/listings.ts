/** Builders for the NodeListing records the pure core consumes. */
import type { CachedImage, NodeCache, NodeListing } from '../../../src/core/model.js';

export function cachedImage(id: string, fields: Partial<Omit<CachedImage, 'id'>> = {}): CachedImage {
  return { id, hits: 0, lastAccessed: null, lastModified: null, size: 1000, ...fields };
}

export function listing(name: string, cache: NodeCache | null): NodeListing {
  return {
    name,
    url: `http://${name}:9292`,
    ok: cache !== null,
    error: cache === null ? 'connection refused' : null,
    errorKind: cache === null ? 'refused' : null,
    api: cache === null ? null : { flavor: 'cache', version: 'v2.16', serverSidePrune: false },
    cache,
    latencyMs: cache === null ? null : 5,
    maxSizeBytes: null,
  };
}
