import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { filterByState, IMAGE_SORT_KEYS, mergeListings, sizeByNode, sortImages, type ImageSortKey, type MergedImage } from '../../../src/core/merge.js';
import { naturalCompare } from '../../../src/core/natural.js';
import type { ImageInfo, NodeListing } from '../../../src/core/model.js';
import { cachedImage, listing } from './listings.js';

const IMAGE_IDS = ['img-a', 'img-b', 'img-c', 'img-d', 'img-e', 'img-f'];

const cachedArb = fc.record({
  id: fc.constantFrom(...IMAGE_IDS),
  hits: fc.nat({ max: 1000 }),
  lastAccessed: fc.option(fc.integer({ min: 1, max: 2_000_000_000 }), { nil: null }),
  lastModified: fc.option(fc.integer({ min: 1, max: 2_000_000_000 }), { nil: null }),
  size: fc.nat({ max: 10 ** 12 }),
});

const cacheArb = fc.record({
  cached: fc.uniqueArray(cachedArb, { selector: (image) => image.id, maxLength: IMAGE_IDS.length }),
  queued: fc.uniqueArray(fc.constantFrom(...IMAGE_IDS), { maxLength: 3 }),
});

/** Distinct node names; a third of the nodes failed (no cache). */
const listingsArb: fc.Arbitrary<NodeListing[]> = fc
  .uniqueArray(fc.stringMatching(/^[a-z]{1,3}[0-9]{0,2}$/), { maxLength: 7 })
  .chain((names) => fc.tuple(...names.map((name) => fc.option(cacheArb, { nil: null, freq: 3 }).map((cache) => listing(name, cache)))));

const imagesArb: fc.Arbitrary<Map<string, ImageInfo>> = fc
  .uniqueArray(
    fc.record({
      id: fc.constantFrom(...IMAGE_IDS),
      name: fc.option(fc.constantFrom('cirros', 'ubuntu-22.04', 'Ubuntu 24.04', 'image2', 'image10'), { nil: null }),
      status: fc.constantFrom('active', 'deactivated'),
      size: fc.option(fc.nat({ max: 10 ** 12 }), { nil: null }),
    }),
    { selector: (info) => info.id },
  )
  .map((infos) => new Map(infos.map((info) => [info.id, info])));

const listingsWithPermutation = listingsArb.chain((listings) =>
  fc.tuple(fc.constant(listings), fc.shuffledSubarray(listings, { minLength: listings.length, maxLength: listings.length })),
);

const cachedEntries = (listings: readonly NodeListing[]) =>
  listings.flatMap((node) => (node.cache ? node.cache.cached.map((image) => ({ node: node.name, image })) : []));

describe('mergeListings', () => {
  it('gives the same result, in the same order, for any order of the node listings', () => {
    fc.assert(
      fc.property(listingsWithPermutation, imagesArb, ([listings, permuted], images) => {
        const expected = mergeListings(listings, images);
        const actual = mergeListings(permuted, images);
        expect(actual).toEqual(expected);
        expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
      }),
    );
  });

  it('lists every cached (node, image) pair exactly once and no other', () => {
    fc.assert(
      fc.property(listingsArb, imagesArb, (listings, images) => {
        const merged = mergeListings(listings, images);
        const entries = cachedEntries(listings);
        for (const { node, image } of entries) {
          const found = merged.find((candidate) => candidate.id === image.id);
          expect(found?.cachedOn.filter((name) => name === node)).toEqual([node]);
        }
        expect(merged.reduce((total, image) => total + image.cachedOn.length, 0)).toBe(entries.length);
      }),
    );
  });

  it('lists every queued (node, image) pair exactly once, sorted naturally', () => {
    fc.assert(
      fc.property(listingsArb, imagesArb, (listings, images) => {
        const merged = mergeListings(listings, images);
        for (const image of merged) {
          const expected = listings.filter((node) => node.cache?.queued.includes(image.id)).map((node) => node.name);
          expect(image.queuedOn).toEqual(expected.sort(naturalCompare));
          expect(image.cachedOn).toEqual([...image.cachedOn].sort(naturalCompare));
        }
      }),
    );
  });

  it('sums hits, keeps the latest access and prefers the images-API size', () => {
    fc.assert(
      fc.property(listingsArb, imagesArb, (listings, images) => {
        for (const image of mergeListings(listings, images)) {
          const copies = cachedEntries(listings).filter((entry) => entry.image.id === image.id).map((entry) => entry.image);
          expect(image.hits).toBe(copies.reduce((total, copy) => total + copy.hits, 0));
          const accesses = copies.map((copy) => copy.lastAccessed).filter((time): time is number => time !== null);
          expect(image.lastAccessed).toBe(accesses.length ? Math.max(...accesses) : null);
          const glanceSize = images.get(image.id)?.size ?? null;
          expect(image.size).toBe(glanceSize ?? (copies.length ? Math.max(...copies.map((copy) => copy.size)) : null));
          expect(sizeByNode(image)).toEqual(Object.fromEntries(cachedEntries(listings).filter((entry) => entry.image.id === image.id).map((entry) => [entry.node, entry.image.size])));
          expect(image.name).toBe(images.get(image.id)?.name ?? null);
          expect(image.status).toBe(images.get(image.id)?.status ?? null);
        }
      }),
    );
  });

  it('takes nothing from failed nodes', () => {
    fc.assert(
      fc.property(listingsArb, imagesArb, (listings, images) => {
        expect(mergeListings(listings, images)).toEqual(mergeListings(listings.filter((node) => node.cache !== null), images));
      }),
    );
  });

  it('merges a concrete fleet', () => {
    const listings = [
      listing('glance10', { cached: [cachedImage('b', { hits: 2, lastAccessed: 100, size: 10 })], queued: ['q'] }),
      listing('glance2', { cached: [cachedImage('b', { hits: 3, lastAccessed: 50, size: 12 }), cachedImage('a', { size: 7 })], queued: [] }),
      listing('glance3', null),
    ];
    const images = new Map<string, ImageInfo>([['a', { id: 'a', name: 'zeta', status: 'active', size: 7 }]]);
    expect(mergeListings(listings, images)).toEqual([
      { id: 'a', name: 'zeta', size: 7, status: 'active', cachedOn: ['glance2'], queuedOn: [], hits: 0, lastAccessed: null, cachedSizes: [7] },
      { id: 'b', name: null, size: 12, status: null, cachedOn: ['glance2', 'glance10'], queuedOn: [], hits: 5, lastAccessed: 100, cachedSizes: [12, 10] },
      { id: 'q', name: null, size: null, status: null, cachedOn: [], queuedOn: ['glance10'], hits: 0, lastAccessed: null, cachedSizes: [] },
    ]);
  });

  it('falls back to the nodes’ size when Glance knows the image but not its size', () => {
    const listings = [listing('glance1', { cached: [cachedImage('a', { size: 42 })], queued: [] })];
    const images = new Map<string, ImageInfo>([['a', { id: 'a', name: 'x', status: 'active', size: null }]]);
    expect(mergeListings(listings, images)[0]?.size).toBe(42);
  });

  it('orders named images naturally before unnamed ones, unnamed by id', () => {
    const listings = [listing('glance1', { cached: ['u2', 'u1', 'n10', 'n2'].map((id) => cachedImage(id)), queued: [] })];
    const images = new Map<string, ImageInfo>([
      ['n10', { id: 'n10', name: 'image10', status: 'active', size: 1 }],
      ['n2', { id: 'n2', name: 'image2', status: 'active', size: 1 }],
    ]);
    expect(mergeListings(listings, images).map((image) => image.id)).toEqual(['n2', 'n10', 'u1', 'u2']);
  });
});

const mergedArb: fc.Arbitrary<MergedImage[]> = fc.uniqueArray(
  fc.record({
    id: fc.string({ minLength: 1, maxLength: 4 }),
    name: fc.option(fc.constantFrom('a', 'b', 'B', 'image2', 'image10'), { nil: null }),
    size: fc.option(fc.nat({ max: 100 }), { nil: null }),
    status: fc.constant(null),
    cachedOn: fc.uniqueArray(fc.constantFrom('n1', 'n2', 'n3'), { maxLength: 3 }),
    queuedOn: fc.uniqueArray(fc.constantFrom('n1', 'n2', 'n3'), { maxLength: 3 }),
    hits: fc.nat({ max: 5 }),
    lastAccessed: fc.option(fc.nat({ max: 5 }), { nil: null }),
    cachedSizes: fc.constant([]),
  }),
  { selector: (image) => image.id, maxLength: 12 },
);

describe('sortImages', () => {
  it.each(IMAGE_SORT_KEYS)('is a total, deterministic order by %s', (key) => {
    fc.assert(
      fc.property(
        mergedArb.chain((images) => fc.tuple(fc.constant(images), fc.shuffledSubarray(images, { minLength: images.length, maxLength: images.length }))),
        ([images, shuffled]) => {
          const sorted = sortImages(images, key);
          expect(sortImages(shuffled, key)).toEqual(sorted);
          expect(sortImages(sorted, key)).toEqual(sorted);
          expect([...sorted].sort((a, b) => a.id.localeCompare(b.id))).toEqual([...images].sort((a, b) => a.id.localeCompare(b.id)));
        },
      ),
    );
  });

  const pick: Partial<Record<ImageSortKey, (image: MergedImage) => number>> = {
    size: (image) => image.size ?? -1,
    hits: (image) => image.hits,
    'last-accessed': (image) => image.lastAccessed ?? -1,
    nodes: (image) => image.cachedOn.length * 1e6 + image.queuedOn.length,
  };
  it.each(Object.keys(pick) as ImageSortKey[])('puts the largest %s first', (key) => {
    fc.assert(
      fc.property(mergedArb, (images) => {
        const values = sortImages(images, key).map(pick[key]!);
        expect(values).toEqual([...values].sort((a, b) => b - a));
      }),
    );
  });

  it('sorts by id in code-point order and by name with unnamed images last', () => {
    const image = (id: string, name: string | null): MergedImage => ({ id, name, size: null, status: null, cachedOn: [], queuedOn: [], hits: 0, lastAccessed: null, cachedSizes: [] });
    const images = [image('c', null), image('B', 'image10'), image('a', 'image2'), image('d', 'image2')];
    expect(sortImages(images, 'id').map((entry) => entry.id)).toEqual(['B', 'a', 'c', 'd']);
    expect(sortImages(images, 'name').map((entry) => entry.id)).toEqual(['a', 'd', 'B', 'c']);
  });

  it('breaks ties on the key by name', () => {
    const image = (id: string, name: string, hits: number): MergedImage => ({ id, name, size: 5, status: null, cachedOn: [], queuedOn: [], hits, lastAccessed: null, cachedSizes: [] });
    expect(sortImages([image('1', 'zz', 3), image('2', 'aa', 3), image('3', 'mm', 9)], 'hits').map((entry) => entry.id)).toEqual(['3', '2', '1']);
  });
});

describe('filterByState', () => {
  it('keeps cached, queued or all images, in the given order', () => {
    fc.assert(
      fc.property(mergedArb, (images) => {
        expect(filterByState(images, 'cached')).toEqual(images.filter((image) => image.cachedOn.length > 0));
        expect(filterByState(images, 'queued')).toEqual(images.filter((image) => image.queuedOn.length > 0));
        const all = filterByState(images, 'all');
        expect(all).toEqual(images);
        expect(all).not.toBe(images);
      }),
    );
  });
});
