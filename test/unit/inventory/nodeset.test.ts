import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expandNodeSet, foldNodeSet, MAX_NODESET_SIZE, naturalCompare, splitTerms } from '../../../src/inventory/nodeset.js';

describe('expandNodeSet', () => {
  it('expands ranges and lists inside brackets, terms separated by commas outside them', () => {
    expect(expandNodeSet('glance[01-03,07].dc1,web5')).toEqual(['glance01.dc1', 'glance02.dc1', 'glance03.dc1', 'glance07.dc1', 'web5']);
  });

  it('keeps the padding of a zero-padded start and adds none otherwise', () => {
    expect(expandNodeSet('c[08-11]')).toEqual(['c08', 'c09', 'c10', 'c11']);
    expect(expandNodeSet('c[8-11]')).toEqual(['c8', 'c9', 'c10', 'c11']);
    expect(expandNodeSet('c[098-101]')).toEqual(['c098', 'c099', 'c100', 'c101']);
  });

  it('takes the cartesian product of several bracket groups, first group outermost', () => {
    expect(expandNodeSet('r[1-2]n[3-4]')).toEqual(['r1n3', 'r1n4', 'r2n3', 'r2n4']);
  });

  it('keeps a bracketed IPv6 address as written: no range holds a colon', () => {
    expect(expandNodeSet('[::1],[fe80::1]:9393,2001:db8::[1-2],web[1-2]')).toEqual(['[::1]', '[fe80::1]:9393', '2001:db8::1', '2001:db8::2', 'web1', 'web2']);
    expect(() => expandNodeSet('c[1:3]')).toThrow('"c[1:3]": "1:3" is not a number or a range like 01-06');
  });

  it('returns plain names unchanged and drops repeats', () => {
    expect(expandNodeSet('web5, web6 ,web5')).toEqual(['web5', 'web6']);
  });

  it.each([
    ['glance[01-03', '"glance[01-03" has a "[" without "]"'],
    ['glance01]', '"glance01]" has a "]" without "["'],
    ['glance[0[1-2]]', '"glance[0[1-2]]" has nested brackets'],
    ['glance[06-02]', '"glance[06-02]": range 06-02 is reversed'],
    ['glance[]', '"glance[]" has empty brackets'],
    ['glance[a-c]', '"glance[a-c]": "a-c" is not a number or a range like 01-06'],
    ['glance[1-2,]', '"glance[1-2,]": "" is not a number or a range like 01-06'],
    ['a,,b', 'empty name in "a,,b"'],
    ['n[0-100000]', `"n[0-100000]": range 0-100000 stands for more than ${MAX_NODESET_SIZE} names`],
    ['r[1-1000]n[1-1000]', `"r[1-1000]n[1-1000]" stands for more than ${MAX_NODESET_SIZE} names`],
  ])('rejects %s', (expression, message) => {
    expect(() => expandNodeSet(expression)).toThrow(message);
  });
});

describe('splitTerms', () => {
  it('splits on commas outside brackets only', () => {
    expect(splitTerms('a[1,2]b, @az1 ,glance*')).toEqual(['a[1,2]b', '@az1', 'glance*']);
  });
});

describe('foldNodeSet', () => {
  it('folds names that differ in one number into a range', () => {
    expect(foldNodeSet(['glance03.dc1', 'glance01.dc1', 'glance02.dc1', 'glance07.dc1', 'web5'])).toBe('glance[01-03,07].dc1,web5');
  });

  it('folds along several numbers when the names form a product', () => {
    expect(foldNodeSet(['r1n3', 'r2n4', 'r1n4', 'r2n3'])).toBe('r[1-2]n[3-4]');
  });

  it('never merges numbers of different padding widths', () => {
    expect(foldNodeSet(['c09', 'c010'])).toBe('c[09,010]');
    expect(expandNodeSet(foldNodeSet(['c09', 'c010'])).sort()).toEqual(['c010', 'c09']);
    expect(foldNodeSet(['c8', 'c9', 'c10'])).toBe('c[8-10]');
    expect(foldNodeSet(['c08', 'c09', 'c10'])).toBe('c[08-10]');
  });

  it('sorts terms naturally and ignores input order and repeats', () => {
    expect(foldNodeSet(['web10', 'web9', 'db1', 'web9'])).toBe('db1,web[9-10]');
  });

  it('folds IPv4 addresses on their last number', () => {
    expect(foldNodeSet(['10.0.0.12', '10.0.0.11', '10.0.0.13'])).toBe('10.0.0.[11-13]');
  });

  it('folds IPv6 addresses into an expression that expands back to them', () => {
    const names = ['fd00::11', 'fd00::12', '::1'];
    expect(foldNodeSet(names)).toBe('::1,fd00::[11-12]');
    expect(expandNodeSet(foldNodeSet(names)).sort()).toEqual([...names].sort());
  });

  it('gives an empty string for no names', () => {
    expect(foldNodeSet([])).toBe('');
  });
});

describe('naturalCompare', () => {
  it('orders numbers by value', () => {
    expect(['web10', 'web9', 'web1'].sort(naturalCompare)).toEqual(['web1', 'web9', 'web10']);
  });
});

const digits = (value: number, width: number): string => String(value).padStart(width, '0');

/** A bracket group like "[08-11,3]": ranges with random padding, small enough to stay fast. */
const bracketGroup = fc
  .array(
    fc.record({ start: fc.nat(120), length: fc.nat(12), width: fc.integer({ min: 0, max: 4 }), single: fc.boolean() }),
    { minLength: 1, maxLength: 3 },
  )
  .map((items) =>
    `[${items.map(({ start, length, width, single }) => (single ? digits(start, width) : `${digits(start, width)}-${start + length}`)).join(',')}]`,
  );

const literal = fc.stringMatching(/^[a-z.-][a-z0-9.-]{0,5}$/);

const term = fc
  .tuple(literal, fc.array(fc.tuple(bracketGroup, fc.option(literal, { nil: '' })), { maxLength: 2 }))
  .map(([head, rest]) => head + rest.map(([group, tail]) => group + tail).join(''));

const expression = fc.array(term, { minLength: 1, maxLength: 3 }).map((terms) => terms.join(','));

/** Node-like names, rich in numbers and padding so that folding has work to do. */
const name = fc.oneof(
  fc.stringMatching(/^[a-c]{1,2}0{0,2}[0-9]{1,2}(\.[a-b][0-9]{0,2})?$/),
  fc.stringMatching(/^[a-z0-9.-]{1,10}$/),
);

describe('node-set properties', () => {
  it('fold(expand(x)) stands for the same names as x', () => {
    fc.assert(
      fc.property(expression, (text) => {
        const names = expandNodeSet(text);
        expect(new Set(expandNodeSet(foldNodeSet(names)))).toEqual(new Set(names));
      }),
    );
  });

  it('expand(fold(names)) is exactly the set of names', () => {
    fc.assert(
      fc.property(fc.array(name, { maxLength: 30 }), (names) => {
        const folded = foldNodeSet(names);
        const expanded = folded === '' ? [] : expandNodeSet(folded);
        expect(expanded).toHaveLength(new Set(names).size);
        expect(new Set(expanded)).toEqual(new Set(names));
      }),
    );
  });

  it('fold depends only on the set of names, not their order', () => {
    fc.assert(
      fc.property(fc.array(name, { maxLength: 20 }).chain((names) => fc.tuple(fc.constant(names), fc.shuffledSubarray(names, { minLength: names.length }))), ([names, shuffled]) => {
        expect(foldNodeSet(shuffled)).toBe(foldNodeSet(names));
      }),
    );
  });
});
