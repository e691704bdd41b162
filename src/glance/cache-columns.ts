/**
 * A node's cache listing as a few flat values, for crossing between threads: a thousand small objects
 * would be cloned one by one, as slow as parsing the JSON again. Image IDs travel as indices into a
 * dictionary both sides grow in step (each message carries the IDs new to it), because a fleet caches the
 * same images on many nodes: the receiving thread then holds one string per image, not one per copy, and
 * every Map and Set keyed by ID hashes each of them once.
 */
import type { CachedImage, NodeCache } from '../core/model.js';

export interface CacheColumns {
  /** Per cached image, its ID's index in the dictionary. */
  ids: Uint32Array<ArrayBuffer>;
  /** IDs first seen in this listing, to append to the dictionary, in index order. */
  newIds: string[];
  /** hits, lastAccessed, lastModified, size, rowId per image; NaN for a null time or an absent row id. */
  numbers: Float64Array<ArrayBuffer>;
  /** Per cached image, its checksum or null; null as a whole when no entry has one (every Zed listing). */
  checksums: (string | null)[] | null;
  queued: string[];
}

const FIELDS = 5;

/** The sending side: `dictionary` maps every ID sent so far to its index, and grows here. */
export function toColumns(cache: NodeCache, dictionary: Map<string, number>): CacheColumns {
  const count = cache.cached.length;
  const ids = new Uint32Array(count);
  const numbers = new Float64Array(count * FIELDS);
  const newIds: string[] = [];
  const checksums = cache.cached.some((image) => image.checksum !== undefined) ? cache.cached.map((image) => image.checksum ?? null) : null;
  cache.cached.forEach((image, i) => {
    let index = dictionary.get(image.id);
    if (index === undefined) {
      index = dictionary.size;
      dictionary.set(image.id, index);
      newIds.push(image.id);
    }
    ids[i] = index;
    numbers[i * FIELDS] = image.hits;
    numbers[i * FIELDS + 1] = image.lastAccessed ?? Number.NaN;
    numbers[i * FIELDS + 2] = image.lastModified ?? Number.NaN;
    numbers[i * FIELDS + 3] = image.size;
    numbers[i * FIELDS + 4] = image.rowId ?? Number.NaN;
  });
  return { ids, newIds, numbers, checksums, queued: cache.queued };
}

/** The receiving side: `dictionary` holds every ID received so far, by index, and grows here. */
export function fromColumns(columns: CacheColumns, dictionary: string[]): NodeCache {
  for (const id of columns.newIds) dictionary.push(id);
  const { ids, numbers, checksums } = columns;
  const cached = new Array<CachedImage>(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const image: CachedImage = {
      id: dictionary[ids[i]!]!,
      hits: numbers[i * FIELDS]!,
      lastAccessed: orNull(numbers[i * FIELDS + 1]!),
      lastModified: orNull(numbers[i * FIELDS + 2]!),
      size: numbers[i * FIELDS + 3]!,
    };
    // Absent, not undefined, as parse.ts leaves them: the entry reads the same whichever thread decoded it.
    const rowId = numbers[i * FIELDS + 4]!;
    if (!Number.isNaN(rowId)) image.rowId = rowId;
    const checksum = checksums?.[i];
    if (checksum !== undefined && checksum !== null) image.checksum = checksum;
    cached[i] = image;
  }
  return { cached, queued: columns.queued };
}

function orNull(value: number): number | null {
  return Number.isNaN(value) ? null : value;
}
