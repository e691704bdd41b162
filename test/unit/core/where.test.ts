import { describe, expect, it } from 'vitest';
import { locateImages } from '../../../src/core/where.js';
import { cachedImage, listing } from './listings.js';

describe('locateImages', () => {
  const listings = [
    listing('glance1', { cached: [cachedImage('img-a', { hits: 4, lastAccessed: 1700000000, size: 123 })], queued: ['img-b'] }),
    listing('glance2', { cached: [], queued: [] }),
    listing('glance3', null),
  ];

  it('reports cached, queued, absent and unknown per image and node, in the order asked', () => {
    const none = { rowId: null, checksum: null };
    expect(locateImages(['img-b', 'img-a'], listings)).toEqual([
      { image: 'img-b', node: 'glance1', state: 'queued', hits: null, lastAccessed: null, size: null, ...none },
      { image: 'img-b', node: 'glance2', state: 'absent', hits: null, lastAccessed: null, size: null, ...none },
      { image: 'img-b', node: 'glance3', state: 'unknown', hits: null, lastAccessed: null, size: null, ...none },
      { image: 'img-a', node: 'glance1', state: 'cached', hits: 4, lastAccessed: 1700000000, size: 123, ...none },
      { image: 'img-a', node: 'glance2', state: 'absent', hits: null, lastAccessed: null, size: null, ...none },
      { image: 'img-a', node: 'glance3', state: 'unknown', hits: null, lastAccessed: null, size: null, ...none },
    ]);
  });

  it('carries the row id and checksum of a centralized_db copy', () => {
    const epoxy = [listing('glance1', { cached: [cachedImage('img-a', { rowId: 12, checksum: 'abc' })], queued: [] })];
    expect(locateImages(['img-a'], epoxy)[0]).toMatchObject({ state: 'cached', rowId: 12, checksum: 'abc' });
  });

  it('calls an image both cached and queued on one node cached', () => {
    const both = [listing('glance1', { cached: [cachedImage('img-a')], queued: ['img-a'] })];
    expect(locateImages(['img-a'], both).map((location) => location.state)).toEqual(['cached']);
  });

  it('returns nothing without images or nodes', () => {
    expect(locateImages([], listings)).toEqual([]);
    expect(locateImages(['img-a'], [])).toEqual([]);
  });
});
