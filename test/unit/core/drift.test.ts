import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDrift } from '../../../src/core/drift.js';
import { mergeListings } from '../../../src/core/merge.js';
import type { ImageInfo, NodeListing } from '../../../src/core/model.js';
import { cachedImage, listing } from './listings.js';

const drift = (listings: NodeListing[], images: Map<string, ImageInfo> = new Map()) => findDrift(mergeListings(listings, images), listings, images);
const active = (id: string, size: number | null): [string, ImageInfo] => [id, { id, name: `name-${id}`, status: 'active', size }];

describe('findDrift: size_mismatch', () => {
  it('reports an image cached with different sizes, most common size first', () => {
    const listings = ['glance01', 'glance02', 'glance03'].map((name, index) => listing(name, { cached: [cachedImage('a', { size: index === 1 ? 99 : 100 })], queued: [] }));
    expect(drift(listings).sizeMismatches).toEqual([
      { image: 'a', name: null, glanceSize: null, sizes: [{ size: 100, nodes: ['glance01', 'glance03'] }, { size: 99, nodes: ['glance02'] }] },
    ]);
  });

  it('reports copies that agree with each other but not with Glance', () => {
    const listings = [listing('glance01', { cached: [cachedImage('a', { size: 50 })], queued: [] })];
    expect(drift(listings, new Map([active('a', 100)])).sizeMismatches).toEqual([{ image: 'a', name: 'name-a', glanceSize: 100, sizes: [{ size: 50, nodes: ['glance01'] }] }]);
    expect(drift(listings, new Map([active('a', 50)])).sizeMismatches).toEqual([]);
    expect(drift(listings, new Map([active('a', null)])).sizeMismatches).toEqual([]);
  });

  it('flags an image exactly when its copies hold more than one size, or one size other than Glance’s', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(fc.constantFrom(7, 8), { nil: null }), { minLength: 1, maxLength: 5 }),
        fc.option(fc.constantFrom(7, 8), { nil: null }),
        (sizes, glanceSize) => {
          const listings = sizes.map((size, index) => listing(`n${index}`, { cached: size === null ? [] : [cachedImage('a', { size })], queued: [] }));
          const held = new Set<number>(sizes.filter((size) => size !== null));
          const expected = held.size > 1 || (glanceSize !== null && held.size === 1 && !held.has(glanceSize));
          expect(drift(listings, new Map([active('a', glanceSize)])).sizeMismatches.length).toBe(expected ? 1 : 0);
        },
      ),
    );
  });
});

describe('findDrift: stuck_queue', () => {
  it('reports queued images Glance has no active image for, and not the others', () => {
    const listings = [
      listing('glance01', { cached: [], queued: ['gone', 'fine', 'off'] }),
      listing('glance02', { cached: [], queued: ['gone'] }),
    ];
    const images = new Map<string, ImageInfo>([active('fine', 1), ['off', { id: 'off', name: 'old', status: 'deactivated', size: 1 }]]);
    expect(drift(listings, images).stuckQueues).toEqual([
      { image: 'gone', name: null, status: null, nodes: ['glance01', 'glance02'] },
      { image: 'off', name: 'old', status: 'deactivated', nodes: ['glance01'] },
    ]);
  });
});

describe('findDrift: over_max_size', () => {
  it('reports nodes caching more than their declared max_size, and ignores nodes without one or without an answer', () => {
    const node = (name: string, sizes: number[], max: number | null): NodeListing => ({
      ...listing(name, { cached: sizes.map((size, index) => cachedImage(`${name}-${index}`, { size })), queued: [] }),
      maxSizeBytes: max,
    });
    const listings = [node('glance10', [60, 50], 100), node('glance2', [60, 50], 110), node('glance3', [500], null), node('glance1', [101], 100), { ...listing('glance4', null), maxSizeBytes: 1 }];
    expect(drift(listings).overMaxSize).toEqual([
      { node: 'glance1', cachedBytes: 101, maxSize: 100 },
      { node: 'glance10', cachedBytes: 110, maxSize: 100 },
    ]);
  });
});

describe('findDrift', () => {
  it('finds nothing in a healthy fleet', () => {
    const listings = ['glance01', 'glance02'].map((name) => ({ ...listing(name, { cached: [cachedImage('a', { size: 10 })], queued: [] }), maxSizeBytes: 10 }));
    expect(drift(listings, new Map([active('a', 10)]))).toEqual({ sizeMismatches: [], stuckQueues: [], overMaxSize: [] });
  });
});
