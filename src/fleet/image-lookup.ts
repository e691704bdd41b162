/**
 * Names and statuses for the images the nodes report, fetched while the cache listings are still
 * arriving (design.md §8): each node's new IDs are looked up as soon as that node answers.
 */
import type { ImageInfo } from '../glance/types.js';

export type LookupBatch = (baseUrl: string, ids: string[], signal: AbortSignal) => Promise<Map<string, ImageInfo>>;

export class ImageLookup {
  private readonly requested = new Set<string>();
  private readonly pending: Promise<void>[] = [];
  private readonly found = new Map<string, ImageInfo>();
  /** Images API endpoints of the nodes that answered so far: every glance-api shares the database. */
  private readonly sources: string[] = [];
  /** The same endpoints as a set: at 5000 nodes, searching the list for each answer cost 0.4 s of CPU. */
  private readonly knownSources = new Set<string>();
  private turn = 0;
  private firstError: string | null = null;

  constructor(
    private readonly lookup: LookupBatch,
    private readonly signal: AbortSignal,
    private readonly batchSize: number,
  ) {}

  /**
   * Looks up the IDs not asked for yet; never rejects. The first batch goes to `source` (the node that
   * reported them, known to answer), the rest round-robin over every source so far: each node keeps one
   * connection, so spreading batches is what makes them run in parallel.
   */
  request(source: string, ids: Iterable<string>): void {
    if (!this.knownSources.has(source)) {
      this.knownSources.add(source);
      this.sources.push(source);
    }
    const fresh = [...ids].filter((id) => !this.requested.has(id));
    for (const id of fresh) this.requested.add(id);
    for (let start = 0; start < fresh.length; start += this.batchSize) {
      const base = start === 0 ? source : this.sources[this.turn++ % this.sources.length]!;
      this.pending.push(
        this.lookup(base, fresh.slice(start, start + this.batchSize), this.signal).then(
          (images) => {
            for (const [id, info] of images) this.found.set(id, info);
          },
          (error: unknown) => {
            this.firstError ??= error instanceof Error ? error.message : String(error);
          },
        ),
      );
    }
  }

  async settle(): Promise<{ images: Map<string, ImageInfo>; error: string | null }> {
    await Promise.all(this.pending);
    return { images: this.found, error: this.firstError };
  }
}
