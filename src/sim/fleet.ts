/**
 * A whole simulated fleet: one shared catalog, many nodes whose caches overlap the way real ones do
 * (popular images everywhere, the tail on a few nodes), a few orphans and queued images, and the
 * inventory to point glance-cache at it. Same seed, same fleet.
 */
import { SimCatalog, type SimImage } from './catalog.js';
import { freshTimes, type CacheDriver, type SimCacheEntry } from './node-cache.js';
import { startSimNode, type SimFlavor, type SimNode, type SimNodeOptions, type SimRelease, type SimTokens } from './node.js';
import { seededRandom, type Random } from './random.js';

export interface SimFleetOptions {
  count: number;
  imagesPerNode: number;
  latencyMs?: number;
  seed?: number;
  /** Each node's paste flavor; cachemanagement (as real Zed runs) by default. */
  flavorOf?: (index: number) => SimFlavor;
  /** Every node's release (zed by default); nodeOptions may set one node's. */
  release?: SimRelease;
  /**
   * centralized_db: the index of the node whose worker_self_reference_url node `index` is started with
   * (its own by default). A node given another's lists that node's database rows, and its own copies
   * join them: the misconfiguration the fleet audit finds.
   */
  referenceOf?: (index: number) => number;
  /** Anything else per node: API version, faults, prefix, delays. */
  nodeOptions?: (index: number) => Partial<SimNodeOptions>;
  /** Node names are the prefix and a zero-padded number: sim01, sim02... */
  namePrefix?: string;
  tokens?: SimTokens;
  /** Epoch milliseconds. */
  now?: () => number;
}

export interface SimFleet {
  nodes: SimNode[];
  catalog: SimCatalog;
  inventoryYaml(): string;
  close(): Promise<void>;
}

const FAMILIES = ['cirros-0.6.2', 'ubuntu-22.04', 'ubuntu-24.04', 'debian-12', 'rocky-9', 'fedora-40', 'centos-stream-9', 'alpine-3.20', 'windows-2022', 'opensuse-15.6'];
const DAY_SECONDS = 86_400;
const MIN_IMAGE_BYTES = 12 * 1024 ** 2;
const MAX_IMAGE_BYTES = 20 * 1024 ** 3;
/** Every nth image is deleted from Glance after it was cached: the orphans purge is for. */
const ORPHAN_EVERY = 29;
/** Every nth node has one image waiting in its queue. */
const QUEUED_EVERY = 4;
/** Share of entries never read since they were cached: hits 0, last_accessed still the caching time. */
const NEVER_READ_SHARE = 0.15;

export async function startSimFleet(options: SimFleetOptions): Promise<SimFleet> {
  const now = options.now ?? Date.now;
  const seed = options.seed ?? 1;
  const random = seededRandom(seed);
  const catalog = new SimCatalog({ seed, now });
  const images = seedCatalog(catalog, random, options.imagesPerNode === 0 ? 0 : options.imagesPerNode * 2, now());
  const width = Math.max(2, String(options.count).length);
  const referenceOf = (index: number) => options.referenceOf?.(index) ?? index;
  const start = (index: number, selfReferenceUrl: string | undefined) =>
    startSimNode({
      name: `${options.namePrefix ?? 'sim'}${String(index + 1).padStart(width, '0')}`,
      catalog,
      flavor: options.flavorOf?.(index),
      release: options.release,
      tokens: options.tokens,
      now,
      faults: options.latencyMs ? { latencyMs: options.latencyMs } : undefined,
      selfReferenceUrl,
      ...options.nodeOptions?.(index),
    });
  // Nodes using their own reference first: the others need its URL, known once that node listens.
  const indexes = Array.from({ length: options.count }, (_, index) => index);
  const started = new Array<PromiseSettledResult<SimNode>>(options.count);
  const own = indexes.filter((index) => referenceOf(index) === index);
  (await Promise.allSettled(own.map((index) => start(index, undefined)))).forEach((outcome, at) => (started[own[at]!] = outcome));
  const borrowing = indexes.filter((index) => referenceOf(index) !== index);
  const urlOf = (index: number) => {
    const outcome = started[index];
    if (outcome?.status !== 'fulfilled') throw new Error(`referenceOf(${index}) must name a node that uses its own reference, not ${referenceOf(index)}`);
    return outcome.value.url;
  };
  (await Promise.allSettled(borrowing.map(async (index) => start(index, urlOf(referenceOf(index)))))).forEach((outcome, at) => (started[borrowing[at]!] = outcome));
  const nodes = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
  const failed = started.find((outcome) => outcome.status === 'rejected');
  if (failed) {
    await Promise.all(nodes.map((node) => node.close()));
    throw failed.reason;
  }
  nodes.forEach((node, index) => fillCache(node, index, nodes.length, images, options.imagesPerNode, random, now() / 1000));
  images.forEach((image, index) => {
    if (index % ORPHAN_EVERY === ORPHAN_EVERY - 1) catalog.delete(image.id);
  });
  for (let extra = 0; extra < Math.ceil(images.length / 50); extra++) {
    catalog.add({ name: `upload-in-progress-${extra + 1}`, status: 'queued', size: null });
  }
  for (const node of nodes) node.prerender();

  return {
    nodes,
    catalog,
    inventoryYaml: () => inventoryYaml(nodes, seed, options.tokens !== undefined),
    close: async () => {
      await Promise.all(nodes.map((node) => node.close()));
    },
  };
}

function seedCatalog(catalog: SimCatalog, random: Random, count: number, nowMs: number): SimImage[] {
  return Array.from({ length: count }, (_, index) => {
    const family = FAMILIES[index % FAMILIES.length]!;
    // Log-uniform sizes: many small images, a few huge ones, as in real clouds.
    const size = Math.round(MIN_IMAGE_BYTES * (MAX_IMAGE_BYTES / MIN_IMAGE_BYTES) ** random.next());
    return catalog.add({ name: `${family}-${String(index + 1).padStart(4, '0')}`, size, createdAt: nowMs - (count - index) * 3_600_000 });
  });
}

/** A window over the catalog per node, shifted node by node: neighbours share most of their images. */
function fillCache(node: SimNode, index: number, count: number, images: SimImage[], perNode: number, random: Random, nowSeconds: number): void {
  if (images.length === 0) return;
  const start = Math.floor((index * images.length) / count);
  for (let offset = 0; offset < perNode; offset++) {
    const image = images[(start + offset) % images.length]!;
    node.putCacheEntry(entryFor(image, random, nowSeconds, node.driver));
  }
  if (index % QUEUED_EVERY === 0) node.queueImage(images[(start + perNode) % images.length]!.id);
}

function entryFor(image: SimImage, random: Random, nowSeconds: number, driver: CacheDriver): SimCacheEntry {
  const lastModified = microseconds(nowSeconds - random.next() * 30 * DAY_SECONDS);
  const neverRead = random.next() < NEVER_READ_SHARE;
  // A copy never read keeps the access time its driver wrote when it was cached.
  const caching = freshTimes(driver, lastModified).lastAccessed;
  return {
    id: image.id,
    size: image.size ?? 0,
    hits: neverRead ? 0 : random.int(1, 40),
    lastAccessed: neverRead ? caching : microseconds(lastModified + random.next() * (nowSeconds - lastModified)),
    lastModified,
  };
}

/** The sqlite cache driver stores time.time(): microsecond floats. */
function microseconds(seconds: number): number {
  return Math.round(seconds * 1e6) / 1e6;
}

function inventoryYaml(nodes: SimNode[], seed: number, withTokens: boolean): string {
  const lines = [`# glance-cache simulator: ${nodes.length} nodes, seed ${seed}`, 'nodes:'];
  for (const node of nodes) lines.push(`  - name: ${JSON.stringify(node.name)}`, `    url: ${JSON.stringify(node.url)}`);
  if (withTokens) lines.push("# the nodes want a token: export OS_AUTH_TOKEN with one of the simulator's admin tokens");
  else lines.push('auth:', '  type: none');
  return `${lines.join('\n')}\n`;
}
