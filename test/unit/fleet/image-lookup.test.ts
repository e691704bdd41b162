import { describe, expect, it } from 'vitest';
import type { ImageInfo } from '../../../src/glance/types.js';
import { ImageLookup, type LookupBatch } from '../../../src/fleet/image-lookup.js';

const info = (id: string): ImageInfo => ({ id, name: `name-${id}`, status: 'active', size: 1 });

describe('ImageLookup', () => {
  it('asks for each id once, through the base URL it was given, with the run signal', async () => {
    const calls: [string, string[], AbortSignal][] = [];
    const lookup: LookupBatch = async (baseUrl, ids, signal) => {
      calls.push([baseUrl, ids, signal]);
      return new Map(ids.map((id) => [id, info(id)]));
    };
    const signal = new AbortController().signal;
    const images = new ImageLookup(lookup, signal, 100);
    images.request('http://glance1:9292', ['a', 'b']);
    images.request('http://glance2:9292', ['b', 'c']);
    images.request('http://glance3:9292', ['a', 'c']);
    const settled = await images.settle();
    expect(calls.map(([baseUrl, ids]) => [baseUrl, ids])).toEqual([
      ['http://glance1:9292', ['a', 'b']],
      ['http://glance2:9292', ['c']],
    ]);
    expect(calls.every(([, , given]) => given === signal)).toBe(true);
    expect([...settled.images.keys()].sort()).toEqual(['a', 'b', 'c']);
    expect(settled.error).toBeNull();
  });

  it('keeps what other batches found and reports the first failure, without rejecting', async () => {
    const lookup: LookupBatch = async (_baseUrl, ids) => {
      if (ids.includes('x')) throw new Error('HTTP 403: forbidden');
      if (ids.includes('y')) throw new Error('second failure');
      return new Map(ids.map((id) => [id, info(id)]));
    };
    const images = new ImageLookup(lookup, new AbortController().signal, 100);
    images.request('u', ['a']);
    images.request('u', ['x']);
    images.request('u', ['y']);
    const settled = await images.settle();
    expect([...settled.images.keys()]).toEqual(['a']);
    expect(settled.error).toBe('HTTP 403: forbidden');
  });

  it('settles at once when nothing was asked', async () => {
    let calls = 0;
    const images = new ImageLookup(async () => (calls++, new Map()), new AbortController().signal, 100);
    images.request('u', []);
    expect(await images.settle()).toEqual({ images: new Map(), error: null });
    expect(calls).toBe(0);
  });

  it('spreads the batches of one large answer over every node that answered so far', async () => {
    const calls: [string, number][] = [];
    const images = new ImageLookup(async (baseUrl, ids) => (calls.push([baseUrl, ids.length]), new Map()), new AbortController().signal, 2);
    images.request('http://glance1', ['a']);
    images.request('http://glance2', ['b']);
    images.request('http://glance3', ['c', 'd', 'e', 'f', 'g', 'h', 'i']);
    await images.settle();
    expect(calls).toEqual([
      ['http://glance1', 1],
      ['http://glance2', 1],
      ['http://glance3', 2],
      ['http://glance1', 2],
      ['http://glance2', 2],
      ['http://glance3', 1],
    ]);
  });
});
