import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ImageInfo, NodeListing } from '../../../src/core/model.js';
import { holds } from '../../../src/core/plan.js';
import { planSync, type SyncPlan, type SyncRequest } from '../../../src/core/plan-sync.js';
import { cachedImage, listing } from './listings.js';

const IMAGE_IDS = ['img-a', 'img-b', 'img-c', 'img-d', 'img-e', 'img-f'];
const SIZES: Record<string, number> = { 'img-a': 700, 'img-b': 500, 'img-c': 500, 'img-d': 300, 'img-e': 100, 'img-f': 0 };

const cacheArb = fc.record({
  cached: fc.uniqueArray(fc.constantFrom(...IMAGE_IDS), { maxLength: 4 }).map((ids) => ids.map((id) => cachedImage(id, { size: SIZES[id]! }))),
  queued: fc.uniqueArray(fc.constantFrom(...IMAGE_IDS), { maxLength: 2 }),
});

const listingsArb: fc.Arbitrary<NodeListing[]> = fc
  .uniqueArray(fc.stringMatching(/^g[0-9]{1,2}$/), { minLength: 1, maxLength: 6 })
  .chain((names) => fc.tuple(...names.map((name) => fc.option(cacheArb, { nil: null, freq: 5 }).map((cache) => listing(name, cache)))));

/** What Glance says: most images active, some deactivated, some unknown (orphans); sizes sometimes missing. */
const glanceArb: fc.Arbitrary<Map<string, ImageInfo>> = fc
  .tuple(...IMAGE_IDS.map((id) => fc.option(fc.record({ status: fc.constantFrom('active', 'active', 'active', 'deactivated'), hasSize: fc.boolean() }), { nil: null, freq: 4 }).map((info) => [id, info] as const)))
  .map((entries) => new Map(entries.flatMap(([id, info]) => (info ? [[id, { id, name: id, status: info.status, size: info.hasSize ? SIZES[id]! : null }] as const] : []))));

const requestArb = (listings: NodeListing[]): fc.Arbitrary<SyncRequest> => {
  const answering = listings.filter((node) => node.cache).map((node) => node.name);
  const target = answering.length
    ? fc.oneof(fc.integer({ min: 1, max: 7 }).map((replicas) => ({ kind: 'replicas' as const, replicas })), fc.constantFrom(...answering).map((reference) => ({ kind: 'like' as const, reference })))
    : fc.integer({ min: 1, max: 7 }).map((replicas) => ({ kind: 'replicas' as const, replicas }));
  return fc.record({ target, images: fc.option(fc.uniqueArray(fc.constantFrom(...IMAGE_IDS), { minLength: 1, maxLength: 3 }), { nil: null }), delete: fc.boolean() });
};

const caseArb = fc.tuple(listingsArb, glanceArb).chain(([listings, glance]) => fc.tuple(fc.constant(listings), fc.constant(glance), requestArb(listings)));

const answering = (listings: NodeListing[]) => listings.filter((node) => node.cache);
const heldSet = (node: NodeListing) => new Set([...node.cache!.cached.map((entry) => entry.id), ...node.cache!.queued]);
const queueable = (glance: Map<string, ImageInfo>, image: string) => glance.get(image)?.status === 'active';

function after(listings: NodeListing[], plan: SyncPlan): Map<string, Set<string>> {
  const state = new Map(answering(listings).map((node) => [node.name, heldSet(node)]));
  for (const item of plan.actions) {
    if (item.action === 'queue') state.get(item.node)!.add(item.image!);
    else state.get(item.node)!.delete(item.image!);
  }
  return state;
}

describe('planSync', () => {
  it('is deterministic and independent of the order the nodes answered in', () => {
    fc.assert(
      fc.property(caseArb.chain(([listings, glance, request]) => fc.tuple(fc.constant(listings), fc.shuffledSubarray(listings, { minLength: listings.length, maxLength: listings.length }), fc.constant(glance), fc.constant(request))), ([listings, shuffled, glance, request]) => {
        expect(planSync(shuffled, glance, request)).toEqual(planSync(listings, glance, request));
      }),
    );
  });

  it('only ever queues what a node lacks and Glance can serve, deletes what a node holds, and only with --delete, on answering nodes, within --images', () => {
    fc.assert(
      fc.property(caseArb, ([listings, glance, request]) => {
        const plan = planSync(listings, glance, request);
        const byName = new Map(listings.map((node) => [node.name, node]));
        const keys = plan.actions.map((item) => `${item.node} ${item.image}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (const item of plan.actions) {
          const node = byName.get(item.node)!;
          expect(node.cache).not.toBeNull();
          if (request.images) expect(request.images).toContain(item.image);
          if (request.target.kind === 'like') expect(item.node).not.toBe(request.target.reference);
          if (item.action === 'queue') {
            expect(holds(node, item.image!)).toBe(false);
            expect(queueable(glance, item.image!)).toBe(true);
          } else {
            expect(request.delete).toBe(true);
            expect(holds(node, item.image!)).toBe(true);
          }
        }
      }),
    );
  });

  it('--replicas: afterwards every considered image Glance can serve has at least N copies (exactly N with --delete), and the rest are named unavailable', () => {
    fc.assert(
      fc.property(caseArb.filter(([, , request]) => request.target.kind === 'replicas'), ([listings, glance, request]) => {
        const plan = planSync(listings, glance, request);
        const state = after(listings, plan);
        const wanted = Math.min((request.target as { replicas: number }).replicas, state.size);
        const copiesBefore = (image: string) => answering(listings).filter((node) => heldSet(node).has(image)).length;
        const copiesAfter = (image: string) => [...state.values()].filter((held) => held.has(image)).length;
        const universe = request.images ?? [...new Set(answering(listings).flatMap((node) => [...heldSet(node)]))];
        for (const image of universe) {
          const before = copiesBefore(image);
          const expected = before < wanted ? (queueable(glance, image) ? wanted : before) : request.delete ? wanted : before;
          expect(copiesAfter(image), image).toBe(expected);
        }
        expect([...plan.unavailable].sort()).toEqual(universe.filter((image) => copiesBefore(image) < wanted && !queueable(glance, image)).sort());
      }),
    );
  });

  it('--replicas: each copy goes to a least-loaded node that lacks the image, each deletion leaves a most-loaded holder', () => {
    fc.assert(
      fc.property(caseArb.filter(([, , request]) => request.target.kind === 'replicas'), ([listings, glance, request]) => {
        const plan = planSync(listings, glance, request);
        const sizeOf = (image: string) => glance.get(image)?.size ?? Math.max(0, ...answering(listings).flatMap((node) => node.cache!.cached.filter((entry) => entry.id === image).map((entry) => entry.size)));
        const state = new Map(answering(listings).map((node) => [node.name, heldSet(node)]));
        const load = new Map([...state].map(([name, held]) => [name, [...held].reduce((total, image) => total + sizeOf(image), 0)]));
        // Replay image by image, in plan order: the choice for one image is made on the loads before it.
        const images = [...new Set(plan.actions.map((item) => item.image!))];
        for (const image of images) {
          const mine = plan.actions.filter((item) => item.image === image);
          const chosen = new Set(mine.map((item) => item.node));
          const others = (candidate: (name: string) => boolean) => [...state.keys()].filter((name) => candidate(name) && !chosen.has(name)).map((name) => load.get(name)!);
          for (const item of mine) {
            if (item.action === 'queue') expect(load.get(item.node)!).toBeLessThanOrEqual(Math.min(Infinity, ...others((name) => !state.get(name)!.has(image))));
            else expect(load.get(item.node)!).toBeGreaterThanOrEqual(Math.max(-Infinity, ...others((name) => state.get(name)!.has(image))));
          }
          for (const item of mine) {
            load.set(item.node, load.get(item.node)! + (item.action === 'queue' ? sizeOf(image) : -sizeOf(image)));
            if (item.action === 'queue') state.get(item.node)!.add(image);
            else state.get(item.node)!.delete(image);
          }
        }
      }),
    );
  });

  it('--like: afterwards every other node holds what the reference holds (what Glance can serve), and with --delete nothing else', () => {
    fc.assert(
      fc.property(caseArb.filter(([, , request]) => request.target.kind === 'like'), ([listings, glance, request]) => {
        const plan = planSync(listings, glance, request);
        const state = after(listings, plan);
        const reference = (request.target as { reference: string }).reference;
        const considered = (image: string) => request.images === null || request.images.includes(image);
        const target = [...state.get(reference)!].filter(considered);
        for (const [name, held] of state) {
          if (name === reference) continue;
          const before = heldSet(answering(listings).find((node) => node.name === name)!);
          for (const image of target) expect(held.has(image)).toBe(before.has(image) || queueable(glance, image));
          if (request.delete) expect([...held].filter((image) => considered(image) && !target.includes(image))).toEqual([]);
          else for (const image of before) expect(held.has(image)).toBe(true);
        }
      }),
    );
  });

  it('spreads bytes: the largest image first, each copy to the emptiest node', () => {
    const nodes = [
      listing('g1', { cached: [cachedImage('big', { size: 30 }), cachedImage('mid', { size: 20 }), cachedImage('small', { size: 10 })], queued: [] }),
      listing('g2', { cached: [], queued: [] }),
      listing('g3', { cached: [], queued: [] }),
    ];
    const glance = new Map(['big', 'mid', 'small'].map((id) => [id, { id, name: id, status: 'active', size: null }]));
    const plan = planSync(nodes, glance, { target: { kind: 'replicas', replicas: 2 }, images: null, delete: false });
    expect(plan.actions).toEqual([
      { node: 'g2', image: 'big', action: 'queue' },
      { node: 'g3', image: 'mid', action: 'queue' },
      { node: 'g3', image: 'small', action: 'queue' },
    ]);
  });

  it('with --delete drops copies beyond N from the fullest nodes', () => {
    const nodes = [
      listing('g1', { cached: [cachedImage('a', { size: 10 }), cachedImage('b', { size: 50 })], queued: [] }),
      listing('g2', { cached: [cachedImage('a', { size: 10 })], queued: [] }),
      listing('g3', { cached: [cachedImage('a', { size: 10 })], queued: [] }),
    ];
    const plan = planSync(nodes, new Map(), { target: { kind: 'replicas', replicas: 2 }, images: null, delete: true });
    expect(plan.actions).toEqual([{ node: 'g1', image: 'a', action: 'delete' }]);
  });
});
