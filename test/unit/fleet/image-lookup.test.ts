import { describe, expect, it } from 'vitest';
import type { ImageInfo } from '../../../src/core/model.js';
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
    const images = new ImageLookup(lookup, signal, 100, 4, 16);
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
    const images = new ImageLookup(lookup, new AbortController().signal, 100, 4, 16);
    images.request('u', ['a']);
    images.request('u', ['x']);
    images.request('u', ['y']);
    const settled = await images.settle();
    expect([...settled.images.keys()]).toEqual(['a']);
    expect(settled.error).toBe('images API u: HTTP 403: forbidden');
  });

  it('gives an endpoint that failed no more batches, and drops those no endpoint is left for', async () => {
    const asked: [string, string[]][] = [];
    const lookup: LookupBatch = async (baseUrl, ids) => {
      asked.push([baseUrl, ids]);
      if (baseUrl === 'http://hung') throw new Error('timed out');
      return new Map(ids.map((id) => [id, info(id)]));
    };
    const images = new ImageLookup(lookup, new AbortController().signal, 1, 1, 16);
    images.request('http://hung', ['a', 'b', 'c']);
    await new Promise((resolve) => setImmediate(resolve));
    // Another node answers: it takes what the failed endpoint left.
    images.request('http://glance2', ['d']);
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked).toEqual([
      ['http://hung', ['a']],
      ['http://glance2', ['b']],
      ['http://glance2', ['c']],
      ['http://glance2', ['d']],
    ]);
    const settled = await images.settle();
    expect([...settled.images.keys()].sort()).toEqual(['b', 'c', 'd']);
    expect(settled.error).toBe('images API http://hung: timed out');
  });

  it('settles once every endpoint has failed, leaving the rest of the queue unasked', async () => {
    const asked: string[][] = [];
    const images = new ImageLookup(
      async (_baseUrl, ids) => {
        asked.push(ids);
        throw new Error('timed out');
      },
      new AbortController().signal,
      1,
      2,
      16,
    );
    images.request('http://images', ['a', 'b', 'c', 'd', 'e']);
    const settled = await images.settle();
    expect(asked).toEqual([['a'], ['b']]);
    expect(settled).toEqual({ images: new Map(), error: 'images API http://images: timed out' });
  });

  it('never has more than maxInFlight batches out over all endpoints', async () => {
    let inFlight = 0;
    let most = 0;
    const lookup: LookupBatch = async (_baseUrl, ids) => {
      most = Math.max(most, ++inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return new Map(ids.map((id) => [id, info(id)]));
    };
    const images = new ImageLookup(lookup, new AbortController().signal, 1, 4, 3);
    for (let node = 0; node < 10; node++) images.request(`http://glance${node}`, [`id${node}`]);
    const settled = await images.settle();
    expect(most).toBe(3);
    expect(settled.images.size).toBe(10);
  });

  it('settles at once when nothing was asked', async () => {
    let calls = 0;
    const images = new ImageLookup(async () => (calls++, new Map()), new AbortController().signal, 100, 4, 16);
    images.request('u', []);
    expect(await images.settle()).toEqual({ images: new Map(), error: null });
    expect(calls).toBe(0);
  });

  it('has every answered node take queued batches, never more than perSource at once', async () => {
    const open: { baseUrl: string; ids: string[]; finish: () => void }[] = [];
    const inFlight = new Map<string, number>();
    let most = 0;
    const lookup: LookupBatch = (baseUrl, ids) =>
      new Promise((resolve) => {
        inFlight.set(baseUrl, (inFlight.get(baseUrl) ?? 0) + 1);
        most = Math.max(most, inFlight.get(baseUrl)!);
        open.push({ baseUrl, ids, finish: () => (inFlight.set(baseUrl, inFlight.get(baseUrl)! - 1), resolve(new Map(ids.map((id) => [id, info(id)])))) });
      });
    const images = new ImageLookup(lookup, new AbortController().signal, 2, 2, 16);
    // The first node to answer reports 13 new images: 7 batches, of which it takes 2 at once.
    images.request('http://glance1', 'abcdefghijklm'.split(''));
    expect(open.map((call) => call.baseUrl)).toEqual(['http://glance1', 'http://glance1']);
    // A second node answers with nothing new: it takes queued batches straight away.
    images.request('http://glance2', ['a']);
    expect(open.map((call) => call.baseUrl)).toEqual(['http://glance1', 'http://glance1', 'http://glance2', 'http://glance2']);
    let settled = false;
    const done = images.settle().then((result) => ((settled = true), result));
    while (open.some((call) => call.finish !== noop)) {
      const call = open.find((entry) => entry.finish !== noop)!;
      const finish = call.finish;
      call.finish = noop;
      finish();
      await Promise.resolve();
      await new Promise((resolve) => setImmediate(resolve));
    }
    const result = await done;
    expect(settled).toBe(true);
    expect(most).toBe(2);
    expect(open.flatMap((call) => call.ids).sort()).toEqual('abcdefghijklm'.split(''));
    expect(new Set(open.map((call) => call.baseUrl))).toEqual(new Set(['http://glance1', 'http://glance2']));
    expect(result.images.size).toBe(13);
  });

  it('drops what is still queued once the run is interrupted', async () => {
    const controller = new AbortController();
    const asked: string[][] = [];
    const images = new ImageLookup(
      async (_baseUrl, ids, signal) => {
        asked.push(ids);
        await new Promise((resolve) => setImmediate(resolve));
        if (signal.aborted) throw new Error('interrupted');
        return new Map();
      },
      controller.signal,
      1,
      1,
      16,
    );
    images.request('http://glance1', ['a', 'b', 'c']);
    controller.abort();
    const result = await images.settle();
    expect(asked).toEqual([['a']]);
    expect(result.error).toBe('interrupted');
  });

  describe('with a primer (a page of the images API asked when the listing starts)', () => {
    const recording = () => {
      const asked: string[][] = [];
      const lookup: LookupBatch = async (_baseUrl, ids) => {
        asked.push(ids);
        return new Map(ids.map((id) => [id, info(id)]));
      };
      return { asked, lookup };
    };

    it('sends no batch for the IDs the page named, and holds batches until the page is in', async () => {
      const { asked, lookup } = recording();
      let deliver!: (images: Map<string, ImageInfo>) => void;
      const images = new ImageLookup(lookup, new AbortController().signal, 2, 4, 16);
      images.prime(new Promise((resolve) => (deliver = (found) => resolve({ images: found, complete: false }))));
      images.request('u', ['a', 'b', 'c']);
      await new Promise((resolve) => setImmediate(resolve));
      expect(asked).toEqual([]);
      const settling = images.settle();
      deliver(new Map([['a', info('a')], ['c', info('c')], ['z', info('z')]]));
      const settled = await settling;
      expect(asked).toEqual([['b']]);
      expect([...settled.images.keys()].sort()).toEqual(['a', 'b', 'c', 'z']);
      expect(settled.error).toBeNull();
    });

    it('asks for everything, in full batches, when the page could not be had', async () => {
      const { asked, lookup } = recording();
      const images = new ImageLookup(lookup, new AbortController().signal, 2, 1, 16);
      let fail!: () => void;
      images.prime(new Promise((resolve) => (fail = () => resolve(null))));
      images.request('u', ['a', 'b', 'c']);
      fail();
      const settled = await images.settle();
      expect(asked).toEqual([['a', 'b'], ['c']]);
      expect(settled.images.size).toBe(3);
    });

    it('asks nothing for IDs a page that came first named', async () => {
      const { asked, lookup } = recording();
      const images = new ImageLookup(lookup, new AbortController().signal, 100, 4, 16);
      images.prime(Promise.resolve({ images: new Map([['a', info('a')]]), complete: false }));
      await new Promise((resolve) => setImmediate(resolve));
      images.request('u', ['a', 'b']);
      await images.settle();
      expect(asked).toEqual([['b']]);
    });

    it('asks nothing by ID when the page was the whole catalog: what it lacks is deleted or not ours to see', async () => {
      const { asked, lookup } = recording();
      const images = new ImageLookup(lookup, new AbortController().signal, 100, 4, 16);
      images.prime(Promise.resolve({ images: new Map([['a', info('a')]]), complete: true }));
      images.request('u', ['a', 'orphan']);
      await new Promise((resolve) => setImmediate(resolve));
      images.request('u', ['other-orphan']);
      const settled = await images.settle();
      expect(asked).toEqual([]);
      expect([...settled.images.keys()]).toEqual(['a']);
    });

    it('settles with no batch at all when the page named every ID', async () => {
      const { asked, lookup } = recording();
      const images = new ImageLookup(lookup, new AbortController().signal, 100, 4, 16);
      images.prime(Promise.resolve({ images: new Map([['a', info('a')]]), complete: false }));
      images.request('u', ['a']);
      const settled = await images.settle();
      expect(asked).toEqual([]);
      expect(settled.images.get('a')?.name).toBe('name-a');
    });
  });
});

const noop = () => undefined;
