import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { naturalCompare } from '../../../src/core/natural.js';

describe('naturalCompare', () => {
  it('orders numbers inside names by value', () => {
    expect(['glance10', 'glance2', 'glance1'].sort(naturalCompare)).toEqual(['glance1', 'glance2', 'glance10']);
    expect(['n10.dc2', 'n9.dc2', 'n10.dc1'].sort(naturalCompare)).toEqual(['n9.dc2', 'n10.dc1', 'n10.dc2']);
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
