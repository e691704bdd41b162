import { describe, it, expect } from 'vitest';
import { SimNodeCache } from '../../../src/sim/node-cache.js';

const entry = (id: string, size: number, lastAccessed: number) => ({ id, size, hits: 0, lastAccessed, lastModified: 1700000000.25 });

describe('SimNodeCache', () => {
  it('lists cached images sorted by ID and queued ones in queue order', () => {
    const cache = new SimNodeCache();
    cache.store(entry('b', 10, 1700000001.5));
    cache.store(entry('a', 20, 1700000002.5));
    cache.queue('z');
    cache.queue('y');
    expect(JSON.parse(cache.stateBody().toString())).toEqual({
      cached_images: [
        { image_id: 'a', hits: 0, last_accessed: 1700000002.5, last_modified: 1700000000.25, size: 20 },
        { image_id: 'b', hits: 0, last_accessed: 1700000001.5, last_modified: 1700000000.25, size: 10 },
      ],
      queued_images: ['z', 'y'],
    });
    expect(JSON.parse(cache.queuedBody().toString())).toEqual({ queued_images: ['z', 'y'] });
    expect(JSON.parse(cache.cachedBody().toString()).cached_images).toHaveLength(2);
  });

  it('renders whole seconds for the xattr driver', () => {
    const cache = new SimNodeCache('xattr');
    cache.store(entry('a', 1, 1700000002.75));
    const [row] = JSON.parse(cache.stateBody().toString()).cached_images;
    expect(row).toMatchObject({ last_accessed: 1700000002, last_modified: 1700000000 });
  });

  it('re-renders after every change', () => {
    const cache = new SimNodeCache();
    const before = cache.stateBody().toString();
    cache.store(entry('a', 1, 1));
    expect(cache.stateBody().toString()).not.toBe(before);
    expect(cache.hit('a', 1700000100)).toBe(true);
    expect(JSON.parse(cache.stateBody().toString()).cached_images[0]).toMatchObject({ hits: 1, last_accessed: 1700000100 });
    cache.removeCached('a');
    expect(cache.stateBody().toString()).toBe(before);
  });

  it('does not queue what is cached or queued already, and caching takes an image off the queue', () => {
    const cache = new SimNodeCache();
    cache.store(entry('a', 1, 1));
    cache.queue('a');
    cache.queue('b');
    cache.queue('b');
    expect(cache.queuedIds()).toEqual(['b']);
    cache.store(entry('b', 1, 1));
    expect(cache.queuedIds()).toEqual([]);
  });

  it('prunes least recently accessed first until the cache fits', () => {
    const cache = new SimNodeCache();
    cache.store(entry('old', 40, 100));
    cache.store(entry('new', 40, 300));
    cache.store(entry('mid', 40, 200));
    expect(cache.prune(100)).toEqual({ files: 1, bytes: 40 });
    expect(cache.entries().map((kept) => kept.id).sort()).toEqual(['mid', 'new']);
    expect(cache.prune(100)).toEqual({ files: 0, bytes: 0 });
    expect(cache.prune(0)).toEqual({ files: 2, bytes: 80 });
  });

  it('counts what a clear removed', () => {
    const cache = new SimNodeCache();
    cache.store(entry('a', 1, 1));
    cache.queue('q');
    expect(cache.clearCached()).toBe(1);
    expect(cache.clearQueued()).toBe(1);
    expect(cache.entries()).toEqual([]);
  });
});
