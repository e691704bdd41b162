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
  private firstError: string | null = null;

  constructor(
    private readonly lookup: LookupBatch,
    private readonly signal: AbortSignal,
  ) {}

  /** Looks up the IDs not asked for yet, through baseUrl; never rejects. */
  request(baseUrl: string, ids: Iterable<string>): void {
    const fresh = [...ids].filter((id) => !this.requested.has(id));
    if (fresh.length === 0) return;
    for (const id of fresh) this.requested.add(id);
    this.pending.push(
      this.lookup(baseUrl, fresh, this.signal).then(
        (images) => {
          for (const [id, info] of images) this.found.set(id, info);
        },
        (error: unknown) => {
          this.firstError ??= error instanceof Error ? error.message : String(error);
        },
      ),
    );
  }

  async settle(): Promise<{ images: Map<string, ImageInfo>; error: string | null }> {
    await Promise.all(this.pending);
    return { images: this.found, error: this.firstError };
  }
}
