import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClearTarget, NodeListing } from '../../../src/core/model.js';
import { countPlan, holds, planClear, planPurge, planQueue, type Plan } from '../../../src/core/plan.js';
import { cachedImage, listing } from './listings.js';

const IMAGE_IDS = ['img-a', 'img-b', 'img-c', 'img-d', 'img-e'];

const cacheArb = fc.record({
  cached: fc.uniqueArray(fc.constantFrom(...IMAGE_IDS), { maxLength: IMAGE_IDS.length }).map((ids) => ids.map((id) => cachedImage(id))),
  queued: fc.uniqueArray(fc.constantFrom(...IMAGE_IDS), { maxLength: 2 }),
});

/** Distinct node names; some nodes did not answer (no cache). */
const listingsArb: fc.Arbitrary<NodeListing[]> = fc
  .uniqueArray(fc.stringMatching(/^n[0-9]{1,2}$/), { maxLength: 6 })
  .chain((names) => fc.tuple(...names.map((name) => fc.option(cacheArb, { nil: null, freq: 4 }).map((cache) => listing(name, cache)))));

const imagesArb = fc.array(fc.constantFrom(...IMAGE_IDS, 'img-unknown'), { minLength: 1, maxLength: 4 });

const pairs = (plan: Plan) => [...plan.actions, ...plan.already].map((item) => `${item.node} ${item.image}`);

describe.each([
  ['planQueue', planQueue, 'queue', (node: NodeListing, image: string) => !holds(node, image)],
  ['planPurge', planPurge, 'delete', holds],
] as const)('%s', (_name, plan, action, needed) => {
  it('covers every answering node x distinct image exactly once, split into what to send and what is already so', () => {
    fc.assert(
      fc.property(listingsArb, imagesArb, (listings, images) => {
        const result = plan(listings, images);
        const expected = listings.filter((node) => node.cache).flatMap((node) => [...new Set(images)].map((image) => `${node.name} ${image}`));
        expect(pairs(result).sort()).toEqual(expected.sort());
        expect([...result.actions, ...result.already].every((item) => item.action === action)).toBe(true);
      }),
    );
  });

  it('sends only where the node is not yet in the wanted state, and never to a node that did not answer', () => {
    fc.assert(
      fc.property(listingsArb, imagesArb, (listings, images) => {
        const result = plan(listings, images);
        const byName = new Map(listings.map((node) => [node.name, node]));
        for (const item of result.actions) expect(needed(byName.get(item.node)!, item.image!)).toBe(true);
        for (const item of result.already) expect(needed(byName.get(item.node)!, item.image!)).toBe(false);
        expect(result.actions.every((item) => byName.get(item.node)!.cache !== null)).toBe(true);
      }),
    );
  });

  it('plans nothing more once its plan has taken effect (a re-run only does what is left)', () => {
    fc.assert(
      fc.property(listingsArb, imagesArb, (listings, images) => {
        const after = listings.map((node) => applied(node, plan(listings, images)));
        expect(plan(after, images).actions).toEqual([]);
      }),
    );
  });
});

describe('planQueue and planPurge', () => {
  it('treat a queued image as held: queueing it again changes nothing, purging it dequeues it', () => {
    const nodes = [listing('g1', { cached: [], queued: ['img-a'] }), listing('g2', { cached: [cachedImage('img-a')], queued: [] }), listing('g3', { cached: [], queued: [] })];
    expect(planQueue(nodes, ['img-a']).actions).toEqual([{ node: 'g3', image: 'img-a', action: 'queue' }]);
    expect(planPurge(nodes, ['img-a']).actions.map((item) => item.node)).toEqual(['g1', 'g2']);
  });
});

describe('planClear', () => {
  const nodes = [
    listing('g1', { cached: [cachedImage('img-a')], queued: [] }),
    listing('g2', { cached: [], queued: ['img-b'] }),
    listing('g3', { cached: [], queued: [] }),
    listing('g4', null),
  ];
  it.each<[ClearTarget, string[], string]>([
    ['cache', ['g1'], 'clear-cache'],
    ['queue', ['g2'], 'clear-queue'],
    ['both', ['g1', 'g2'], 'clear-all'],
  ])('%s: one action per answering node with something to clear, the other answering nodes already empty', (target, sent, action) => {
    const plan = planClear(nodes, target);
    expect(plan.actions).toEqual(sent.map((node) => ({ node, image: null, action })));
    expect(plan.already.map((item) => item.node)).toEqual(['g1', 'g2', 'g3'].filter((node) => !sent.includes(node)));
  });
});

describe('countPlan', () => {
  it('counts distinct nodes and images and actions per kind', () => {
    const counts = countPlan([
      { node: 'g1', image: 'a', action: 'delete' },
      { node: 'g2', image: 'a', action: 'delete' },
      { node: 'g2', image: 'b', action: 'queue' },
      { node: 'g3', image: null, action: 'clear-cache' },
    ]);
    expect(counts.nodes).toBe(3);
    expect(counts.images).toBe(2);
    expect(Object.fromEntries(counts.byAction)).toEqual({ delete: 2, queue: 1, 'clear-cache': 1 });
  });
});

/** The node's state once the plan's actions on it took effect. */
function applied(node: NodeListing, plan: Plan): NodeListing {
  if (!node.cache) return node;
  const mine = plan.actions.filter((item) => item.node === node.name);
  const queued = [...node.cache.queued, ...mine.filter((item) => item.action === 'queue').map((item) => item.image!)];
  const deleted = new Set(mine.filter((item) => item.action === 'delete').map((item) => item.image));
  return { ...node, cache: { cached: node.cache.cached.filter((entry) => !deleted.has(entry.id)), queued: queued.filter((id) => !deleted.has(id)) } };
}
