/**
 * Image names as operators type them: shell-style globs (`cirros-*`, `ubuntu-2?.04`, `img-[0-9]`) and,
 * when a name matches nothing, the names it most likely meant. Pure: names in, names out.
 */
import { naturalCompare } from './natural.js';

/** Suggestions shown at most: enough to spot the right one, few enough for one line. */
export const MAX_SUGGESTIONS = 5;

/** Edits a suggestion may be away at most (a third of the name, up to this): a typo, not another name. */
const MAX_EDITS = 4;

/** True when the pattern has an unescaped `*`, `?` or a `[...]` class: a glob, not a name. */
export function isGlob(pattern: string): boolean {
  return globParts(pattern).some((part) => part.kind !== 'literal');
}

/**
 * A matcher for a shell-style glob: `*` any run of characters, `?` one character, `[abc]`, `[a-z]` and
 * `[!a-z]` (or `[^a-z]`) one character of (or not of) a class, `\` takes the next character literally.
 * A `[` without its `]` is a literal `[`, as in fnmatch. The whole name must match. Throws on a range
 * that runs backwards (`[z-a]`).
 */
export function globMatcher(pattern: string): (name: string) => boolean {
  const tokens = globParts(pattern).flatMap((part): GlobToken[] => (part.kind === 'literal' ? [...part.text].map((char) => ({ kind: 'literal', char })) : part.kind === 'class' ? [{ kind: 'class', member: classTest(pattern, part.text) }] : [part]));
  return (name) => matchTokens(tokens, [...name]);
}

/**
 * The classic wildcard walk: one `*` remembered, retried one character further on a mismatch. Linear per
 * `*` (O(name × pattern) at worst), where a backtracking RegExp took minutes on `*a*a*a*a*a*a*a*a*a*a*b`.
 */
function matchTokens(tokens: readonly GlobToken[], chars: readonly string[]): boolean {
  let token = 0;
  let char = 0;
  let star = -1;
  let resume = 0;
  while (char < chars.length) {
    const current = tokens[token];
    if (current?.kind === 'any') {
      star = token++;
      resume = char;
    } else if (current && matchesOne(current, chars[char]!)) {
      token++;
      char++;
    } else if (star !== -1) {
      token = star + 1;
      char = ++resume;
    } else return false;
  }
  while (tokens[token]?.kind === 'any') token++;
  return token === tokens.length;
}

function matchesOne(token: Exclude<GlobToken, { kind: 'any' }>, char: string): boolean {
  return token.kind === 'one' || (token.kind === 'literal' ? token.char === char : token.member(char));
}

function classTest(pattern: string, source: string): (char: string) => boolean {
  let expression: RegExp;
  try {
    expression = new RegExp(`^${source}$`, 'u');
  } catch {
    // Only a class can be malformed here: a range running backwards, [z-a].
    throw new Error(`'${pattern}' has a character range that runs backwards`);
  }
  return (char) => expression.test(char);
}

/**
 * The known names closest to one that matched nothing, at most MAX_SUGGESTIONS, each once: first the names
 * it is the start of (shortest, then in natural order), then the names within a few edits of it, or whose
 * start is (closest first). Case is ignored. A glob is judged by its literal start (`cirros-0.7*` by
 * `cirros-0.7`); a glob starting with a wildcard has nothing to compare, so gets no suggestions.
 */
export function suggestNames(given: string, known: Iterable<string>, max = MAX_SUGGESTIONS): string[] {
  const typed = literalStart(given).toLowerCase();
  if (typed === '') return [];
  const limit = Math.min(MAX_EDITS, Math.max(1, Math.floor(typed.length / 3)));
  const prefixed: string[] = [];
  const near: { name: string; distance: number }[] = [];
  for (const name of new Set(known)) {
    // Only the very name typed is no suggestion: the same letters in another case are the likeliest one.
    if (name === given) continue;
    const lower = name.toLowerCase();
    if (lower.startsWith(typed)) {
      prefixed.push(name);
      continue;
    }
    // Each distance is at least the difference in length: a name that much shorter is never near.
    if (lower.length < typed.length - limit) continue;
    const { whole, start } = editDistances(typed, lower, limit);
    const distance = Math.min(whole, start);
    if (distance <= limit) near.push({ name, distance });
  }
  prefixed.sort((a, b) => a.length - b.length || naturalCompare(a, b));
  near.sort((a, b) => a.distance - b.distance || naturalCompare(a.name, b.name));
  return [...prefixed, ...near.map((entry) => entry.name)].slice(0, max);
}

/** Levenshtein distance, counting an adjacent swap ("pdirefx") as one edit. */
export function editDistance(a: string, b: string): number {
  return editDistances(a, b, Math.max(a.length, b.length)).whole;
}

/**
 * a's distance to b and to b's start of a's length, from one table. Only cells within `limit` of the
 * diagonal can hold `limit` or less, so only those are worked out (the rest read limit + 1), and once two
 * rows in a row exceed `limit` no later cell comes back under it: the walk stops. Both answers are exact
 * up to `limit` and limit + 1 beyond; work is a.length × (2 × limit + 1) at most.
 */
function editDistances(a: string, b: string, limit: number): { whole: number; start: number } {
  const over = limit + 1;
  // Three rows reused: a cell left from three rows back is either rewritten before it is read or is the
  // band's left neighbour, reset below; cells right of every band so far still hold `over`.
  let before = Array<number>(b.length + 1).fill(over);
  let above = Array.from({ length: b.length + 1 }, (_, j) => Math.min(j, over));
  let row = Array<number>(b.length + 1).fill(over);
  let aboveLeast = 0;
  for (let i = 1; i <= a.length; i++) {
    const first = Math.max(1, i - limit);
    row[first - 1] = first === 1 ? Math.min(i, over) : over;
    let least = row[first - 1]!;
    for (let j = first; j <= Math.min(b.length, i + limit); j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(above[j]! + 1, row[j - 1]! + 1, above[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, before[j - 2]! + 1);
      row[j] = Math.min(value, over);
      least = Math.min(least, row[j]!);
    }
    if (least > limit && aboveLeast > limit) return { whole: over, start: over };
    [before, above, row] = [above, row, before];
    aboveLeast = least;
  }
  const whole = Math.abs(a.length - b.length) > limit ? over : above[b.length]!;
  return { whole, start: above[Math.min(a.length, b.length)]! };
}

type GlobPart = { kind: 'literal'; text: string } | { kind: 'any' } | { kind: 'one' } | { kind: 'class'; text: string };
type GlobToken = { kind: 'literal'; char: string } | { kind: 'any' } | { kind: 'one' } | { kind: 'class'; member: (char: string) => boolean };

/** The pattern's characters before its first wildcard, escapes resolved. */
function literalStart(pattern: string): string {
  let start = '';
  for (const part of globParts(pattern)) {
    if (part.kind !== 'literal') break;
    start += part.text;
  }
  return start;
}

function globParts(pattern: string): GlobPart[] {
  const parts: GlobPart[] = [];
  const chars = [...pattern];
  const literal = (text: string) => {
    const last = parts.at(-1);
    if (last?.kind === 'literal') last.text += text;
    else parts.push({ kind: 'literal', text });
  };
  // Where the next ] is from each index: a pattern of 100,000 [ without one would otherwise be scanned once per [.
  const closes = Array<number>(chars.length + 1).fill(-1);
  for (let index = chars.length - 1; index >= 0; index--) closes[index] = chars[index] === ']' ? index : closes[index + 1]!;
  for (let index = 0; index < chars.length; index++) {
    const char = chars[index]!;
    if (char === '\\' && index + 1 < chars.length) literal(chars[++index]!);
    else if (char === '*') {
      if (parts.at(-1)?.kind !== 'any') parts.push({ kind: 'any' });
    } else if (char === '?') parts.push({ kind: 'one' });
    else if (char === '[') {
      const closed = classEnd(chars, index, closes);
      if (closed === -1) literal(char);
      else {
        parts.push({ kind: 'class', text: classSource(chars.slice(index + 1, closed)) });
        index = closed;
      }
    } else literal(char);
  }
  return parts;
}

/** Index of the `]` closing the class opened at `open`, or -1; a `]` first in the class is a member. */
function classEnd(chars: readonly string[], open: number, closes: readonly number[]): number {
  let index = open + 1;
  if (chars[index] === '!' || chars[index] === '^') index++;
  if (chars[index] === ']') index++;
  return closes[Math.min(index, chars.length)]!;
}

/** The class as a RegExp class: members escaped, `a-z` ranges kept, `!` or `^` first negates. */
function classSource(members: readonly string[]): string {
  const negated = members[0] === '!' || members[0] === '^';
  const body = (negated ? members.slice(1) : members).map((char, index, all) => (char === '-' && index > 0 && index < all.length - 1 ? '-' : escapeClassChar(char))).join('');
  return `[${negated ? '^' : ''}${body}]`;
}

function escapeClassChar(char: string): string {
  return /[\\\]^[-]/.test(char) ? `\\${char}` : char;
}
