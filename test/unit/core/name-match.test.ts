import { describe, expect, it } from 'vitest';
import { editDistance, globMatcher, isGlob, MAX_SUGGESTIONS, suggestNames } from '../../../src/core/name-match.js';

const matches = (pattern: string, names: readonly string[]) => names.filter(globMatcher(pattern));

describe('isGlob', () => {
  it.each([
    ['cirros-*', true],
    ['cirros-0.6.?', true],
    ['img-[0-9]', true],
    ['cirros-0.6.2', false],
    ['ubuntu 24.04 (noble)', false],
    ['a[b', false],
    ['a\\*b', false],
    ['a\\[b]', false],
    ['', false],
  ])('%j is a glob: %s', (pattern, glob) => {
    expect(isGlob(pattern)).toBe(glob);
  });
});

describe('globMatcher', () => {
  const names = ['cirros-0.6.2-0001', 'cirros-0.6.2-0002', 'cirros-0.6.3', 'Cirros-0.6.2', 'ubuntu-24.04', 'ubuntu-22.04', 'a*b', 'a[b', 'a.b', 'a+b', '', 'naïve', 'img-7', 'img-x', 'img--', 'img-]'];

  it('* matches any run of characters, the empty run too', () => {
    expect(matches('cirros-*', names)).toEqual(['cirros-0.6.2-0001', 'cirros-0.6.2-0002', 'cirros-0.6.3']);
    expect(matches('*-0002', names)).toEqual(['cirros-0.6.2-0002']);
    expect(matches('cirros-0.6.3*', names)).toEqual(['cirros-0.6.3']);
    expect(matches('*', names)).toEqual(names);
    expect(matches('**', names)).toEqual(names);
  });

  it('? matches exactly one character, a non-ASCII one too', () => {
    expect(matches('ubuntu-2?.04', names)).toEqual(['ubuntu-24.04', 'ubuntu-22.04']);
    expect(matches('na?ve', names)).toEqual(['naïve']);
    expect(matches('cirros-0.6.?', names)).toEqual(['cirros-0.6.3']);
  });

  it('matches the whole name and is case-sensitive', () => {
    expect(matches('cirros', names)).toEqual([]);
    expect(matches('cirros-0.6.2', names)).toEqual([]);
    expect(matches('Cirros-*', names)).toEqual(['Cirros-0.6.2']);
  });

  it('takes regular-expression characters literally', () => {
    expect(matches('a.b', names)).toEqual(['a.b']);
    expect(matches('a+b', names)).toEqual(['a+b']);
    expect(matches('a?b', names)).toEqual(['a*b', 'a[b', 'a.b', 'a+b']);
  });

  it('has classes, ranges and negated classes', () => {
    expect(matches('img-[0-9]', names)).toEqual(['img-7']);
    expect(matches('img-[!0-9]', names)).toEqual(['img-x', 'img--', 'img-]']);
    expect(matches('img-[^0-9x]', names)).toEqual(['img--', 'img-]']);
    expect(matches('img-[x7]', names)).toEqual(['img-7', 'img-x']);
    expect(matches('ubuntu-2[24].04', names)).toEqual(['ubuntu-24.04', 'ubuntu-22.04']);
  });

  it('takes a - at either end of a class, and a ] first in it, as members', () => {
    expect(matches('img-[-x]', names)).toEqual(['img-x', 'img--']);
    expect(matches('img-[x-]', names)).toEqual(['img-x', 'img--']);
    expect(matches('img-[]]', names)).toEqual(['img-]']);
    expect(matches('img-[!]]', names)).toEqual(['img-7', 'img-x', 'img--']);
  });

  it('takes a [ without its ] and an escaped wildcard literally', () => {
    expect(matches('a[b', names)).toEqual(['a[b']);
    expect(matches('a\\*b', names)).toEqual(['a*b']);
    expect(matches('a\\?b', names)).toEqual([]);
  });

  it('refuses a range that runs backwards', () => {
    expect(() => globMatcher('img-[9-0]')).toThrow("'img-[9-0]' has a character range that runs backwards");
  });
});

describe('suggestNames', () => {
  const cirros = ['cirros-0.6.2-0003', 'cirros-0.6.2-0001', 'cirros-0.6.2-0006', 'cirros-0.6.2-0002', 'cirros-0.6.2-0005', 'cirros-0.6.2-0004'];

  it('offers the names a prefix starts, shortest then in natural order, at most five', () => {
    expect(suggestNames('cirros', [...cirros, 'ubuntu-24.04'])).toEqual(['cirros-0.6.2-0001', 'cirros-0.6.2-0002', 'cirros-0.6.2-0003', 'cirros-0.6.2-0004', 'cirros-0.6.2-0005']);
    expect(MAX_SUGGESTIONS).toBe(5);
    expect(suggestNames('img', ['img-10', 'img-9', 'img-1', 'img-100'])).toEqual(['img-1', 'img-9', 'img-10', 'img-100']);
  });

  it('puts prefix matches before names a few edits away', () => {
    expect(suggestNames('cirros-0.6', ['cirros-0.5', 'cirros-0.6.2', 'cirros-0.6'])).toEqual(['cirros-0.6.2', 'cirros-0.5']);
  });

  it('offers names within a few edits, closest first, also when only their start is close', () => {
    expect(suggestNames('ubuntu-24.40', ['ubuntu-24.04', 'ubuntu-22.04', 'debian-12'])).toEqual(['ubuntu-24.04', 'ubuntu-22.04']);
    expect(suggestNames('cirors', ['cirros-0.6.2', 'centos-9'])).toEqual(['cirros-0.6.2']);
    expect(suggestNames('fedora', ['fedora-40', 'fedro-39', 'debian-12'])).toEqual(['fedora-40', 'fedro-39']);
  });

  it('allows one edit per three characters, and at least one', () => {
    expect(suggestNames('ab', ['ac', 'xy'])).toEqual(['ac']);
    expect(suggestNames('abcdef', ['abxyef', 'axyzef'])).toEqual(['abxyef']);
    expect(suggestNames('windows', ['ubuntu-24.04', 'cirros-0.6.2'])).toEqual([]);
  });

  it('ignores case, and offers each name once', () => {
    expect(suggestNames('CIRROS', ['cirros-0.6.2', 'cirros-0.6.2', 'Cirros-x'])).toEqual(['Cirros-x', 'cirros-0.6.2']);
  });

  it('leaves out the name itself, but not the same name in another case', () => {
    expect(suggestNames('cirros', ['cirros', 'cirros-1'])).toEqual(['cirros-1']);
    expect(suggestNames('CirrOS-0.6.2', ['cirros-0.6.2-0001', 'cirros-0.6.2'])).toEqual(['cirros-0.6.2', 'cirros-0.6.2-0001']);
  });

  it('judges a glob by its literal start, and offers nothing for one that starts with a wildcard', () => {
    expect(suggestNames('cirros-0.7*', ['cirros-0.6.2', 'ubuntu'])).toEqual(['cirros-0.6.2']);
    expect(suggestNames('cirros-*', cirros, 2)).toEqual(['cirros-0.6.2-0001', 'cirros-0.6.2-0002']);
    expect(suggestNames('*cirros', cirros)).toEqual([]);
    expect(suggestNames('', cirros)).toEqual([]);
  });

  it('offers nothing when nothing is known', () => {
    expect(suggestNames('cirros', [])).toEqual([]);
  });
});

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['prefix', 'perfix', 1],
    ['ab', 'ba', 1],
    ['same', 'same', 0],
  ])('%j to %j is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('hostile patterns and catalogs', () => {
  // A seeded walk, so a failure reproduces.
  const random = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = (next: () => number, alphabet: readonly string[], length: number) => Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]!).join('');

  it('matches as the equivalent RegExp does, for any mix of *, ?, classes and literals', () => {
    const next = random(7);
    const toRegExp = (pattern: string) => new RegExp(`^${pattern.replaceAll('*', '.*').replaceAll('?', '.').replaceAll('[!', '[^')}$`, 's');
    for (let round = 0; round < 2000; round++) {
      const pattern = pick(next, ['a', 'b', '*', '?', '[ab]', '[!a]'], Math.floor(next() * 7));
      const name = pick(next, ['a', 'b', 'c'], Math.floor(next() * 8));
      expect(globMatcher(pattern)(name), `${pattern} ~ ${name}`).toBe(toRegExp(pattern).test(name));
    }
  });

  it('answers at once where a backtracking RegExp took minutes: many stars that almost match', () => {
    const stars = `${'*a'.repeat(12)}*b`;
    expect(globMatcher(stars)('a'.repeat(40))).toBe(false);
    expect(globMatcher(stars)(`${'a'.repeat(40)}b`)).toBe(true);
    expect(globMatcher('?*'.repeat(20) + 'b')('a'.repeat(60))).toBe(false);
    expect(globMatcher('*a'.repeat(5000))('a'.repeat(200))).toBe(false);
    // As long as one argument may be (128 KiB): every [ once looked for its ] to the end.
    const brackets = '['.repeat(120_000);
    expect(isGlob(brackets)).toBe(false);
    expect(globMatcher(`${brackets}*`)(brackets)).toBe(true);
  });

  it('takes unclosed classes and a trailing backslash literally', () => {
    expect(matches('[', ['[', 'a'])).toEqual(['[']);
    expect(matches('[!', ['[!', 'a'])).toEqual(['[!']);
    expect(matches('a\\', ['a\\', 'a'])).toEqual(['a\\']);
    expect(matches('*****a', ['a', 'ba', 'ab'])).toEqual(['a', 'ba']);
  });

  it('suggests exactly what an unbounded edit distance would, within the bound', () => {
    const next = random(11);
    const reference = (given: string, known: readonly string[]) => {
      const typed = given.toLowerCase();
      const limit = Math.min(4, Math.max(1, Math.floor(typed.length / 3)));
      return known.filter((name) => name !== given && !name.toLowerCase().startsWith(typed) && Math.min(editDistance(typed, name.toLowerCase()), editDistance(typed, name.toLowerCase().slice(0, typed.length))) <= limit);
    };
    for (let round = 0; round < 300; round++) {
      const known = Array.from({ length: 20 }, () => pick(next, ['a', 'b', 'c', '-'], 3 + Math.floor(next() * 12)));
      const given = pick(next, ['a', 'b', 'c', '-'], 2 + Math.floor(next() * 12));
      const offered = suggestNames(given, known, known.length);
      const near = reference(given, [...new Set(known)]);
      expect(offered.filter((name) => !name.toLowerCase().startsWith(given.toLowerCase())).sort(), `${given} in ${known.join(' ')}`).toEqual(near.sort());
    }
  });

  it('bounds the work: a 10,000-character name and 100,000 long names near it', () => {
    const known = Array.from({ length: 100_000 }, (_, index) => `${'x'.repeat(200)}${index}`);
    expect(suggestNames('q'.repeat(10_000), known)).toEqual([]);
    expect(suggestNames('y'.repeat(240), known)).toEqual([]);
    expect(suggestNames(`${'x'.repeat(199)}q`, known)).toHaveLength(MAX_SUGGESTIONS);
  });

  it('a suggestion is a typo away, not a third of a long name away', () => {
    expect(suggestNames('ubuntu-24.04-server-cloud', ['ubuntu-22.10-servar-clod'])).toEqual([]);
    expect(suggestNames('ubuntu-24.04-server-cloud', ['ubuntu-22.04-server-clod'])).toEqual(['ubuntu-22.04-server-clod']);
  });
});
