/**
 * A column knows its JSON field name (the key, also what -c and --sort-column take) and how to show a
 * row: for people in a table (human units, relative ages), raw in every other format (bytes, ISO-8601).
 */
export interface DisplayContext {
  /** A table: sizes in units, ages relative to now. Elsewhere the same columns carry raw values. */
  human: boolean;
  /** Epoch milliseconds: "now" for relative ages. */
  now: number;
}

/** How a table that is wider than the terminal gives up this column's width (fit.ts). */
export interface ColumnFit {
  /**
   * ellipsis: long text cut with "…" (names); middle: the "…" in the middle, the end kept (node names, which
   * differ at their end); prefix: the shortest prefix unique in the column (IDs).
   */
  shrink?: 'ellipsis' | 'middle' | 'prefix';
  /** Left out when nothing else makes the table fit: lower ranks first; a column without one is always shown. */
  drop?: number;
  /** One of many like it (ls --per-node's node columns): spread over several tables when they do not fit in one. */
  paged?: boolean;
}

export interface Column<R> {
  key: string;
  header: string;
  text(row: R, context: DisplayContext): string;
  align?: 'right';
  fit?: ColumnFit;
}

/**
 * The columns of a list, in the order of `keys`: the key lists live in column-keys.ts, where the command
 * tree reads them too (-c completion and checking), so a column cannot be shown that -c does not know.
 */
export function defineColumns<R, K extends string>(keys: readonly K[], columns: { readonly [key in K]: Omit<Column<R>, 'key'> }): Column<R>[] {
  return keys.map((key) => ({ key, ...columns[key] }));
}

/**
 * The columns named by -c (in the order given; commas allowed; JSON field names, any case), or the names
 * that match none. `known` is what a command may show; a key ending in ':' takes any suffix (node:glance01).
 */
export function unknownColumns(known: readonly string[], wanted: readonly string[]): string[] {
  return splitNames(wanted).filter((name) => !known.some((key) => sameColumn(key, name)));
}

export function unknownColumnMessage(flag: string, unknown: readonly string[], known: readonly string[]): string {
  const named = unknown.map((name) => `'${name}'`).join(', ');
  return `${flag}: unknown column${unknown.length === 1 ? '' : 's'} ${named}; choose from: ${known.map((key) => (key.endsWith(':') ? `${key}<node>` : key)).join(', ')}`;
}

/** Picks the columns named by -c (or `flag`); unknown names are a usage error listing the valid ones. */
export function pickColumns<R>(columns: readonly Column<R>[], wanted: readonly string[], flag = '-c'): Column<R>[] | string {
  if (wanted.length === 0) return [...columns];
  const keys = columns.map((column) => column.key);
  const unknown = unknownColumns(keys, wanted);
  if (unknown.length > 0) return unknownColumnMessage(flag, unknown, keys);
  return splitNames(wanted).map((name) => columns.find((column) => column.key.toLowerCase() === name.toLowerCase())!);
}

function sameColumn(key: string, name: string): boolean {
  const [lowerKey, lowerName] = [key.toLowerCase(), name.toLowerCase()];
  return key.endsWith(':') ? lowerName.startsWith(lowerKey) && name.length > key.length : lowerName === lowerKey;
}

export function splitNames(names: readonly string[]): string[] {
  return names.flatMap((item) => item.split(',')).map((name) => name.trim()).filter((name) => name !== '');
}
