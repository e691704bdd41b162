/**
 * Names and statuses for the images the nodes report, fetched while the cache listings are still
 * arriving (docs/architecture.md, "Listing: one round trip"): each node's new IDs are queued as soon as that node answers, in batches, and
 * every node that has answered so far takes batches from the queue, a few at a time. Every glance-api
 * serves the images API from the shared database, so any answered node will do; pulling from one queue
 * means the first node to answer does not keep all of its own batches while the others, answering a
 * moment later, sit idle (3 nodes x 1000 images: three rounds of lookups after the listing, now one).
 * An endpoint that fails a batch gets no more: each call is bounded by the run's --timeout (the HTTP
 * client's total), so a hung images API costs the run that timeout once, not once per batch.
 *
 * Batches wait for a primer when there is one: a page of the images API asked for when the listing starts,
 * in the same round trip as the nodes' caches. What it names is not asked again, so a fleet whose cached
 * images fit in that page gets its names with no second round trip at all.
 */
import type { ImageInfo } from '../core/model.js';

export type LookupBatch = (baseUrl: string, ids: string[], signal: AbortSignal) => Promise<Map<string, ImageInfo>>;

interface Source {
  baseUrl: string;
  busy: number;
  /** It failed a batch (timed out, refused, answered nonsense): it gets no more. */
  failed: boolean;
}

export class ImageLookup {
  private readonly requested = new Set<string>();
  private readonly queue: string[][] = [];
  private readonly found = new Map<string, ImageInfo>();
  /** Images API endpoints of the nodes that answered so far, with the batches each has in flight. */
  private readonly sources: Source[] = [];
  /** The same endpoints by URL: at 5000 nodes, searching the list for each answer cost 0.4 s of CPU. */
  private readonly knownSources = new Set<string>();
  private inFlight = 0;
  private readonly whenIdle: (() => void)[] = [];
  private firstError: string | null = null;
  /** settle() was called: no node will answer any more, so no new endpoint will come. */
  private settling = false;
  /** A primer is still on its way: batches wait for it. */
  private priming = false;
  /** The primer held every image there is: nothing is left to ask by ID. */
  private catalogComplete = false;

  constructor(
    private readonly lookup: LookupBatch,
    private readonly signal: AbortSignal,
    private readonly batchSize: number,
    /** Batches one endpoint works on at once: the connections its pool keeps. */
    private readonly perSource: number,
    /** Batches in flight in all: each holds a socket, and a large fleet has many endpoints. */
    private readonly maxInFlight: number,
  ) {}

  /** Queues the IDs not asked for yet, and `source` as an endpoint to ask; never rejects. */
  request(source: string, ids: Iterable<string>): void {
    if (!this.knownSources.has(source)) {
      this.knownSources.add(source);
      this.sources.push({ baseUrl: source, busy: 0, failed: false });
    }
    let batch: string[] = [];
    for (const id of ids) {
      // Asked already, or named by the primer.
      if (this.catalogComplete || this.requested.has(id) || this.found.has(id)) continue;
      this.requested.add(id);
      batch.push(id);
      if (batch.length === this.batchSize) {
        this.queue.push(batch);
        batch = [];
      }
    }
    if (batch.length > 0) this.queue.push(batch);
    this.dispatch();
  }

  /**
   * Holds batches back until `page` settles, then asks only for the IDs it did not name; none at all when
   * the page was the whole catalog (an ID missing from it is deleted, or not ours to see). A primer that
   * fails (null) just lets them go: the batches find the names instead.
   */
  prime(page: Promise<{ images: Map<string, ImageInfo>; complete: boolean } | null>): void {
    this.priming = true;
    void page.then((primer) => {
      this.priming = false;
      if (primer) {
        for (const [id, info] of primer.images) this.found.set(id, info);
        this.catalogComplete = primer.complete;
        const missing = primer.complete ? [] : this.queue.flat().filter((id) => !primer.images.has(id));
        this.queue.length = 0;
        for (let start = 0; start < missing.length; start += this.batchSize) this.queue.push(missing.slice(start, start + this.batchSize));
      }
      this.dispatch();
    });
  }

  /** Waits for the batches in flight; `error` names the endpoint of the first that failed. */
  async settle(): Promise<{ images: Map<string, ImageInfo>; error: string | null }> {
    this.settling = true;
    this.dispatch();
    if (this.queue.length > 0 || this.inFlight > 0) await new Promise<void>((resolve) => this.whenIdle.push(resolve));
    return { images: this.found, error: this.firstError };
  }

  /** Hands queued batches to the least busy endpoints with a free slot. */
  private dispatch(): void {
    if (this.signal.aborted && this.queue.length > 0) {
      this.queue.length = 0;
      this.firstError ??= 'interrupted';
    }
    while (!this.priming && this.queue.length > 0 && this.inFlight < this.maxInFlight) {
      const source = this.leastBusy();
      if (!source) break;
      const batch = this.queue.shift()!;
      source.busy++;
      this.inFlight++;
      this.lookup(source.baseUrl, batch, this.signal)
        .then(
          (images) => {
            for (const [id, info] of images) this.found.set(id, info);
          },
          (error: unknown) => {
            // An endpoint that failed once would most likely fail again, a timeout at a time.
            source.failed = true;
            this.firstError ??= `images API ${source.baseUrl}: ${error instanceof Error ? error.message : String(error)}`;
          },
        )
        .finally(() => {
          source.busy--;
          this.inFlight--;
          this.dispatch();
        });
    }
    // Batches nobody can take: every endpoint so far failed, and no other will come. Their names stay unknown.
    if (this.settling && !this.priming && this.inFlight === 0) this.queue.length = 0;
    if (!this.priming && this.queue.length === 0 && this.inFlight === 0) for (const resolve of this.whenIdle.splice(0)) resolve();
  }

  private leastBusy(): Source | undefined {
    let best: Source | undefined;
    for (const source of this.sources) {
      if (!source.failed && source.busy < this.perSource && (!best || source.busy < best.busy)) best = source;
      if (best?.busy === 0) break;
    }
    return best;
  }
}
