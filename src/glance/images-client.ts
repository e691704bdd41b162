/**
 * Names and statuses from the images API, asked in batches (`id=in:a,b,...`) rather than image by image.
 * An ID Glance does not return is simply absent from the answer: deleted, or not visible to us.
 */
import { RequestFailure } from '../http/failure.js';
import { expectJson } from '../http/json.js';
import { isImageId, parseImagesPage } from './parse.js';
import { createGlanceRequester, type GlanceDeps, type GlanceRequester } from './request.js';
import type { ImageInfo } from '../core/model.js';

/** Keeps each URL under the 8 kB most proxies accept (100 UUIDs ≈ 3.7 kB; Glance itself takes 16 kB). */
export const LOOKUP_BATCH = 100;
/** Batches sent to one images API endpoint at once. */
export const LOOKUP_CONCURRENCY = 4;
/** Batches in flight at once over every endpoint: each is a socket, and sockets are a bounded resource. */
export const LOOKUP_IN_FLIGHT = 16;
const NAME_PAGE_LIMIT = 100;
/** Glance's default api_limit_max: the most one page can hold. */
export const PRIMER_PAGE_LIMIT = 1000;
/** A node that keeps answering "next" forever must not keep us paging forever. */
const MAX_PAGES = 1000;

export async function lookupImages(baseUrl: string, ids: readonly string[], deps: GlanceDeps, signal?: AbortSignal): Promise<Map<string, ImageInfo>> {
  const wanted = new Set(ids.filter(isImageId));
  const batches: string[][] = [];
  const all = [...wanted];
  for (let start = 0; start < all.length; start += LOOKUP_BATCH) batches.push(all.slice(start, start + LOOKUP_BATCH));
  const request = createGlanceRequester(baseUrl, deps);
  const found = new Map<string, ImageInfo>();
  await eachLimited(batches, LOOKUP_CONCURRENCY, async (batch) => {
    // One more than the batch: a full page would make Glance add a "next" link worth one useless call.
    const images = await listAll(request, `id=in:${batch.join(',')}&limit=${batch.length + 1}`, deps.scrub, signal);
    for (const image of images) if (wanted.has(image.id)) found.set(image.id, image);
  });
  return found;
}

export interface ImagesPage {
  images: Map<string, ImageInfo>;
  /** No next page: every image this token may list is here, so an ID not here is not to be had by ID either. */
  complete: boolean;
}

/**
 * The first page of the images API, for names asked before any node has said which IDs it holds (see
 * fleet/image-lookup.ts). One page only: a larger catalog's other images are asked for by ID.
 */
export async function firstImagesPage(baseUrl: string, deps: GlanceDeps, signal?: AbortSignal): Promise<ImagesPage> {
  const request = createGlanceRequester(baseUrl, deps);
  const { images, next } = parseImagesPage(expectJson(await request({ method: 'GET', path: `/v2/images?limit=${PRIMER_PAGE_LIMIT}`, signal })), deps.scrub);
  return { images: new Map(images.filter((image) => isImageId(image.id)).map((image) => [image.id, image] as const)), complete: next === null };
}

/**
 * Every image this token may list, for what a name alone cannot find: the images a glob matches, and the
 * names closest to one that matched nothing. Only UUIDs are kept, as by findImagesByName.
 */
export async function listCatalog(baseUrl: string, deps: GlanceDeps, signal?: AbortSignal): Promise<ImageInfo[]> {
  const images = await listAll(createGlanceRequester(baseUrl, deps), `limit=${PRIMER_PAGE_LIMIT}`, deps.scrub, signal);
  const unique = new Map<string, ImageInfo>();
  for (const image of images) if (isImageId(image.id) && !unique.has(image.id.toLowerCase())) unique.set(image.id.toLowerCase(), { ...image, id: image.id.toLowerCase() });
  return [...unique.values()];
}

export interface NameMatches {
  /** The images named exactly `name`, each once (names are not unique in Glance). */
  exact: ImageInfo[];
  /** What else the answer held: images of another name, or with an ID that is not a UUID. */
  ignored: number;
}

/**
 * The images Glance lists under exactly this name. The `name=` filter is the server's to apply, and a
 * proxy, an old release or a hostile endpoint may not apply it: whatever comes back is compared here, so a
 * destructive command can never act on an image of another name. Only UUIDs are kept, since the ID goes
 * into the URL of every later call.
 */
export async function findImagesByName(baseUrl: string, name: string, deps: GlanceDeps, signal?: AbortSignal): Promise<NameMatches> {
  const request = createGlanceRequester(baseUrl, deps);
  const answered = await listAll(request, `name=${encodeURIComponent(name)}&limit=${NAME_PAGE_LIMIT}`, deps.scrub, signal);
  const exact = new Map<string, ImageInfo>();
  let ignored = 0;
  for (const image of answered) {
    if (image.name !== name || !isImageId(image.id)) ignored++;
    else if (!exact.has(image.id.toLowerCase())) exact.set(image.id.toLowerCase(), { ...image, id: image.id.toLowerCase() });
  }
  return { exact: [...exact.values()], ignored };
}

async function listAll(request: GlanceRequester, query: string, scrub: (text: string) => string, signal?: AbortSignal): Promise<ImageInfo[]> {
  const images: ImageInfo[] = [];
  let path = `/v2/images?${query}`;
  for (let page = 1; ; page++) {
    const parsed = parseImagesPage(expectJson(await request({ method: 'GET', path, signal })), scrub);
    images.push(...parsed.images);
    if (parsed.next === null || parsed.images.length === 0) return images;
    if (page >= MAX_PAGES) throw new RequestFailure('bad-response', `images API still had a next page after ${MAX_PAGES} pages`);
    path = nextPagePath(parsed.next);
  }
}

/**
 * Only the query of Glance's "next" link is used: the token must go nowhere but the base URL, and
 * Glance writes the link without any path prefix a proxy put in front of it.
 */
function nextPagePath(next: string): string {
  let search: string;
  try {
    search = new URL(next, 'http://glance.invalid').search;
  } catch {
    throw new RequestFailure('bad-response', 'next is not a link');
  }
  return `/v2/images${search}`;
}

async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let index = 0;
  const worker = async () => {
    while (index < items.length) await work(items[index++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
