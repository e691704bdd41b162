import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { naturalCompare } from '../../../src/core/natural.js';

describe('naturalCompare', () => {
  it('orders numbers inside names by value', () => {
    expect(['glance10', 'glance2', 'glance1'].sort(naturalCompare)).toEqual(['glance1', 'glance2', 'glance10']);
    expect(['n10.dc2', 'n9.dc2', 'n10.dc1'].sort(naturalCompare)).toEqual(['n9.dc2', 'n10.dc1', 'n10.dc2']);
  });

  it('compares letters without case, numbers of any length by value, and breaks ties by spelling', () => {
    expect(['b', 'A', 'a', 'B'].sort(naturalCompare)).toEqual(['A', 'a', 'B', 'b']);
    expect(['x99999999999999999999', 'x100000000000000000000', 'x7'].sort(naturalCompare)).toEqual(['x7', 'x99999999999999999999', 'x100000000000000000000']);
    expect(['n1', 'n01', 'n001', 'n0'].sort(naturalCompare)).toEqual(['n0', 'n001', 'n01', 'n1']);
    expect(['glance1', 'glance', 'glance-1', 'glance1a'].sort(naturalCompare)).toEqual(['glance', 'glance-1', 'glance1', 'glance1a']);
  });

  it('is transitive, so any sort of the same names gives one order', () => {
    const name = fc.stringMatching(/^[a-cA-C0-2.-]{0,5}$/);
    fc.assert(
      fc.property(name, name, name, (a, b, c) => {
        if (naturalCompare(a, b) <= 0 && naturalCompare(b, c) <= 0) expect(naturalCompare(a, c)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('is a total order: zero only for equal strings, and antisymmetric', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const forward = Math.sign(naturalCompare(a, b));
        expect(forward === 0).toBe(a === b);
        expect(Math.sign(naturalCompare(b, a))).toBe(-forward || 0);
      }),
    );
  });

  it('sorts the same whatever the input order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.stringMatching(/^[a-zA-Z]{0,2}[0-9]{0,3}$/)), (names) => {
        expect([...names].reverse().sort(naturalCompare)).toEqual([...names].sort(naturalCompare));
      }),
    );
  });
});
