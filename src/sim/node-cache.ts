/**
 * One simulated node's image_cache_dir and queue, with the listing bodies Glance would send. Bodies are
 * rendered once per change: a benchmark lists a thousand nodes many times over and the state rarely moves.
 * With centralized_db (Glance 2024.1+) the records are the database rows of one worker_self_reference_url
 * (SimCatalog.cacheRowsOf): nodes started with the same one share an instance, as they share the rows.
 * The simulator shares their queue too, which Glance keeps on each node's disk.
 */
export type CacheDriver = 'sqlite' | 'xattr' | 'centralized_db';

export interface SimCacheEntry {
  id: string;
  size: number;
  hits: number;
  /** Epoch seconds; 0 when the cached file was never read. */
  lastAccessed: number;
  lastModified: number;
  /** centralized_db: the row's id, from the database's one sequence; given a new one when the image is newly cached. */
  rowId?: number;
  /** centralized_db: stored with the row; Glance 30 leaves it null (seen, read-through and PUT alike). */
  checksum?: string | null;
}

/** centralized_db writes last_accessed just before last_modified when it records a new copy (seen on Glance 30.0). */
const FRESH_ACCESS_LEAD_SECONDS = 0.000_004;

export interface PruneTotals {
  files: number;
  bytes: number;
}

type Body = 'state' | 'cached' | 'queued';

export class SimNodeCache {
  private readonly cached = new Map<string, SimCacheEntry>();
  private readonly queued = new Set<string>();
  private readonly rendered = new Map<Body, Buffer>();

  /** nextRowId: the database's sequence, for centralized_db. */
  constructor(
    private readonly driver: CacheDriver = 'sqlite',
    private readonly nextRowId: () => number = unsequenced,
  ) {}

  /** The times of a copy written at `seconds`, as this driver records them. */
  fresh(seconds: number): { lastAccessed: number; lastModified: number } {
    return freshTimes(this.driver, seconds);
  }

  isCached(id: string): boolean {
    return this.cached.has(id);
  }

  isQueued(id: string): boolean {
    return this.queued.has(id);
  }

  /** Glance's queue_image: nothing happens for an image already cached or queued. */
  queue(id: string): void {
    if (this.cached.has(id) || this.queued.has(id)) return;
    this.queued.add(id);
    this.changed();
  }

  /** The file is written (by a read through the node, the Zed worker, or the prefetcher). */
  store(entry: SimCacheEntry): void {
    this.queued.delete(entry.id);
    this.cached.set(entry.id, this.driver === 'centralized_db' ? this.row(entry) : { ...entry });
    this.changed();
  }

  /** A new row for a newly cached image; an image cached again over its file keeps its row. */
  private row(entry: SimCacheEntry): SimCacheEntry {
    const rowId = entry.rowId ?? this.cached.get(entry.id)?.rowId ?? this.nextRowId();
    return { ...entry, rowId, checksum: entry.checksum ?? null };
  }

  /** A read served from the cache. */
  hit(id: string, nowSeconds: number): boolean {
    const entry = this.cached.get(id);
    if (!entry) return false;
    entry.hits += 1;
    entry.lastAccessed = nowSeconds;
    this.changed();
    return true;
  }

  removeCached(id: string): boolean {
    const removed = this.cached.delete(id);
    if (removed) this.changed();
    return removed;
  }

  removeQueued(id: string): boolean {
    const removed = this.queued.delete(id);
    if (removed) this.changed();
    return removed;
  }

  clearCached(): number {
    const count = this.cached.size;
    this.cached.clear();
    this.changed();
    return count;
  }

  clearQueued(): number {
    const count = this.queued.size;
    this.queued.clear();
    this.changed();
    return count;
  }

  queuedIds(): string[] {
    return [...this.queued];
  }

  entries(): SimCacheEntry[] {
    return [...this.cached.values()].map((entry) => ({ ...entry }));
  }

  /** glance-cache-pruner: least recently accessed first until the cache fits in maxBytes. */
  prune(maxBytes: number): PruneTotals {
    let total = 0;
    for (const entry of this.cached.values()) total += entry.size;
    const totals = { files: 0, bytes: 0 };
    if (total <= maxBytes) return totals;
    const oldestFirst = [...this.cached.values()].sort((a, b) => a.lastAccessed - b.lastAccessed);
    for (const entry of oldestFirst) {
      if (total <= maxBytes) break;
      this.cached.delete(entry.id);
      total -= entry.size;
      totals.files += 1;
      totals.bytes += entry.size;
    }
    this.changed();
    return totals;
  }

  /** GET /v2/cache. */
  stateBody(): Buffer {
    return this.render('state', () => `{"cached_images":${this.cachedJson()},"queued_images":${this.queuedJson()}}`);
  }

  /** Legacy GET /v2/cached_images. */
  cachedBody(): Buffer {
    return this.render('cached', () => `{"cached_images":${this.cachedJson()}}`);
  }

  /** Legacy GET /v2/queued_images. */
  queuedBody(): Buffer {
    return this.render('queued', () => `{"queued_images":${this.queuedJson()}}`);
  }

  private render(body: Body, build: () => string): Buffer {
    let buffer = this.rendered.get(body);
    if (!buffer) {
      buffer = Buffer.from(build());
      this.rendered.set(body, buffer);
    }
    return buffer;
  }

  /** Sorted by image ID, as the sqlite driver's query orders them. */
  private cachedJson(): string {
    const ids = [...this.cached.keys()].sort();
    const rows = ids.map((id) => {
      const entry = this.cached.get(id)!;
      const [accessed, modified] = this.times(entry);
      const times = `"last_accessed":${accessed},"last_modified":${modified}`;
      // Each driver's field order, as the real ones send them.
      if (this.driver !== 'centralized_db') return `{"image_id":${JSON.stringify(id)},"hits":${entry.hits},${times},"size":${entry.size}}`;
      return `{"id":${entry.rowId!},"image_id":${JSON.stringify(id)},${times},"size":${entry.size},"hits":${entry.hits},"checksum":${JSON.stringify(entry.checksum ?? null)}}`;
    });
    return `[${rows.join(',')}]`;
  }

  private queuedJson(): string {
    return JSON.stringify([...this.queued]);
  }

  /** The database drivers store float seconds; the xattr driver reports the file's whole-second atime and mtime. */
  private times(entry: SimCacheEntry): [number, number] {
    if (this.driver !== 'xattr') return [entry.lastAccessed, entry.lastModified];
    return [Math.floor(entry.lastAccessed || entry.lastModified), Math.floor(entry.lastModified)];
  }

  private changed(): void {
    this.rendered.clear();
  }
}

/** The times a driver records for a copy written at `seconds`. */
export function freshTimes(driver: CacheDriver, seconds: number): { lastAccessed: number; lastModified: number } {
  if (driver !== 'centralized_db') return { lastAccessed: seconds, lastModified: seconds };
  return { lastAccessed: Math.round((seconds - FRESH_ACCESS_LEAD_SECONDS) * 1e6) / 1e6, lastModified: seconds };
}

function unsequenced(): number {
  throw new Error('a centralized_db cache needs the database\'s row sequence (SimCatalog.cacheRowsOf)');
}
