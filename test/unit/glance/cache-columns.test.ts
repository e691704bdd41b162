import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromColumns, toColumns } from '../../../src/glance/cache-columns.js';
import type { NodeCache } from '../../../src/core/model.js';
import { peerString, uuid } from '../fuzz/arbitraries.js';

const time = fc.option(fc.double({ min: 1, max: 4_102_444_800, noNaN: true }), { nil: null });
const listing = (id: fc.Arbitrary<string>) =>
  fc.record({
    cached: fc.uniqueArray(
      fc.record(
        { id, hits: fc.nat(), lastAccessed: time, lastModified: time, size: fc.nat({ max: 2 ** 50 }), rowId: fc.nat(), checksum: fc.oneof(fc.string({ maxLength: 128 }), peerString()) },
        { requiredKeys: ['id', 'hits', 'lastAccessed', 'lastModified', 'size'] },
      ).map((image) => ({ ...image })),
      { selector: (image) => image.id, maxLength: 30 },
    ),
    queued: fc.array(id, { maxLength: 5 }),
  }).map((cache) => ({ ...cache }));

describe('cache columns', () => {
  it('give back every listing exactly, in order, over a run of listings sharing IDs', () => {
    // Few distinct IDs, many listings: the dictionary must stay in step across messages.
    const id = fc.oneof(uuid, peerString(), fc.constantFrom('a', 'b', 'a,b', '', '\u202e'));
    fc.assert(
      fc.property(fc.array(listing(id), { maxLength: 8 }), (listings: NodeCache[]) => {
        const sent = new Map<string, number>();
        const received: string[] = [];
        // Strictly: a row id or checksum the node did not send must not appear, even as undefined.
        for (const cache of listings) expect(fromColumns(toColumns(cache, sent), received)).toStrictEqual(cache);
        expect(received).toEqual([...sent.keys()]);
      }),
    );
  });

  it('send each ID once, and the same string object for each copy on the receiving side', () => {
    const image = (id: string) => ({ id, hits: 1, lastAccessed: null, lastModified: 1_700_000_000.5, size: 5 });
    const sent = new Map<string, number>();
    const received: string[] = [];
    const first = toColumns({ cached: [image('x'), image('y')], queued: [] }, sent);
    const second = toColumns({ cached: [image('y'), image('z')], queued: ['x'] }, sent);
    expect(first.newIds).toEqual(['x', 'y']);
    expect(second.newIds).toEqual(['z']);
    const [a, b] = [fromColumns(first, received), fromColumns(second, received)];
    expect(a.cached[1]!.id).toBe(b.cached[0]!.id);
    expect(b.cached.map((entry) => entry.id)).toEqual(['y', 'z']);
    expect(b.queued).toEqual(['x']);
  });
});
