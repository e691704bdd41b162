/**
 * Image names as operators type them: shell-style globs (`cirros-*`, `ubuntu-2?.04`, `img-[0-9]`) and,
 * when a name matches nothing, the names it most likely meant. Pure: names in, names out.
 */
import { naturalCompare } from './natural.js';

/** Suggestions shown at most: enough to spot the right one, few enough for one line. */
export const MAX_SUGGESTIONS = 5;

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
  const source = globParts(pattern).map((part) => (part.kind === 'literal' ? escapeRegExp(part.text) : part.kind === 'any' ? '[^]*' : part.kind === 'one' ? '[^]' : part.text)).join('');
  let expression: RegExp;
  try {
    expression = new RegExp(`^${source}$`, 'u');
  } catch {
    // Only a class can be malformed here: a range running backwards, [z-a].
    throw new Error(`'${pattern}' has a character range that runs backwards`);
  }
  return (name) => expression.test(name);
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
  const limit = Math.max(1, Math.floor(typed.length / 3));
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
    const distance = Math.min(editDistance(typed, lower), editDistance(typed, lower.slice(0, typed.length)));
    if (distance <= limit) near.push({ name, distance });
  }
  prefixed.sort((a, b) => a.length - b.length || naturalCompare(a, b));
  near.sort((a, b) => a.distance - b.distance || naturalCompare(a.name, b.name));
  return [...prefixed, ...near.map((entry) => entry.name)].slice(0, max);
}

/** Levenshtein distance, counting an adjacent swap ("pdirefx") as one edit. */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = value;
    }
  }
  return rows[a.length]![b.length]!;
}

type GlobPart = { kind: 'literal'; text: string } | { kind: 'any' } | { kind: 'one' } | { kind: 'class'; text: string };

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
  for (let index = 0; index < chars.length; index++) {
    const char = chars[index]!;
    if (char === '\\' && index + 1 < chars.length) literal(chars[++index]!);
    else if (char === '*') {
      if (parts.at(-1)?.kind !== 'any') parts.push({ kind: 'any' });
    } else if (char === '?') parts.push({ kind: 'one' });
    else if (char === '[') {
      const closed = classEnd(chars, index);
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
function classEnd(chars: readonly string[], open: number): number {
  let index = open + 1;
  if (chars[index] === '!' || chars[index] === '^') index++;
  if (chars[index] === ']') index++;
  for (; index < chars.length; index++) if (chars[index] === ']') return index;
  return -1;
}

/** The class as a RegExp class: members escaped, `a-z` ranges kept, `!` or `^` first negates. */
function classSource(members: readonly string[]): string {
  const negated = members[0] === '!' || members[0] === '^';
  const body = (negated ? members.slice(1) : members).map((char, index, all) => (char === '-' && index > 0 && index < all.length - 1 ? '-' : escapeClassChar(char))).join('');
  return `[${negated ? '^' : ''}${body}]`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function escapeClassChar(char: string): string {
  return /[\\\]^[-]/.test(char) ? `\\${char}` : char;
}
