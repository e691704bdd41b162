/**
 * Validates what a node answered and turns it into our types. A node is untrusted: a wrong shape is a
 * 'bad-response' failure naming the field, never a crash further on. Strings are kept raw as data (the
 * output layer escapes them); only IDs that pass isImageId may ever be put into a URL.
 */
import { RequestFailure } from '../http/failure.js';
import type { ApiInfo, CachedImage, ImageInfo, NodeCache, PruneResult } from '../core/model.js';

const IMAGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Cache entries are file names in image_cache_dir, so no real ID is longer than NAME_MAX. */
const MAX_ID_CHARS = 255;
/** Glance's own limit for image names. */
const MAX_NAME_CHARS = 255;
const MAX_STATUS_CHARS = 32;
/** A hex SHA-512 is 128 characters; longer is not a checksum. */
const MAX_CHECKSUM_CHARS = 128;
/** 1 PiB: no single image is larger; anything above is a broken node, not data. */
const MAX_IMAGE_BYTES = 2 ** 50;
/** 2100-01-01: later "epoch seconds" are milliseconds or garbage. */
const MAX_EPOCH_SECONDS = 4_102_444_800;

const CACHE_API_VERSION = 'v2.14';
const SERVER_PRUNE_VERSION = 'v2.18';

/** Glance image IDs are UUIDs; nothing else is allowed into a request path. */
export function isImageId(text: string): boolean {
  return IMAGE_ID.test(text);
}

/** GET /versions (200) or GET / (300): `{"versions":[{"id":"v2.16","status":"CURRENT",...}]}`. */
export function parseVersions(body: unknown): ApiInfo {
  const entries = arrayAt(field(objectAt(body, 'body'), 'versions'), 'versions');
  const listed: { id: string; major: number; minor: number; status: string }[] = [];
  entries.forEach((entry, index) => {
    const path = `versions[${index}]`;
    const object = objectAt(entry, path);
    const id = stringAt(field(object, 'id'), `${path}.id`);
    const status = stringAt(field(object, 'status'), `${path}.status`).toUpperCase();
    const match = /^v(\d+)(?:\.(\d+))?$/.exec(id);
    // Other id formats are not API versions we could speak; skipping them keeps future nodes usable.
    if (match) listed.push({ id, major: Number(match[1]), minor: Number(match[2] ?? 0), status });
  });
  const v2 = listed.filter((version) => version.major === 2);
  if (v2.length === 0) fail('versions', 'lists no v2 API: not a Glance node?');
  const usable = v2.filter((version) => version.status === 'CURRENT' || version.status === 'SUPPORTED');
  const highest = (usable.length > 0 ? usable : v2).reduce((best, version) => (version.minor > best.minor ? version : best));
  // Presence, not "highest >= 2.14": a node without image_cache_dir lists v2.15 but has no cache API.
  const has = (id: string) => v2.some((version) => version.id === id);
  return { flavor: has(CACHE_API_VERSION) ? 'cache' : 'legacy', version: highest.id, serverSidePrune: has(SERVER_PRUNE_VERSION) };
}

/**
 * GET /v2/cache: `{"cached_images":[...],"queued_images":[...]}`. Each entry has image_id, hits,
 * last_accessed, last_modified and size; centralized_db (Glance 2024.1+) adds its row id and checksum.
 */
export function parseNodeCache(body: unknown): NodeCache {
  const object = objectAt(body, 'body');
  return { cached: cachedImagesAt(object), queued: queuedImagesAt(object) };
}

/** Legacy GET /v2/cached_images: `{"cached_images":[...]}`. */
export function parseLegacyCached(body: unknown): CachedImage[] {
  return cachedImagesAt(objectAt(body, 'body'));
}

/** Legacy GET /v2/queued_images: `{"queued_images":[...]}`. */
export function parseLegacyQueued(body: unknown): string[] {
  return queuedImagesAt(objectAt(body, 'body'));
}

export interface ImagesPage {
  images: ImageInfo[];
  /** Glance's link to the next page, as it gave it (a path with a query), or null on the last page. */
  next: string | null;
}

/** GET /v2/images: `{"images":[{"id","name","status","size",...}],"next":"/v2/images?marker=..."}`. */
export function parseImagesPage(body: unknown, scrub: (text: string) => string): ImagesPage {
  const object = objectAt(body, 'body');
  const images = arrayAt(field(object, 'images'), 'images').map((entry, index) => imageInfoAt(entry, `images[${index}]`, scrub));
  const next = field(object, 'next');
  return { images, next: next === undefined || next === null ? null : stringAt(next, 'next') };
}

/** POST /v2/cache/prune: `{"total_files_pruned":n,"total_bytes_pruned":n}`. */
export function parsePruneResult(body: unknown): PruneResult {
  const object = objectAt(body, 'body');
  return {
    filesPruned: countAt(field(object, 'total_files_pruned'), 'total_files_pruned'),
    bytesPruned: countAt(field(object, 'total_bytes_pruned'), 'total_bytes_pruned'),
  };
}

function cachedImagesAt(object: Record<string, unknown>): CachedImage[] {
  const seen = new Set<string>();
  const images: CachedImage[] = [];
  arrayAt(field(object, 'cached_images'), 'cached_images').forEach((entry, index) => {
    const image = wellFormedCachedImage(entry) ?? cachedImageAt(entry, `cached_images[${index}]`);
    // One file per image ID can exist in a cache dir; a repeat is a listing glitch, so the first row wins.
    if (seen.has(image.id)) return;
    seen.add(image.id);
    images.push(image);
  });
  return images;
}

/**
 * The common case checked without building a field path per value: a listing of a million entries
 * (1000 nodes) spent most of its validation time on those strings. Undefined sends the entry through
 * cachedImageAt, which names the bad field. Plain property reads are safe here: the entry comes from
 * JSON.parse, whose own properties are all it has, and none of these names lives on Object.prototype.
 */
function wellFormedCachedImage(entry: unknown): CachedImage | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return undefined;
  const { image_id: id, hits, last_accessed: lastAccessed, last_modified: lastModified, size, id: rowId, checksum } = entry as Record<string, unknown>;
  if (typeof id !== 'string' || id === '' || id.length > MAX_ID_CHARS) return undefined;
  if (!isCount(hits) || !isCount(size) || size > MAX_IMAGE_BYTES || !isEpoch(lastAccessed) || !isEpoch(lastModified)) return undefined;
  const image: CachedImage = { id, hits, lastAccessed: lastAccessed === 0 ? null : lastAccessed, lastModified: lastModified === 0 ? null : lastModified, size };
  // Zed's drivers send neither: their entries keep the shape above.
  if (rowId === undefined && checksum === undefined) return image;
  if (!(rowId === undefined || rowId === null || isCount(rowId))) return undefined;
  if (!(checksum === undefined || checksum === null || (typeof checksum === 'string' && checksum.length <= MAX_CHECKSUM_CHARS))) return undefined;
  if (typeof rowId === 'number') image.rowId = rowId;
  if (typeof checksum === 'string') image.checksum = checksum;
  return image;
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && Number.isSafeInteger(value);
}

function isEpoch(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= MAX_EPOCH_SECONDS;
}

function cachedImageAt(entry: unknown, path: string): CachedImage {
  const object = objectAt(entry, path);
  const image: CachedImage = {
    id: imageIdAt(field(object, 'image_id'), `${path}.image_id`),
    hits: countAt(field(object, 'hits'), `${path}.hits`),
    lastAccessed: epochAt(field(object, 'last_accessed'), `${path}.last_accessed`),
    lastModified: epochAt(field(object, 'last_modified'), `${path}.last_modified`),
    size: sizeAt(field(object, 'size'), `${path}.size`),
  };
  const rowId = field(object, 'id');
  if (rowId !== undefined && rowId !== null) image.rowId = countAt(rowId, `${path}.id`);
  const checksum = field(object, 'checksum');
  if (checksum !== undefined && checksum !== null) image.checksum = checksumAt(checksum, `${path}.checksum`);
  return image;
}

function checksumAt(value: unknown, path: string): string {
  const checksum = stringAt(value, path);
  if (checksum.length > MAX_CHECKSUM_CHARS) fail(path, `is longer than ${MAX_CHECKSUM_CHARS} characters`);
  return checksum;
}

function queuedImagesAt(object: Record<string, unknown>): string[] {
  const ids = arrayAt(field(object, 'queued_images'), 'queued_images').map((entry, index) => imageIdAt(entry, `queued_images[${index}]`));
  return [...new Set(ids)];
}

function imageInfoAt(entry: unknown, path: string, scrub: (text: string) => string): ImageInfo {
  const object = objectAt(entry, path);
  const name = field(object, 'name');
  const size = field(object, 'size');
  return {
    id: imageIdAt(field(object, 'id'), `${path}.id`),
    name: name === undefined || name === null ? null : cappedText(stringAt(name, `${path}.name`), MAX_NAME_CHARS, scrub),
    status: cappedText(stringAt(field(object, 'status'), `${path}.status`), MAX_STATUS_CHARS, scrub),
    size: size === undefined || size === null ? null : sizeAt(size, `${path}.size`),
  };
}

function imageIdAt(value: unknown, path: string): string {
  const id = stringAt(value, path);
  if (id === '') fail(path, 'is empty');
  if (id.length > MAX_ID_CHARS) fail(path, `is longer than ${MAX_ID_CHARS} characters`);
  return id;
}

/** Glance reports 0 for "never" (last_accessed of an image not read since it was cached). */
function epochAt(value: unknown, path: string): number | null {
  const seconds = numberAt(value, path);
  if (seconds < 0) fail(path, 'is negative');
  if (seconds > MAX_EPOCH_SECONDS) fail(path, 'is not a plausible time in epoch seconds');
  return seconds === 0 ? null : seconds;
}

function sizeAt(value: unknown, path: string): number {
  // Plausibility first: 2^60 is a whole number too, just not one any image has.
  if (numberAt(value, path) > MAX_IMAGE_BYTES) fail(path, 'is not a plausible image size');
  return countAt(value, path);
}

function countAt(value: unknown, path: string): number {
  const count = numberAt(value, path);
  if (count < 0) fail(path, 'is negative');
  if (!Number.isSafeInteger(count)) fail(path, 'is not a whole number');
  return count;
}

function numberAt(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, `is not a number (got ${describe(value)})`);
  return value;
}

function stringAt(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, `is not a string (got ${describe(value)})`);
  return value;
}

function objectAt(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, `is not an object (got ${describe(value)})`);
  return value as Record<string, unknown>;
}

function arrayAt(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, `is not a list (got ${describe(value)})`);
  return value;
}

/** Own properties only: a body with "__proto__" or "constructor" keys must not reach Object.prototype. */
function field(object: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(object, name) ? object[name] : undefined;
}

/**
 * A node's text cut to `max` characters, the run's secrets scrubbed from it first: the scrubber knows
 * whole secrets only, so a token the node echoed across the cut would otherwise keep its head.
 */
export function cappedText(text: string, max: number, scrub: (text: string) => string): string {
  if (text.length <= max) return text;
  const scrubbed = scrub(text);
  return scrubbed.length > max ? `${scrubbed.slice(0, max - 1)}…` : scrubbed;
}

/** The type of a bad value, never the value itself: it came from the node and may carry escapes. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number' && !Number.isFinite(value)) return 'a non-finite number';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function fail(path: string, problem: string): never {
  throw new RequestFailure('bad-response', `${path} ${problem}`);
}
