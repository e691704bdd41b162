import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeListings } from '../../../src/core/merge.js';
import type { ImageInfo, NodeListing } from '../../../src/core/model.js';
import { findOrphans, isOrphan } from '../../../src/core/orphans.js';
import { cachedImage, listing } from './listings.js';

const IMAGES = ['img-a', 'img-b', 'img-c', 'img-d'];

const listingsArb: fc.Arbitrary<NodeListing[]> = fc
  .uniqueArray(fc.stringMatching(/^glance[0-9]{1,2}$/), { maxLength: 6 })
  .chain((names) =>
    fc.tuple(
      ...names.map((name) =>
        fc
          .option(
            fc.record({
              cached: fc.uniqueArray(fc.record({ id: fc.constantFrom(...IMAGES), size: fc.nat({ max: 10 ** 9 }) }), { selector: (entry) => entry.id }).map((entries) => entries.map((entry) => cachedImage(entry.id, { size: entry.size }))),
              queued: fc.uniqueArray(fc.constantFrom(...IMAGES), { maxLength: 2 }),
            }),
            { nil: null, freq: 4 },
          )
          .map((cache) => listing(name, cache)),
      ),
    ),
  );

/** Each image active, deactivated, or unknown to Glance (absent from the map). */
const imagesArb: fc.Arbitrary<Map<string, ImageInfo>> = fc
  .tuple(...IMAGES.map((id) => fc.constantFrom<string | null>('active', 'deactivated', 'killed', null).map((status) => [id, status] as const)))
  .map((entries) => new Map(entries.flatMap(([id, status]) => (status === null ? [] : [[id, { id, name: `name-${id}`, status, size: 5 }]]))));

describe('findOrphans', () => {
  it('reports exactly the cached images Glance does not serve as active, with the bytes of every copy', () => {
    fc.assert(
      fc.property(listingsArb, imagesArb, (listings, images) => {
        const report = findOrphans(mergeListings(listings, images));
        const copies = listings.flatMap((node) => (node.cache ? node.cache.cached.map((image) => ({ node: node.name, image })) : []));
        const orphanCopies = copies.filter(({ image }) => images.get(image.id)?.status !== 'active');
        expect(report.orphans.map((orphan) => orphan.id).sort()).toEqual([...new Set(orphanCopies.map(({ image }) => image.id))].sort());
        for (const { node, image } of orphanCopies) {
          expect(report.orphans.find((orphan) => orphan.id === image.id)!.bytesByNode[node]).toBe(image.size);
        }
        const wasted: Record<string, number> = {};
        for (const { node, image } of orphanCopies) wasted[node] = (wasted[node] ?? 0) + image.size;
        expect(report.wastedByNode).toEqual(wasted);
        expect(report.wastedBytes).toBe(orphanCopies.reduce((total, { image }) => total + image.size, 0));
        const bytes = report.orphans.map((orphan) => orphan.bytes);
        expect(bytes).toEqual([...bytes].sort((a, b) => b - a));
      }),
    );
  });

  it('names the status, null when Glance shows no such image', () => {
    const listings = [
      listing('glance01', { cached: [cachedImage('gone', { size: 300 }), cachedImage('off', { size: 10 }), cachedImage('ok', { size: 1 })], queued: ['queued-only'] }),
      listing('glance02', { cached: [cachedImage('gone', { size: 300 })], queued: [] }),
    ];
    const images = new Map<string, ImageInfo>([
      ['off', { id: 'off', name: 'old', status: 'deactivated', size: 10 }],
      ['ok', { id: 'ok', name: 'fine', status: 'active', size: 1 }],
    ]);
    expect(findOrphans(mergeListings(listings, images))).toEqual({
      orphans: [
        { id: 'gone', name: null, status: null, cachedOn: ['glance01', 'glance02'], bytesByNode: { glance01: 300, glance02: 300 }, bytes: 600 },
        { id: 'off', name: 'old', status: 'deactivated', cachedOn: ['glance01'], bytesByNode: { glance01: 10 }, bytes: 10 },
      ],
      wastedByNode: { glance01: 310, glance02: 300 },
      wastedBytes: 610,
    });
  });

  it('does not count an image only queued as an orphan: it takes no space', () => {
    const merged = mergeListings([listing('glance01', { cached: [], queued: ['gone'] })], new Map());
    expect(merged.map(isOrphan)).toEqual([false]);
  });
});
