import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CachedImage, ImageInfo, NodeListing } from '../../../src/core/model.js';
import { leastRecentlyAccessedFirst, limitOf, planPrune, type PrunePlan, type PrunePolicy } from '../../../src/core/plan-prune.js';
import { cachedImage, listing } from './listings.js';

const IDS = ['img-a', 'img-b', 'img-c', 'img-d', 'img-e', 'img-f'];
const NAMES = ['cirros', 'ubuntu', 'debian'];
const NOW_MS = 1_000_100_000 * 1000;
/** Few distinct times, so ties (which upstream settles by size, then name) happen often. */
const timeArb = fc.option(fc.integer({ min: 1_000_000_000, max: 1_000_000_020 }), { nil: null, freq: 4 });

const entryArb = (id: string): fc.Arbitrary<CachedImage> =>
  fc.record({ hits: fc.nat(4), lastAccessed: timeArb, lastModified: timeArb, size: fc.integer({ min: 1, max: 1000 }) }).map((fields) => cachedImage(id, fields));

const nodeArb = (name: string): fc.Arbitrary<NodeListing> =>
  fc
    .record({
      answered: fc.nat(4).map((value) => value > 0),
      ids: fc.subarray(IDS),
      maxSize: fc.option(fc.integer({ min: 0, max: 4000 }), { nil: null }),
      serverSidePrune: fc.boolean(),
    })
    .chain(({ answered, ids, maxSize, serverSidePrune }) =>
      fc.tuple(...ids.map(entryArb)).map((cached) => {
        const node = listing(name, answered ? { cached, queued: [] } : null);
        return { ...node, maxSizeBytes: maxSize, api: node.api && { ...node.api, serverSidePrune } };
      }),
    );

const listingsArb: fc.Arbitrary<NodeListing[]> = fc.uniqueArray(fc.stringMatching(/^g[0-9]{1,2}$/), { minLength: 1, maxLength: 5 }).chain((names) => fc.tuple(...names.map(nodeArb)));

/** What Glance says: active and named, in another state, or nothing at all (deleted). */
const glanceArb: fc.Arbitrary<Map<string, ImageInfo>> = fc
  .tuple(...IDS.map((id) => fc.option(fc.record({ name: fc.option(fc.constantFrom(...NAMES), { nil: null }), status: fc.constantFrom('active', 'active', 'deactivated', 'killed') }), { nil: null }).map((info) => [id, info] as const)))
  .map((entries) => new Map(entries.flatMap(([id, info]) => (info ? [[id, { id, name: info.name, status: info.status, size: null }] as const] : []))));

const policyArb: fc.Arbitrary<PrunePolicy> = fc.record({
  maxSize: fc.option(fc.oneof(fc.record({ bytes: fc.integer({ min: 0, max: 4000 }) }), fc.record({ percent: fc.integer({ min: 0, max: 100 }) })), { nil: null }),
  olderThanMs: fc.option(fc.integer({ min: 0, max: 120_000 }), { nil: null }),
  orphans: fc.boolean(),
  maxReplicas: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
  protect: fc.subarray([...IDS, ...NAMES], { maxLength: 3 }),
  maxDeletes: fc.option(fc.nat(8), { nil: null }),
  serverSide: fc.boolean(),
});

const inputArb = fc.record({ listings: listingsArb, glance: glanceArb, policy: policyArb });

const isProtected = (policy: PrunePolicy, glance: ReadonlyMap<string, ImageInfo>, id: string) => policy.protect.includes(id) || policy.protect.includes(glance.get(id)?.name ?? '\0');
const evictedOn = (plan: PrunePlan, node: string) => new Set(plan.evictions.filter((eviction) => eviction.node === node).map((eviction) => eviction.image));
const answering = (listings: NodeListing[]) => listings.filter((node) => node.cache !== null);

/**
 * glance-cache-pruner as Glance writes it (image_cache/__init__.py prune()): nothing when the cache is
 * under max_size; else, while still over, ask the driver for the least recently accessed entry and
 * delete it. The xattr driver's get_least_recently_accessed sorts (atime, size, path) tuples and takes
 * the first; a file never read has the atime it was written with (last_modified).
 */
function upstreamPrune(entries: readonly CachedImage[], maxSize: number): string[] {
  let current = entries.reduce((total, entry) => total + entry.size, 0);
  if (maxSize > current) return [];
  const remaining = [...entries];
  const pruned: string[] = [];
  while (remaining.length > 0 && current > maxSize) {
    const stats = remaining.map((entry) => [entry.lastAccessed ?? entry.lastModified ?? 0, entry.size, entry.id] as const);
    stats.sort((a, b) => a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
    const [, size, id] = stats[0]!;
    remaining.splice(remaining.findIndex((entry) => entry.id === id), 1);
    current -= size;
    pruned.push(id);
  }
  return pruned;
}

describe('planPrune properties', () => {
  it('never plans more deletions than --max-deletes allows without saying the plan is over the cap', () => {
    fc.assert(
      fc.property(inputArb, ({ listings, glance, policy }) => {
        const plan = planPrune(listings, glance, policy, NOW_MS);
        const deletes = plan.actions.filter((action) => action.action === 'delete').length;
        expect(plan.deletions).toBe(deletes);
        expect(plan.evictions).toHaveLength(deletes);
        if (!plan.overMaxDeletes && policy.maxDeletes !== null) expect(deletes).toBeLessThanOrEqual(policy.maxDeletes);
        expect(plan.overMaxDeletes).toBe(policy.maxDeletes !== null && deletes > policy.maxDeletes);
      }),
    );
  });

  it('never evicts a protected image, by ID or by its name in Glance, whatever the policies', () => {
    fc.assert(
      fc.property(inputArb, ({ listings, glance, policy }) => {
        const plan = planPrune(listings, glance, policy, NOW_MS);
        for (const eviction of plan.evictions) expect(isProtected(policy, glance, eviction.image)).toBe(false);
        // A node that lets its own pruner run must hold nothing that pruner could take from the protected list.
        for (const node of plan.nodes.filter((candidate) => candidate.serverSide)) {
          const cached = listings.find((candidate) => candidate.name === node.node)!.cache!.cached;
          expect(cached.some((entry) => isProtected(policy, glance, entry.id))).toBe(false);
        }
      }),
    );
  });

  it('leaves every client-side node within its limit whenever its protected images alone fit, and evicts no more than it must for it', () => {
    fc.assert(
      fc.property(inputArb, ({ listings, glance, policy }) => {
        const plan = planPrune(listings, glance, policy, NOW_MS);
        for (const node of answering(listings)) {
          const planned = plan.nodes.find((candidate) => candidate.node === node.name)!;
          const evicted = evictedOn(plan, node.name);
          const kept = node.cache!.cached.filter((entry) => !evicted.has(entry.id)).reduce((total, entry) => total + entry.size, 0);
          expect(planned.keptBytes).toBe(kept);
          if (planned.serverSide) {
            expect(planned.limit).toBeNull();
            continue;
          }
          expect(planned.limit).toBe(limitOf(policy.maxSize, node.maxSizeBytes));
          if (planned.limit === null) continue;
          if (planned.protectedBytes <= planned.limit) expect(kept).toBeLessThanOrEqual(planned.limit);
          const onNode = plan.evictions.filter((eviction) => eviction.node === node.name);
          const bySize = onNode.filter((eviction) => eviction.reasons.includes('max-size'));
          // --max-replicas comes after the size limit: without its evictions, sparing the last copy the
          // size policy chose would have left the node over its limit.
          const beforeReplicas = kept + onNode.filter((eviction) => eviction.reasons.includes('max-replicas')).reduce((total, eviction) => total + eviction.size, 0);
          if (bySize.length > 0) expect(beforeReplicas + bySize.at(-1)!.size).toBeGreaterThan(planned.limit);
        }
      }),
    );
  });

  it('gives the same plan for the same input, whatever order the nodes answered in', () => {
    fc.assert(
      fc.property(inputArb, fc.integer(), ({ listings, glance, policy }, seed) => {
        const first = planPrune(listings, glance, policy, NOW_MS);
        expect(planPrune(listings, glance, policy, NOW_MS)).toEqual(first);
        const shuffled = [...listings].sort((a, b) => ((a.name.charCodeAt(1) * seed) % 7) - ((b.name.charCodeAt(1) * seed) % 7));
        expect(planPrune(shuffled, glance, policy, NOW_MS)).toEqual(first);
      }),
    );
  });

  it('with the size policy alone, evicts exactly what glance-cache-pruner would, in its order', () => {
    fc.assert(
      fc.property(listingsArb, fc.integer({ min: 0, max: 4000 }), (listings, bytes) => {
        const policy: PrunePolicy = { maxSize: { bytes }, olderThanMs: null, orphans: false, maxReplicas: null, protect: [], maxDeletes: null, serverSide: false };
        const plan = planPrune(listings, new Map(), policy, NOW_MS);
        for (const node of answering(listings)) {
          const ours = plan.evictions.filter((eviction) => eviction.node === node.name).map((eviction) => eviction.image);
          expect(ours).toEqual(upstreamPrune(node.cache!.cached, bytes));
        }
      }),
    );
  });

  it('evicts every unprotected copy that is an orphan or not read since the cutoff, and says why', () => {
    fc.assert(
      fc.property(inputArb, ({ listings, glance, policy }) => {
        const plan = planPrune(listings, glance, policy, NOW_MS);
        const cutoff = policy.olderThanMs === null ? null : (NOW_MS - policy.olderThanMs) / 1000;
        for (const node of answering(listings)) {
          for (const entry of node.cache!.cached) {
            const eviction = plan.evictions.find((candidate) => candidate.node === node.name && candidate.image === entry.id);
            if (isProtected(policy, glance, entry.id)) {
              expect(eviction).toBeUndefined();
              continue;
            }
            const orphan = policy.orphans && glance.get(entry.id)?.status !== 'active';
            const accessed = entry.lastAccessed ?? entry.lastModified;
            const old = cutoff !== null && accessed !== null && accessed < cutoff;
            expect(eviction?.reasons.includes('orphan') ?? false).toBe(orphan);
            expect(eviction?.reasons.includes('older-than') ?? false).toBe(old);
            if (eviction) expect(eviction.reasons.length).toBeGreaterThan(0);
          }
        }
      }),
    );
  });

  it('keeps at most N copies of each unprotected image, the most used ones', () => {
    fc.assert(
      fc.property(inputArb, fc.integer({ min: 1, max: 3 }), ({ listings, glance, policy }, replicas) => {
        const withReplicas = { ...policy, maxReplicas: replicas, maxSize: { bytes: Number.MAX_SAFE_INTEGER }, serverSide: false };
        const plan = planPrune(listings, glance, withReplicas, NOW_MS);
        for (const id of IDS) {
          if (isProtected(policy, glance, id)) continue;
          const copies = answering(listings).flatMap((node) => node.cache!.cached.filter((entry) => entry.id === id).map((entry) => ({ node: node.name, entry })));
          const survivors = copies.filter(({ node }) => !evictedOn(plan, node).has(id));
          expect(survivors.length).toBeLessThanOrEqual(replicas);
          const byReplicas = copies.filter(({ node }) => plan.evictions.some((eviction) => eviction.node === node && eviction.image === id && eviction.reasons.includes('max-replicas')));
          // No copy evicted for replicas was used more than a copy kept.
          for (const gone of byReplicas) {
            for (const kept of survivors) {
              expect(gone.entry.hits <= kept.entry.hits).toBe(true);
              if (gone.entry.hits === kept.entry.hits) expect((gone.entry.lastAccessed ?? -Infinity) <= (kept.entry.lastAccessed ?? -Infinity)).toBe(true);
            }
          }
        }
      }),
    );
  });

  it('plans only for nodes that answered, each node once, deletions least recently accessed first and a server-side prune last', () => {
    fc.assert(
      fc.property(inputArb, ({ listings, glance, policy }) => {
        const plan = planPrune(listings, glance, policy, NOW_MS);
        const names = answering(listings).map((node) => node.name);
        expect(plan.nodes.map((node) => node.node).sort()).toEqual([...names].sort());
        for (const action of plan.actions) expect(names).toContain(action.node);
        for (const node of answering(listings)) {
          const actions = plan.actions.filter((action) => action.node === node.name);
          const prunes = actions.filter((action) => action.action === 'prune');
          const serverSide = policy.serverSide && Boolean(node.api?.serverSidePrune) && !node.cache!.cached.some((entry) => isProtected(policy, glance, entry.id));
          expect(prunes).toHaveLength(serverSide ? 1 : 0);
          if (serverSide) expect(actions.at(-1)).toEqual({ node: node.name, image: null, action: 'prune' });
          const entries = actions.filter((action) => action.action === 'delete').map((action) => node.cache!.cached.find((entry) => entry.id === action.image)!);
          expect(entries).toEqual([...entries].sort(leastRecentlyAccessedFirst));
        }
      }),
    );
  });
});

describe('planPrune examples', () => {
  const node = (name: string, cached: CachedImage[], maxSizeBytes: number | null = null, serverSidePrune = false): NodeListing => {
    const base = listing(name, { cached, queued: [] });
    return { ...base, maxSizeBytes, api: { ...base.api!, serverSidePrune } };
  };
  const policy = (changes: Partial<PrunePolicy> = {}): PrunePolicy => ({ maxSize: null, olderThanMs: null, orphans: false, maxReplicas: null, protect: [], maxDeletes: null, serverSide: false, ...changes });
  const glance = new Map<string, ImageInfo>([
    ['img-a', { id: 'img-a', name: 'cirros', status: 'active', size: 100 }],
    ['img-b', { id: 'img-b', name: 'ubuntu', status: 'active', size: 100 }],
    ['img-c', { id: 'img-c', name: 'old', status: 'deactivated', size: 100 }],
  ]);

  it("prunes to the inventory's max_size by default, a never-read copy ranked by when it was cached", () => {
    const listings = [
      node('g1', [
        cachedImage('img-a', { size: 400, lastAccessed: 300, lastModified: 100 }),
        cachedImage('img-b', { size: 400, lastAccessed: null, lastModified: 200 }),
        cachedImage('img-c', { size: 400, lastAccessed: 250, lastModified: 50 }),
      ], 800),
      node('g2', [cachedImage('img-a', { size: 400 })]),
    ];
    const plan = planPrune(listings, glance, policy(), NOW_MS);
    expect(plan.evictions.map((eviction) => [eviction.node, eviction.image, eviction.reasons])).toEqual([['g1', 'img-b', ['max-size']]]);
    expect(plan.nodes.map((entry) => [entry.node, entry.limit, entry.keptBytes])).toEqual([['g1', 800, 800], ['g2', null, 400]]);
  });

  it('takes a percentage of each node’s max_size, and leaves a node without one alone', () => {
    const listings = [node('g1', [cachedImage('img-a', { size: 600 })], 1000), node('g2', [cachedImage('img-a', { size: 600 })])];
    const plan = planPrune(listings, glance, policy({ maxSize: { percent: 50 } }), NOW_MS);
    expect(plan.actions).toEqual([{ node: 'g1', image: 'img-a', action: 'delete' }]);
    expect(plan.nodes.map((entry) => entry.limit)).toEqual([500, null]);
  });

  it('combines reasons, and lets the size policy count what other policies freed', () => {
    const listings = [node('g1', [cachedImage('img-c', { size: 500, lastAccessed: 10 }), cachedImage('img-a', { size: 500, lastAccessed: 20 }), cachedImage('img-b', { size: 500, lastAccessed: 30 })], 1000)];
    const plan = planPrune(listings, glance, policy({ orphans: true, olderThanMs: (NOW_MS / 1000 - 15) * 1000 }), NOW_MS);
    expect(plan.evictions.map((eviction) => [eviction.image, eviction.reasons])).toEqual([['img-c', ['orphan', 'older-than']]]);
  });

  it('protects by name and by ID, even from --orphans, and keeps such a node from pruning itself', () => {
    const listings = [node('g1', [cachedImage('img-c', { size: 500 }), cachedImage('img-a', { size: 500 }), cachedImage('img-z', { size: 500 })], 0, true)];
    const plan = planPrune(listings, glance, policy({ orphans: true, protect: ['old', 'img-z'], serverSide: true }), NOW_MS);
    expect(plan.evictions.map((eviction) => eviction.image)).toEqual(['img-a']);
    expect(plan.keptClientSide).toEqual(['g1']);
    expect(plan.nodes[0]).toMatchObject({ serverSide: false, limit: 0, protectedBytes: 1000, keptBytes: 1000 });
  });

  it('protects an image whose ID is given in another case, as UUIDs compare (--keep and protect: alike)', () => {
    const id = '7fe8a1c2-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
    const named = 'a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d';
    const upper = new Map<string, ImageInfo>([[named.toUpperCase(), { id: named.toUpperCase(), name: 'golden', status: 'active', size: 100 }]]);
    const listings = [node('g1', [cachedImage(id, { size: 500 }), cachedImage(named, { size: 500 }), cachedImage('img-a', { size: 500 })], 0)];
    const plan = planPrune(listings, upper, policy({ protect: [id.toUpperCase(), 'golden'] }), NOW_MS);
    expect(plan.evictions.map((eviction) => eviction.image)).toEqual(['img-a']);
    expect(plan.nodes[0]).toMatchObject({ protectedBytes: 1000, keptBytes: 1000 });
    // Names stay exact: "GOLDEN" is not "golden".
    expect(planPrune(listings, upper, policy({ protect: ['GOLDEN'] }), NOW_MS).evictions.map((eviction) => eviction.image).sort()).toEqual([id, named, 'img-a'].sort());
  });

  it('replaces the size policy with one server-side prune on nodes that offer it, after their other deletions', () => {
    const listings = [node('g1', [cachedImage('img-c', { size: 500 })], 100, true), node('g2', [cachedImage('img-b', { size: 500 })], 100, false)];
    const plan = planPrune(listings, glance, policy({ orphans: true, serverSide: true }), NOW_MS);
    expect(plan.actions).toEqual([
      { node: 'g1', image: 'img-c', action: 'delete' },
      { node: 'g1', image: null, action: 'prune' },
      { node: 'g2', image: 'img-b', action: 'delete' },
    ]);
    expect(plan.deletions).toBe(2);
  });

  it('keeps the copies read most, then most recently, then on the first node by name', () => {
    const listings = [
      node('g10', [cachedImage('img-a', { hits: 5, lastAccessed: 100 })]),
      node('g2', [cachedImage('img-a', { hits: 5, lastAccessed: 100 })]),
      node('g3', [cachedImage('img-a', { hits: 5, lastAccessed: 200 })]),
      node('g4', [cachedImage('img-a', { hits: 9, lastAccessed: 1 })]),
    ];
    const plan = planPrune(listings, glance, policy({ maxReplicas: 3 }), NOW_MS);
    expect(plan.evictions.map((eviction) => [eviction.node, eviction.reasons])).toEqual([['g10', ['max-replicas']]]);
  });

  it('flags a plan over --max-deletes and still returns all of it, to be shown', () => {
    const listings = [node('g1', [cachedImage('img-a'), cachedImage('img-b')], 0)];
    const plan = planPrune(listings, glance, policy({ maxDeletes: 1 }), NOW_MS);
    expect(plan).toMatchObject({ deletions: 2, overMaxDeletes: true });
    expect(plan.actions).toHaveLength(2);
  });
});
