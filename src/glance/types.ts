/** Which cache API a node speaks: the v2.14+ `/v2/cache` API, or the old cachemanagement middleware. */
export type ApiFlavor = 'cache' | 'legacy';

export interface ApiInfo {
  flavor: ApiFlavor;
  /** Highest CURRENT or SUPPORTED version the node lists, e.g. "v2.16". */
  version: string;
  /** API v2.18: POST /v2/cache/prune and /v2/cache/clean exist. */
  serverSidePrune: boolean;
}

export interface CachedImage {
  id: string;
  hits: number;
  /** Epoch seconds; null when never accessed (Glance reports 0). */
  lastAccessed: number | null;
  lastModified: number | null;
  size: number;
}

export interface NodeCache {
  cached: CachedImage[];
  queued: string[];
}

export type ClearTarget = 'cache' | 'queue' | 'both';

/** An image as the images API describes it. */
export interface ImageInfo {
  id: string;
  name: string | null;
  status: string;
  size: number | null;
}

/** What a delete found: Glance answers 204 whether or not the image was cached, 404 when it knows nothing of it. */
export type DeleteOutcome = 'deleted' | 'absent';

/** The node's own answer to POST /v2/cache/prune (API v2.18). */
export interface PruneResult {
  filesPruned: number;
  bytesPruned: number;
}
