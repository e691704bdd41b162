/**
 * The domain model: what a node's cache holds, what the images API says of an image, and what one node
 * answered during a listing. Every layer speaks these types; they depend on nothing.
 */
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
  /** Counted by the node that served the reads. */
  hits: number;
  /**
   * Epoch seconds; null when the node reports 0. Glance sets it when it caches the image (equal to
   * lastModified on Zed's sqlite driver, a few microseconds before it on centralized_db) and moves it on
   * each read served from the cache, so a copy never read looks read once, at its caching time.
   */
  lastAccessed: number | null;
  lastModified: number | null;
  size: number;
  /**
   * centralized_db (Glance 2024.1+) only: the record's row in the shared database. One sequence serves
   * every node, so two nodes listing the same row for the same image are listing one node's records.
   */
  rowId?: number;
  /** centralized_db only: the checksum Glance stored with the cached copy. */
  checksum?: string;
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

/**
 * What a failed request to one peer looks like, as data: the fleet reports it per node and carries on.
 */
export type FailureKind =
  | 'refused'
  | 'dns'
  | 'connect-timeout'
  | 'timeout'
  | 'reset'
  | 'tls'
  | 'redirect'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'http'
  | 'bad-response'
  | 'too-large'
  | 'aborted'
  | 'unsupported'
  /** This machine, not the peer: out of file descriptors. */
  | 'local';

/** What one node said during a listing; the unit every pure core function consumes. */
export interface NodeListing {
  name: string;
  url: string;
  ok: boolean;
  error: string | null;
  errorKind: FailureKind | null;
  api: ApiInfo | null;
  cache: NodeCache | null;
  latencyMs: number | null;
  maxSizeBytes: number | null;
}
