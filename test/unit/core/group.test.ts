import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupIdentical } from '../../../src/core/group.js';

const holdingsArb = fc
  .uniqueArray(fc.stringMatching(/^glance[0-9]{1,2}$/), { maxLength: 9 })
  .chain((nodes) => fc.tuple(...nodes.map((node) => fc.tuple(fc.constant(node), fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 4 })))));

const toMap = (entries: readonly (readonly [string, readonly string[]])[]) => new Map(entries.map(([node, items]) => [node, new Set(items)]));

describe('groupIdentical', () => {
  it('gathers nodes holding the same set, largest group first, members in natural order', () => {
    const groups = groupIdentical(toMap([['glance10', ['b', 'a']], ['glance2', ['a', 'b']], ['glance3', ['a']], ['glance1', ['a', 'b']], ['glance5', []]]));
    expect(groups).toEqual([
      { nodes: ['glance1', 'glance2', 'glance10'], items: ['a', 'b'] },
      { nodes: ['glance3'], items: ['a'] },
      { nodes: ['glance5'], items: [] },
    ]);
  });

  it('keeps sets apart whatever characters their items hold', () => {
    expect(groupIdentical(toMap([['n1', ['a,b']], ['n2', ['a', 'b']], ['n3', ['a"', 'b']]])).map((group) => group.nodes)).toEqual([['n1'], ['n2'], ['n3']]);
  });

  it('gives no groups for no nodes', () => {
    expect(groupIdentical(new Map())).toEqual([]);
  });

  it('does not depend on the order of the nodes or of their items', () => {
    fc.assert(
      fc.property(
        holdingsArb.chain((entries) => fc.tuple(fc.constant(entries), fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }))),
        ([entries, shuffled]) => {
          const reversed = shuffled.map(([node, items]) => [node, [...items].reverse()] as const);
          expect(groupIdentical(toMap(reversed))).toEqual(groupIdentical(toMap(entries)));
        },
      ),
    );
  });

  it('partitions the nodes: same group exactly when same set', () => {
    fc.assert(
      fc.property(holdingsArb, (entries) => {
        const holdings = toMap(entries);
        const groups = groupIdentical(holdings);
        const groupOf = new Map(groups.flatMap((group, index) => group.nodes.map((node) => [node, index])));
        expect(groups.flatMap((group) => group.nodes).sort()).toEqual([...holdings.keys()].sort());
        for (const [a, setA] of holdings) {
          expect(groups[groupOf.get(a)!]!.items).toEqual([...setA].sort());
          for (const [b, setB] of holdings) {
            const same = setA.size === setB.size && [...setA].every((item) => setB.has(item));
            expect(groupOf.get(a) === groupOf.get(b)).toBe(same);
          }
        }
        const sizes = groups.map((group) => group.nodes.length);
        expect(sizes).toEqual([...sizes].sort((x, y) => y - x));
      }),
    );
  });
});
