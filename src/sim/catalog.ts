/**
 * The simulated Glance database: one image catalog shared by every node of a sim fleet, as real nodes
 * share one database, and centralized_db's cache records. Deletes are soft, as in Glance: a deleted
 * image disappears from the images API but nodes that cached it keep the file (an orphan) until someone
 * purges it.
 */
import { createHash } from 'node:crypto';
import { SimNodeCache } from './node-cache.js';
import { seededRandom, type Random } from './random.js';

export type SimImageStatus = 'queued' | 'saving' | 'active' | 'killed' | 'deleted' | 'pending_delete' | 'deactivated' | 'uploading' | 'importing';

export interface SimImage {
  readonly id: string;
  name: string | null;
  status: SimImageStatus;
  /** Bytes of image data; null until data was uploaded, as Glance reports it. */
  size: number | null;
  visibility: 'public' | 'private' | 'shared' | 'community';
  /** Epoch milliseconds. */
  createdAt: number;
  /** Creation order: the images API lists newest first. */
  readonly seq: number;
}

export interface NewSimImage {
  id?: string;
  name?: string | null;
  status?: SimImageStatus;
  size?: number | null;
  visibility?: SimImage['visibility'];
  createdAt?: number;
}

export interface ImageQuery {
  ids?: string[];
  names?: string[];
  limit: number;
  marker?: string;
}

export interface ImagePage {
  images: SimImage[];
  /** The page was full, so Glance would add a "next" link. */
  full: boolean;
}

/** A Keystone project ID, as Glance shows owners: 32 hex digits. */
const SIM_PROJECT_ID = createHash('md5').update('sim-project').digest('hex');

function digest(algorithm: 'md5' | 'sha512', text: string): string {
  return createHash(algorithm).update(text).digest('hex');
}

export class SimCatalog {
  private readonly images = new Map<string, SimImage>();
  private readonly ordered: SimImage[] = [];
  private readonly jsonCache = new Map<string, string>();
  private readonly random: Random;
  private readonly now: () => number;
  /** centralized_db's cached_images table, by worker_self_reference_url. */
  private readonly cacheRows = new Map<string, SimNodeCache>();
  private lastCacheRowId = 0;

  constructor(options: { seed?: number; now?: () => number } = {}) {
    this.random = seededRandom(options.seed ?? 1);
    this.now = options.now ?? Date.now;
  }

  add(input: NewSimImage = {}): SimImage {
    const id = input.id ?? this.random.uuid();
    if (this.images.has(id)) throw new Error(`image ${id} already exists in the catalog`);
    const status = input.status ?? 'active';
    const image: SimImage = {
      id,
      name: input.name === undefined ? `image-${this.ordered.length + 1}` : input.name,
      status,
      size: input.size === undefined ? (status === 'active' ? 1024 * 1024 : null) : input.size,
      visibility: input.visibility ?? 'public',
      createdAt: input.createdAt ?? this.now(),
      seq: this.ordered.length,
    };
    this.images.set(id, image);
    this.ordered.push(image);
    return image;
  }

  /**
   * centralized_db: the cache records of the nodes started with this worker_self_reference_url, created on
   * first use. Row ids come from one sequence for the whole database.
   */
  cacheRowsOf(reference: string): SimNodeCache {
    let rows = this.cacheRows.get(reference);
    if (!rows) {
      rows = new SimNodeCache('centralized_db', () => ++this.lastCacheRowId);
      this.cacheRows.set(reference, rows);
    }
    return rows;
  }

  /** centralized_db: the worker_self_reference_urls whose rows hold the image, in the order the nodes registered. */
  cachedNodes(id: string): string[] {
    return [...this.cacheRows].filter(([, rows]) => rows.isCached(id)).map(([reference]) => reference);
  }

  /** Any image ever added, deleted ones included (the cache side needs sizes of orphans). */
  record(id: string): SimImage | undefined {
    return this.images.get(id);
  }

  /** An image the images API would show. */
  find(id: string): SimImage | undefined {
    const image = this.images.get(id);
    return image && image.status !== 'deleted' ? image : undefined;
  }

  update(id: string, changes: Partial<Pick<SimImage, 'name' | 'status' | 'size' | 'visibility'>>): SimImage {
    const image = this.images.get(id);
    if (!image) throw new Error(`no image ${id} in the catalog`);
    Object.assign(image, changes);
    this.jsonCache.delete(id);
    return image;
  }

  delete(id: string): void {
    this.update(id, { status: 'deleted' });
  }

  /** Every image the images API would list, newest first. */
  visible(): SimImage[] {
    return this.ordered.filter((image) => image.status !== 'deleted').reverse();
  }

  get count(): number {
    return this.ordered.length;
  }

  /** Glance's list semantics: filters, newest first, `limit` per page, `marker` = last ID of the previous page. */
  list(query: ImageQuery): ImagePage | { badMarker: true } {
    const candidates = query.ids
      ? [...new Set(query.ids)].map((id) => this.find(id)).filter((image): image is SimImage => image !== undefined).sort((a, b) => b.seq - a.seq)
      : this.visible();
    const names = query.names ? new Set(query.names) : undefined;
    let matching = names ? candidates.filter((image) => image.name !== null && names.has(image.name)) : candidates;
    if (query.marker !== undefined) {
      const marker = this.find(query.marker);
      if (!marker) return { badMarker: true };
      matching = matching.filter((image) => image.seq < marker.seq);
    }
    const images = matching.slice(0, query.limit);
    return { images, full: images.length > 0 && images.length === query.limit };
  }

  /**
   * The image as GET /v2/images/{id} shows it, fields in Glance's order; rendered once per change, since
   * every node serves it. An image with data has its hashes (of its ID here: there is no data), a
   * virtual size (raw: its size) and the store holding it; one without has nulls and no store (seen).
   */
  json(image: SimImage): string {
    let text = this.jsonCache.get(image.id);
    if (text === undefined) {
      const created = new Date(image.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const hasData = image.size !== null;
      text = JSON.stringify({
        name: image.name,
        disk_format: 'raw',
        container_format: 'bare',
        visibility: image.visibility,
        size: image.size,
        virtual_size: image.size,
        status: image.status,
        checksum: hasData ? digest('md5', image.id) : null,
        protected: false,
        min_ram: 0,
        min_disk: 0,
        owner: SIM_PROJECT_ID,
        os_hidden: false,
        os_hash_algo: hasData ? 'sha512' : null,
        os_hash_value: hasData ? digest('sha512', image.id) : null,
        id: image.id,
        created_at: created,
        updated_at: created,
        tags: [],
        self: `/v2/images/${image.id}`,
        file: `/v2/images/${image.id}/file`,
        schema: '/v2/schemas/image',
        ...(hasData ? { stores: 'fs' } : {}),
      });
      this.jsonCache.set(image.id, text);
    }
    return text;
  }
}
