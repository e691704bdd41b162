import { describe, expect, it } from 'vitest';
import { filterImages, imageTotals, type ImageFilter } from '../../../src/core/image-filter.js';
import type { MergedImage } from '../../../src/core/merge.js';

const NOW_MS = 1_700_000_000_000;
const NOW = NOW_MS / 1000;
const HOUR = 3600;
const DAY = 24 * HOUR;

function image(id: string, name: string | null, fields: Partial<MergedImage> = {}): MergedImage {
  return { id, name, size: null, status: 'active', cachedOn: [], queuedOn: [], hits: 0, lastAccessed: null, cachedSizes: [], ...fields };
}

const images = [
  image('a', 'cirros-0.6.2-0001', { lastAccessed: NOW - 40 * DAY, cachedOn: ['g1', 'g2'], cachedSizes: [100, 100] }),
  image('b', 'cirros-0.6.2-0002', { lastAccessed: NOW - 2 * HOUR, cachedOn: ['g1'], cachedSizes: [200] }),
  image('c', 'ubuntu-24.04', { lastAccessed: NOW - 3 * DAY, cachedOn: ['g3'], cachedSizes: [5000] }),
  image('d', null, { lastAccessed: NOW - 60 * DAY, cachedOn: ['g2'], cachedSizes: [7] }),
  image('e', 'cirros-0.6.3', { queuedOn: ['g1'] }),
];
const none: ImageFilter = { name: null, olderThanMs: null, newerThanMs: null };
const ids = (filter: Partial<ImageFilter>) => filterImages(images, { ...none, ...filter }, NOW_MS).map((kept) => kept.id);

describe('filterImages', () => {
  it('keeps everything, in order, without a filter', () => {
    expect(ids({})).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('keeps the images whose name the glob or exact name matches; unnamed images never match', () => {
    expect(ids({ name: 'cirros-*' })).toEqual(['a', 'b', 'e']);
    expect(ids({ name: 'cirros-0.6.2-000?' })).toEqual(['a', 'b']);
    expect(ids({ name: 'ubuntu-24.04' })).toEqual(['c']);
    expect(ids({ name: 'cirros' })).toEqual([]);
    expect(ids({ name: '*' })).toEqual(['a', 'b', 'c', 'e']);
  });

  it('--older-than keeps images last read longer ago; never-read images have no age', () => {
    expect(ids({ olderThanMs: 30 * DAY * 1000 })).toEqual(['a', 'd']);
    expect(ids({ olderThanMs: HOUR * 1000 })).toEqual(['a', 'b', 'c', 'd']);
  });

  it('--newer-than keeps images read within the span; never-read images have no age', () => {
    expect(ids({ newerThanMs: DAY * 1000 })).toEqual(['b']);
    expect(ids({ newerThanMs: 7 * DAY * 1000 })).toEqual(['b', 'c']);
  });

  it('a read exactly at the cutoff is newer, not older', () => {
    expect(ids({ olderThanMs: 3 * DAY * 1000 })).toEqual(['a', 'd']);
    expect(ids({ newerThanMs: 3 * DAY * 1000 })).toEqual(['b', 'c']);
  });

  it('combines the filters: a window of age, and a name', () => {
    expect(ids({ olderThanMs: DAY * 1000, newerThanMs: 45 * DAY * 1000 })).toEqual(['a', 'c']);
    expect(ids({ name: 'cirros-*', olderThanMs: DAY * 1000 })).toEqual(['a']);
  });
});

describe('imageTotals', () => {
  it('counts images, cached copies over every node and the bytes each node holds', () => {
    expect(imageTotals(images)).toEqual({ images: 5, copies: 5, bytes: 5407 });
  });

  it('is zero for nothing', () => {
    expect(imageTotals([])).toEqual({ images: 0, copies: 0, bytes: 0 });
  });
});
