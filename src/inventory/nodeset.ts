/**
 * ClusterShell-style node sets: "glance[01-03,07].dc1,web5" <-> the names it stands for.
 * Pure; malformed expressions throw NodeSetError with a reason the caller places (file:line or flag).
 */
import { isIPv6 } from 'node:net';

/** Guards against "[0-99999999]" eating the machine: no fleet has this many nodes. */
export const MAX_NODESET_SIZE = 100_000;

export class NodeSetError extends Error {}

/** Splits on commas that are not inside brackets: "a[1,2],b" -> ["a[1,2]", "b"]. Terms are trimmed. */
export function splitTerms(expression: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < expression.length; i++) {
    const char = expression[i];
    if (char === '[') depth++;
    else if (char === ']') depth = Math.max(0, depth - 1);
    else if (char === ',' && depth === 0) {
      terms.push(expression.slice(start, i).trim());
      start = i + 1;
    }
  }
  terms.push(expression.slice(start).trim());
  return terms;
}

/** Every name of a node-set expression, in the order written, without duplicates. */
export function expandNodeSet(expression: string): string[] {
  const names = new Set<string>();
  for (const term of splitTerms(expression)) {
    if (term === '') throw new NodeSetError(`empty name in "${expression}"`);
    for (const name of expandTerm(term)) {
      names.add(name);
      if (names.size > MAX_NODESET_SIZE) {
        throw new NodeSetError(`"${expression}" stands for more than ${MAX_NODESET_SIZE} names`);
      }
    }
  }
  return [...names];
}

/** One term's names: the cartesian product of its bracket groups, first group outermost. */
function expandTerm(term: string): string[] {
  let names = [''];
  for (const part of bracketParts(term)) {
    const choices = typeof part === 'string' ? [part] : expandRangeList(part.ranges, term);
    if (names.length * choices.length > MAX_NODESET_SIZE) {
      throw new NodeSetError(`"${term}" stands for more than ${MAX_NODESET_SIZE} names`);
    }
    names = names.flatMap((prefix) => choices.map((choice) => prefix + choice));
  }
  return names;
}

/** "a[1-2]b" -> ["a", {ranges: "1-2"}, "b"], "[::1]" -> ["[::1]"]; rejects nested, unbalanced and empty brackets. */
function bracketParts(term: string): (string | { ranges: string })[] {
  const parts: (string | { ranges: string })[] = [];
  let rest = term;
  while (rest !== '') {
    const open = rest.indexOf('[');
    const close = rest.indexOf(']');
    if (open === -1) {
      if (close !== -1) throw new NodeSetError(`"${term}" has a "]" without "["`);
      parts.push(rest);
      break;
    }
    if (close !== -1 && close < open) throw new NodeSetError(`"${term}" has a "]" without "["`);
    if (close === -1) throw new NodeSetError(`"${term}" has a "[" without "]"`);
    const inside = rest.slice(open + 1, close);
    if (inside.includes('[')) throw new NodeSetError(`"${term}" has nested brackets`);
    if (inside.trim() === '') throw new NodeSetError(`"${term}" has empty brackets`);
    if (open > 0) parts.push(rest.slice(0, open));
    // "[fe80::1]:9393" is an address, as in a URL: no range holds a colon.
    parts.push(isIPv6(inside) ? `[${inside}]` : { ranges: inside });
    rest = rest.slice(close + 1);
  }
  return parts;
}

/** "08-11,15" -> ["08","09","10","11","15"]: a range is padded to its start's width when that starts with 0. */
function expandRangeList(ranges: string, term: string): string[] {
  const out: string[] = [];
  for (const item of ranges.split(',')) {
    const match = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(item);
    if (!match) throw new NodeSetError(`"${term}": "${item.trim()}" is not a number or a range like 01-06`);
    const first = match[1]!;
    const start = BigInt(first);
    const end = match[2] === undefined ? start : BigInt(match[2]);
    if (end < start) throw new NodeSetError(`"${term}": range ${first}-${match[2]} is reversed`);
    if (end - start >= BigInt(MAX_NODESET_SIZE)) {
      throw new NodeSetError(`"${term}": range ${first}-${match[2]} stands for more than ${MAX_NODESET_SIZE} names`);
    }
    const width = padWidth(first);
    for (let value = start; value <= end; value++) out.push(formatNumber(value, width));
  }
  return out;
}

function padWidth(digits: string): number {
  return digits.length > 1 && digits.startsWith('0') ? digits.length : 0;
}

function formatNumber(value: bigint, width: number): string {
  return value.toString().padStart(width, '0');
}

/**
 * The shortest-looking expression for a set of names: names that differ only in their numbers fold into
 * ranges ("glance01.dc1","glance02.dc1" -> "glance[01-02].dc1"). Padding is kept exact: c09 and c010 never
 * merge. Depends only on the set of names, not their order; terms come out in natural order.
 */
export function foldNodeSet(names: readonly string[]): string {
  const byShape = new Map<string, { literals: string[]; numbers: Set<string>[][] }>();
  for (const name of new Set(names)) {
    const { literals, numbers } = splitNumbers(name);
    const shape = literals.join('\0');
    const entry = byShape.get(shape) ?? { literals, numbers: [] };
    entry.numbers.push(numbers.map((digits) => new Set([digits])));
    byShape.set(shape, entry);
  }
  const terms: { text: string; firstName: string }[] = [];
  for (const { literals, numbers } of byShape.values()) {
    for (const vector of foldVectors(numbers)) {
      const join = (render: (set: Set<string>) => string): string =>
        literals.map((literal, i) => (i < vector.length ? literal + render(vector[i]!) : literal)).join('');
      terms.push({ text: join(formatRangeSet), firstName: join((set) => sortDigits(set)[0]!) });
    }
  }
  return terms
    .sort((a, b) => naturalCompare(a.firstName, b.firstName))
    .map((term) => term.text)
    .join(',');
}

/** "glance01.dc1" -> literals ["glance", ".dc", ""], numbers ["01", "1"]. */
function splitNumbers(name: string): { literals: string[]; numbers: string[] } {
  const literals: string[] = [];
  const numbers: string[] = [];
  let last = 0;
  for (const match of name.matchAll(/\d+/g)) {
    literals.push(name.slice(last, match.index));
    numbers.push(match[0]);
    last = match.index + match[0].length;
  }
  literals.push(name.slice(last));
  return { literals, numbers };
}

/**
 * Each vector stands for the cartesian product of its sets. Merging, dimension by dimension from the last,
 * the vectors that agree everywhere else keeps the represented names exact.
 */
function foldVectors(vectors: Set<string>[][]): Set<string>[][] {
  let current = vectors;
  const dimensions = vectors[0]?.length ?? 0;
  for (let dim = dimensions - 1; dim >= 0; dim--) {
    const merged = new Map<string, Set<string>[]>();
    for (const vector of current) {
      const key = vector.map((set, i) => (i === dim ? '' : formatRangeSet(set))).join('\0');
      const existing = merged.get(key);
      if (existing) for (const digits of vector[dim]!) existing[dim]!.add(digits);
      else merged.set(key, vector.map((set) => new Set(set)));
    }
    current = [...merged.values()];
  }
  return current;
}

/** {"08","09","10","3"} -> "[3,08-10]"; a single number stays bare. */
function formatRangeSet(set: Set<string>): string {
  const runs: { first: string; last: bigint; width: number }[] = [];
  for (const digits of sortDigits(set)) {
    const value = BigInt(digits);
    const run = runs.find((candidate) => candidate.last === value - 1n && formatNumber(value, candidate.width) === digits);
    if (run) run.last = value;
    else runs.push({ first: digits, last: value, width: padWidth(digits) });
  }
  if (runs.length === 1 && runs[0]!.last === BigInt(runs[0]!.first)) return runs[0]!.first;
  const items = runs.map((run) =>
    run.last === BigInt(run.first) ? run.first : `${run.first}-${formatNumber(run.last, run.width)}`,
  );
  return `[${items.join(',')}]`;
}

/** By value, then "01" before "1". */
function sortDigits(set: Set<string>): string[] {
  return [...set].sort((a, b) => compareDigits(a, b) || (a < b ? -1 : a > b ? 1 : 0));
}

function compareDigits(a: string, b: string): number {
  const difference = BigInt(a) - BigInt(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

/** "web9" before "web10"; ties broken by plain comparison so the order is total. */
export function naturalCompare(a: string, b: string): number {
  const chunksA = a.match(/\d+|\D+/g) ?? [];
  const chunksB = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(chunksA.length, chunksB.length); i++) {
    const x = chunksA[i]!;
    const y = chunksB[i]!;
    const bothNumbers = /^\d/.test(x) && /^\d/.test(y);
    const order = bothNumbers ? compareDigits(x, y) : x < y ? -1 : x > y ? 1 : 0;
    if (order !== 0) return order;
  }
  return chunksA.length - chunksB.length || (a < b ? -1 : a > b ? 1 : 0);
}
