import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findSharedRecords } from '../../../src/core/audit.js';
import type { CachedImage } from '../../../src/core/model.js';
import { cachedImage, listing } from './listings.js';

const IMG = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'] as const;
const row = (rowId: number, image: string, fields: Partial<CachedImage> = {}) => cachedImage(image, { rowId, checksum: `sum-${image}`, ...fields });
const node = (name: string, ...cached: CachedImage[]) => listing(name, { cached, queued: [] });

describe('findSharedRecords', () => {
  it('finds two nodes listing the same rows for the same images, with those row ids', () => {
    const rows = [row(4, IMG[0]), row(7, IMG[1])];
    expect(findSharedRecords([node('glance01', row(1, IMG[0])), node('glance02', ...rows), node('glance03', ...rows)])).toEqual([{ nodes: ['glance02', 'glance03'], rowIds: [4, 7] }]);
  });

  it('needs one shared (row id, image) pair only: hits, times and the rest of the listing may differ', () => {
    // Two GETs a moment apart: a read between them moved the hits, and one node's listing has a row more.
    const found = findSharedRecords([node('glance02', row(9, IMG[0], { hits: 3 }), row(12, IMG[2])), node('glance03', row(9, IMG[0], { hits: 4, lastAccessed: 1_800_000_000 }))]);
    expect(found).toEqual([{ nodes: ['glance02', 'glance03'], rowIds: [9] }]);
  });

  it('finds nothing among distinct nodes: distinct rows, even for the same images', () => {
    expect(findSharedRecords([node('glance01', row(1, IMG[0]), row(2, IMG[1])), node('glance02', row(3, IMG[0]), row(4, IMG[1])), node('glance03', row(5, IMG[1]))])).toEqual([]);
  });

  it('never matches a row id listed for different images (separate databases in one inventory)', () => {
    expect(findSharedRecords([node('region-a01', row(1, IMG[0])), node('region-b01', row(1, IMG[1]))])).toEqual([]);
  });

  it('never matches entries without a row id (Zed), however alike they are', () => {
    const zed = cachedImage(IMG[0], { hits: 2, lastAccessed: 1_700_000_000, lastModified: 1_700_000_000, size: 5 });
    expect(findSharedRecords([node('glance01', zed), node('glance02', { ...zed })])).toEqual([]);
  });

  it('never matches empty caches, failed nodes or queued images', () => {
    const queuedOnly = (name: string) => listing(name, { cached: [], queued: [IMG[0]] });
    expect(findSharedRecords([node('glance01'), node('glance02'), queuedOnly('glance03'), queuedOnly('glance04'), listing('glance05', null), listing('glance06', null)])).toEqual([]);
  });

  it('ignores a failed node, and finds the pair among the others', () => {
    const rows = [row(4, IMG[0])];
    expect(findSharedRecords([listing('glance01', null), node('glance02', ...rows), node('glance03', ...rows)])).toEqual([{ nodes: ['glance02', 'glance03'], rowIds: [4] }]);
  });

  it('puts nodes linked through a third one in one group, and keeps separate groups apart', () => {
    const found = findSharedRecords([
      node('glance01', row(1, IMG[0])),
      node('glance02', row(1, IMG[0]), row(2, IMG[1])),
      node('glance03', row(2, IMG[1])),
      node('glance10', row(30, IMG[2])),
      node('glance11', row(30, IMG[2])),
      node('glance12', row(31, IMG[2])),
    ]);
    expect(found).toEqual([
      { nodes: ['glance01', 'glance02', 'glance03'], rowIds: [1, 2] },
      { nodes: ['glance10', 'glance11'], rowIds: [30] },
    ]);
  });

  it('compares row ids too large to pack with the others the same way', () => {
    const huge = 2 ** 52;
    const found = findSharedRecords([node('glance01', row(huge, IMG[0]), row(5, IMG[1])), node('glance02', row(huge, IMG[0])), node('glance03', row(huge, IMG[1])), node('glance04', row(5, IMG[1]))]);
    expect(found).toEqual([
      { nodes: ['glance01', 'glance02', 'glance04'], rowIds: [5, huge] },
    ]);
  });

  it('finds a whole fleet that shares one reference, row ids ascending', () => {
    const rows = [row(20, IMG[2]), row(3, IMG[0]), row(11, IMG[1])];
    const names = ['glance1', 'glance2', 'glance10'];
    expect(findSharedRecords(names.map((name) => node(name, ...rows)))).toEqual([{ nodes: ['glance1', 'glance2', 'glance10'], rowIds: [3, 11, 20] }]);
  });

  it('gives the same findings whatever order the nodes answered in', () => {
    const rows = (ids: number[]) => ids.map((id, index) => row(id, IMG[index % IMG.length]!));
    const fleet = [node('a1', ...rows([1, 2])), node('a2', ...rows([1, 2])), node('a3', ...rows([5])), node('a4', ...rows([6, 2])), node('a5'), listing('a6', null)];
    const expected = findSharedRecords(fleet);
    fc.assert(
      fc.property(fc.shuffledSubarray(fleet, { minLength: fleet.length, maxLength: fleet.length }), (shuffled) => {
        expect(findSharedRecords(shuffled)).toEqual(expected);
      }),
    );
  });

  it('reports a pair exactly when two nodes list one (row id, image) pair', () => {
    // Small ids are packed; the huge ones take the other path.
    const rowId = fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constantFrom(2 ** 52, 2 ** 52 + 2));
    const entry = fc.record({ rowId: fc.option(rowId, { nil: undefined }), image: fc.constantFrom(...IMG) });
    const nodeArb = fc.uniqueArray(entry, { selector: (item) => item.image, maxLength: 3 });
    fc.assert(
      fc.property(fc.array(nodeArb, { minLength: 2, maxLength: 5 }), (caches) => {
        const listings = caches.map((cached, index) => node(`n${index + 1}`, ...cached.map(({ rowId, image }) => (rowId === undefined ? cachedImage(image) : row(rowId, image)))));
        const pairs = caches.map((cached) => new Set(cached.flatMap(({ rowId, image }) => (rowId === undefined ? [] : [`${rowId} ${image}`]))));
        const together = (a: number, b: number) => findSharedRecords(listings).some((group) => group.nodes.includes(`n${a + 1}`) && group.nodes.includes(`n${b + 1}`));
        for (let a = 0; a < caches.length; a++) {
          for (let b = a + 1; b < caches.length; b++) {
            if ([...pairs[a]!].some((pair) => pairs[b]!.has(pair))) expect(together(a, b)).toBe(true);
          }
        }
        for (const group of findSharedRecords(listings)) {
          // Every node of a group shares a pair with some other node of it.
          for (const name of group.nodes) {
            const index = Number(name.slice(1)) - 1;
            expect(group.nodes.some((other) => other !== name && [...pairs[index]!].some((pair) => pairs[Number(other.slice(1)) - 1]!.has(pair)))).toBe(true);
          }
        }
      }),
    );
  });
});
