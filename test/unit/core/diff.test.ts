import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffFleet, PRESENCES, stateMatrix, type Presence } from '../../../src/core/diff.js';
import type { NodeListing } from '../../../src/core/model.js';
import { cachedImage, listing } from './listings.js';

const IMAGES = ['img-a', 'img-b', 'img-c', 'img-d', 'img-e'];

const cacheArb = fc.record({
  cached: fc.uniqueArray(fc.constantFrom(...IMAGES), { maxLength: IMAGES.length }).map((ids) => ids.map((id) => cachedImage(id))),
  queued: fc.uniqueArray(fc.constantFrom(...IMAGES), { maxLength: 2 }),
});

/** Distinct node names, a quarter of them failed. */
const listingsArb: fc.Arbitrary<NodeListing[]> = fc
  .uniqueArray(fc.stringMatching(/^glance[0-9]{1,2}$/), { maxLength: 8 })
  .chain((names) => fc.tuple(...names.map((name) => fc.option(cacheArb, { nil: null, freq: 4 }).map((cache) => listing(name, cache)))));

const presenceArb = fc.constantFrom(...PRESENCES);

function heldBy(node: NodeListing, presence: Presence): Set<string> {
  const cached = presence === 'queued' ? [] : node.cache!.cached.map((image) => image.id);
  return new Set([...cached, ...(presence === 'cached' ? [] : node.cache!.queued)]);
}

const answered = (listings: NodeListing[]) => listings.filter((node) => node.cache !== null);

describe('diffFleet without a reference', () => {
  it('reports every image missing anywhere exactly once, with each node lacking it exactly once', () => {
    fc.assert(
      fc.property(listingsArb, presenceArb, (listings, presence) => {
        const diff = diffFleet(listings, { presence });
        const nodes = answered(listings);
        const union = new Set(nodes.flatMap((node) => [...heldBy(node, presence)]));
        const ids = diff.differences.map((difference) => difference.id);
        expect(new Set(ids).size).toBe(ids.length);
        let expectedPairs = 0;
        for (const node of nodes) {
          const held = heldBy(node, presence);
          for (const id of union) {
            if (held.has(id)) continue;
            expectedPairs++;
            const reported = diff.differences.filter((difference) => difference.id === id);
            expect(reported).toHaveLength(1);
            expect(reported[0]!.missingOn.filter((name) => name === node.name)).toEqual([node.name]);
          }
        }
        expect(diff.differences.reduce((total, difference) => total + difference.missingOn.length, 0)).toBe(expectedPairs);
        for (const difference of diff.differences) {
          expect(difference.extraOn).toEqual([]);
          expect(difference.missingOn.length).toBeGreaterThan(0);
          expect([...difference.presentOn, ...difference.missingOn].sort()).toEqual(nodes.map((node) => node.name).sort());
        }
      }),
    );
  });

  it('does not depend on the order the nodes answered in', () => {
    fc.assert(
      fc.property(
        listingsArb.chain((listings) => fc.tuple(fc.constant(listings), fc.shuffledSubarray(listings, { minLength: listings.length, maxLength: listings.length }))),
        presenceArb,
        ([listings, shuffled], presence) => {
          const expected = diffFleet(listings, { presence });
          const actual = diffFleet(shuffled, { presence });
          expect(actual).toEqual(expected);
          expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
          expect(JSON.stringify([...stateMatrix(shuffled)])).toBe(JSON.stringify([...stateMatrix(listings)]));
        },
      ),
    );
  });

  it('is identical exactly when every answering node holds the same set', () => {
    fc.assert(
      fc.property(listingsArb, presenceArb, (listings, presence) => {
        const diff = diffFleet(listings, { presence });
        const sets = answered(listings).map((node) => JSON.stringify([...heldBy(node, presence)].sort()));
        expect(diff.identical).toBe(new Set(sets).size <= 1);
        expect(diff.groups.length).toBe(new Set(sets).size);
      }),
    );
  });

  it('sets failed nodes apart; the matrix gives the state of every image on every node', () => {
    fc.assert(
      fc.property(listingsArb, (listings) => {
        const diff = diffFleet(listings, { presence: 'cached' });
        expect(diff.unknown.sort()).toEqual(listings.filter((node) => !node.cache).map((node) => node.name).sort());
        expect(diff.groups.flatMap((group) => group.nodes).sort()).toEqual(answered(listings).map((node) => node.name).sort());
        const matrix = stateMatrix(listings);
        for (const [id, states] of matrix) {
          for (const node of listings) {
            const expected = !node.cache ? 'unknown' : node.cache.cached.some((image) => image.id === id) ? 'cached' : node.cache.queued.includes(id) ? 'queued' : 'absent';
            expect(states[node.name]).toBe(expected);
          }
        }
        const seen = new Set(answered(listings).flatMap((node) => [...node.cache!.cached.map((image) => image.id), ...node.cache!.queued]));
        expect(new Set(matrix.keys())).toEqual(seen);
      }),
    );
  });

  it('groups a concrete fleet and lists what each image lacks', () => {
    const listings = [
      listing('glance01', { cached: [cachedImage('a'), cachedImage('b')], queued: [] }),
      listing('glance02', { cached: [cachedImage('a'), cachedImage('b')], queued: [] }),
      listing('glance03', { cached: [cachedImage('a')], queued: ['b'] }),
      listing('glance05', { cached: [cachedImage('b'), cachedImage('a')], queued: [] }),
      listing('glance04', null),
    ];
    const diff = diffFleet(listings, { presence: 'cached' });
    expect(diff.groups).toEqual([
      { nodes: ['glance01', 'glance02', 'glance05'], images: 2, missing: 0, extra: 0 },
      { nodes: ['glance03'], images: 1, missing: 1, extra: 0 },
    ]);
    expect(diff.differences).toEqual([{ id: 'b', presentOn: ['glance01', 'glance02', 'glance05'], missingOn: ['glance03'], extraOn: [] }]);
    expect(diff.unknown).toEqual(['glance04']);
    expect(stateMatrix(listings).get('b')).toEqual({ glance01: 'cached', glance02: 'cached', glance03: 'queued', glance04: 'unknown', glance05: 'cached' });
    expect(diffFleet(listings, { presence: 'all' }).identical).toBe(true);
    expect(diffFleet(listings, { presence: 'queued' }).differences).toEqual([{ id: 'b', presentOn: ['glance03'], missingOn: ['glance01', 'glance02', 'glance05'], extraOn: [] }]);
  });
});

describe('diffFleet against a reference', () => {
  const withReference = listingsArb
    .filter((listings) => answered(listings).length > 0)
    .chain((listings) => fc.tuple(fc.constant(listings), fc.constantFrom(...answered(listings).map((node) => node.name))));

  it('reports, for every other node, what it lacks of the reference and what it holds beyond it', () => {
    fc.assert(
      fc.property(withReference, presenceArb, ([listings, reference], presence) => {
        const diff = diffFleet(listings, { presence, reference });
        const ref = heldBy(answered(listings).find((node) => node.name === reference)!, presence);
        for (const node of answered(listings)) {
          const held = heldBy(node, presence);
          const missing = diff.differences.filter((difference) => difference.missingOn.includes(node.name)).map((difference) => difference.id).sort();
          const extra = diff.differences.filter((difference) => difference.extraOn.includes(node.name)).map((difference) => difference.id).sort();
          expect(missing).toEqual(node.name === reference ? [] : [...ref].filter((id) => !held.has(id)).sort());
          expect(extra).toEqual(node.name === reference ? [] : [...held].filter((id) => !ref.has(id)).sort());
        }
        expect(diff.identical).toBe(answered(listings).every((node) => JSON.stringify([...heldBy(node, presence)].sort()) === JSON.stringify([...ref].sort())));
      }),
    );
  });

  it('counts, per group, what its nodes lack of the reference and hold beyond it', () => {
    const listings = [
      listing('glance01', { cached: [cachedImage('a'), cachedImage('b')], queued: [] }),
      listing('glance02', { cached: [cachedImage('a'), cachedImage('c')], queued: [] }),
      listing('glance03', { cached: [cachedImage('a'), cachedImage('c')], queued: [] }),
    ];
    const diff = diffFleet(listings, { presence: 'cached', reference: 'glance01' });
    expect(diff.reference).toBe('glance01');
    expect(diff.groups).toEqual([
      { nodes: ['glance02', 'glance03'], images: 2, missing: 1, extra: 1 },
      { nodes: ['glance01'], images: 2, missing: 0, extra: 0 },
    ]);
    expect(diff.differences).toEqual([
      { id: 'b', presentOn: ['glance01'], missingOn: ['glance02', 'glance03'], extraOn: [] },
      { id: 'c', presentOn: ['glance02', 'glance03'], missingOn: [], extraOn: ['glance02', 'glance03'] },
    ]);
  });

  it('refuses a reference that did not answer', () => {
    expect(() => diffFleet([listing('glance01', null), listing('glance02', { cached: [], queued: [] })], { presence: 'cached', reference: 'glance01' })).toThrow('glance01 did not answer');
  });
});
