import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IMAGE_MEMORY_MS, rememberSeen, stillRemembered, type RememberedImage } from '../../../src/complete/remembered.js';

const NOW = 1_800_000_000_000;
const id = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
const name = fc.option(fc.constantFrom('cirros', 'ubuntu', 'my image'), { nil: null });
const remembered = fc.record({ id, name, seen_ms: fc.integer({ min: NOW - 2 * IMAGE_MEMORY_MS, max: NOW }) });
const seen = fc.record({ id, name });

describe('rememberSeen', () => {
  it('keeps every image just seen, stamped now, and drops what was last seen a TTL ago', () => {
    fc.assert(
      fc.property(fc.array(remembered), fc.array(seen), (previous, listed) => {
        const result = rememberSeen(previous, listed, NOW);
        const ids = result.map((image) => image.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const image of listed) expect(result.find((entry) => entry.id === image.id)?.seen_ms).toBe(NOW);
        for (const image of result) expect(NOW - image.seen_ms).toBeLessThan(IMAGE_MEMORY_MS);
        for (const image of previous) {
          const kept = result.some((entry) => entry.id === image.id);
          const fresh = previous.some((other) => other.id === image.id && NOW - other.seen_ms < IMAGE_MEMORY_MS);
          expect(kept).toBe(fresh || listed.some((entry) => entry.id === image.id));
        }
      }),
    );
  });

  it('does not change when the same listing is remembered twice', () => {
    fc.assert(
      fc.property(fc.array(remembered), fc.array(seen), (previous, listed) => {
        const once = rememberSeen(previous, listed, NOW);
        expect(rememberSeen(once, listed, NOW)).toEqual(once);
      }),
    );
  });

  it('keeps a name learnt earlier when the new listing could not look names up', () => {
    const previous: RememberedImage[] = [{ id: 'a', name: 'cirros', seen_ms: NOW - 1000 }];
    expect(rememberSeen(previous, [{ id: 'a', name: null }], NOW)).toEqual([{ id: 'a', name: 'cirros', seen_ms: NOW }]);
  });
});

describe('stillRemembered', () => {
  it('skips malformed and expired entries', () => {
    const entries = [
      { id: 'a', name: 'ok', seen_ms: NOW - 1 },
      { id: 'b', name: null, seen_ms: NOW - IMAGE_MEMORY_MS },
      { id: 3, name: 'bad id', seen_ms: NOW },
      { id: 'c', name: 7, seen_ms: NOW },
      { id: 'd', name: 'no time' },
      null,
      'text',
    ];
    expect(stillRemembered(entries, NOW)).toEqual([{ id: 'a', name: 'ok', seen_ms: NOW - 1 }]);
    expect(stillRemembered({ not: 'an array' }, NOW)).toEqual([]);
  });
});
