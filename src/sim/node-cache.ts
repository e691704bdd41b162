/**
 * One simulated node's image_cache_dir and queue, with the listing bodies Glance would send. Bodies are
 * rendered once per change: a benchmark lists a thousand nodes many times over and the state rarely moves.
 */
export type CacheDriver = 'sqlite' | 'xattr';

export interface SimCacheEntry {
  id: string;
  size: number;
  hits: number;
  /** Epoch seconds; 0 when the cached file was never read. */
  lastAccessed: number;
  lastModified: number;
}

export interface PruneTotals {
  files: number;
  bytes: number;
}

type Body = 'state' | 'cached' | 'queued';

export class SimNodeCache {
  private readonly cached = new Map<string, SimCacheEntry>();
  private readonly queued = new Set<string>();
  private readonly rendered = new Map<Body, Buffer>();

  constructor(private readonly driver: CacheDriver = 'sqlite') {}

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
    this.cached.set(entry.id, { ...entry });
    this.changed();
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
      return `{"image_id":${JSON.stringify(id)},"hits":${entry.hits},"last_accessed":${accessed},"last_modified":${modified},"size":${entry.size}}`;
    });
    return `[${rows.join(',')}]`;
  }

  private queuedJson(): string {
    return JSON.stringify([...this.queued]);
  }

  /** The sqlite driver stores float seconds; the xattr driver reports the file's whole-second atime and mtime. */
  private times(entry: SimCacheEntry): [number, number] {
    if (this.driver === 'sqlite') return [entry.lastAccessed, entry.lastModified];
    return [Math.floor(entry.lastAccessed || entry.lastModified), Math.floor(entry.lastModified)];
  }

  private changed(): void {
    this.rendered.clear();
  }
}
