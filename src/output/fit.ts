/**
 * Fits a table into a width (the terminal's): data in, data out. In this order, and only as far as needed:
 * 1. ID columns are cut to the shortest prefix that still tells their values apart (at least 8 cells);
 * 2. name columns are shortened with an ellipsis, the widest first, to no less than 16 cells; node names
 *    keep their end too (glance-api-…-rack06), where nodes of one fleet differ;
 * 3. columns are left out by their drop rank, lowest first, and steps 1-2 redone for the rest;
 * 4. if even that is too wide, every column is shortened with an ellipsis, the widest first.
 * Columns marked paged (ls --per-node's node columns) that do not fit beside the others are spread over
 * further tables, each led by the columns never dropped (ID, name), so no line is wider than asked.
 */
import { displayWidth, ELLIPSIS, ellipsize, headOf } from './width.js';

export interface FitColumn {
  header: string;
  /** 'middle': shortened as 'ellipsis', the ellipsis in the middle. */
  shrink?: 'ellipsis' | 'middle' | 'prefix' | undefined;
  /** Left out to fit, lowest first; undefined: always shown. */
  drop?: number | undefined;
  paged?: boolean | undefined;
}

export interface FitInput {
  columns: readonly FitColumn[];
  rows: readonly (readonly string[])[];
  /** The widest line allowed, borders included. */
  width: number;
}

/** One table to draw: which of the input's columns (by index, in order) and their cells, fitted. */
export interface FittedTable {
  columns: number[];
  headers: string[];
  rows: string[][];
}

export const MIN_PREFIX = 8;
export const MIN_NAME = 16;

/** A table's line width in cli-table3's layout: a border before each column and after the last, one space of padding each side. */
export function tableWidth(widths: readonly number[]): number {
  return widths.reduce((total, width) => total + width + 3, 1);
}

/**
 * The input with each column's widths worked out once: a plan on a terminal may have a million rows, and
 * every step below asks for them again.
 */
interface Measured {
  input: FitInput;
  /** Each column's widest cell or header. */
  natural: number[];
  /** How narrow steps 1 and 2 may make each column. */
  floor: number[];
}

function measure(input: FitInput): Measured {
  const natural = input.columns.map((column) => displayWidth(column.header));
  for (const row of input.rows) {
    for (let index = 0; index < natural.length; index += 1) natural[index] = Math.max(natural[index]!, displayWidth(row[index] ?? ''));
  }
  const floor = input.columns.map((column, index) => {
    switch (column.shrink) {
      case 'prefix':
        return Math.min(natural[index]!, Math.max(MIN_PREFIX, displayWidth(column.header), uniquePrefixLength(input.rows.map((row) => row[index] ?? ''))));
      case 'ellipsis':
      case 'middle':
        return Math.min(natural[index]!, MIN_NAME);
      case undefined:
        return natural[index]!;
    }
  });
  return { input, natural, floor };
}

export function fitTables(input: FitInput): FittedTable[] {
  const measured = measure(input);
  const all = input.columns.map((_, index) => index);
  const paged = all.filter((index) => input.columns[index]!.paged);
  if (paged.length === 0 || fitsAtFloor(measured, all)) return [fitMeasured(measured, all)];
  const others = all.filter((index) => !input.columns[index]!.paged);
  const leading = others.filter((index) => input.columns[index]!.drop === undefined);
  return [fitMeasured(measured, others), ...pagesOf(measured, leading, paged).map((page) => fitMeasured(measured, [...leading, ...page]))];
}

/** The paged columns in groups that fit beside the leading ones at their narrowest; at least one a group. */
function pagesOf(measured: Measured, leading: number[], paged: number[]): number[][] {
  const room = measured.input.width - tableWidth(leading.map((index) => measured.floor[index]!));
  const pages: number[][] = [];
  let page: number[] = [];
  let used = 0;
  for (const index of paged) {
    const cost = measured.natural[index]! + 3;
    if (page.length > 0 && used + cost > room) {
      pages.push(page);
      page = [];
      used = 0;
    }
    page.push(index);
    used += cost;
  }
  if (page.length > 0) pages.push(page);
  return pages;
}

/** One table of the given columns, fitted to the width as the module comment says. */
export function fitTable(input: FitInput, chosen: readonly number[]): FittedTable {
  return fitMeasured(measure(input), chosen);
}

function fitMeasured(measured: Measured, chosen: readonly number[]): FittedTable {
  const { input } = measured;
  let kept = [...chosen];
  const droppable = kept.filter((index) => input.columns[index]!.drop !== undefined).sort((a, b) => input.columns[a]!.drop! - input.columns[b]!.drop! || b - a);
  while (!fitsAtFloor(measured, kept) && droppable.length > 0) {
    const dropped = droppable.shift()!;
    kept = kept.filter((index) => index !== dropped);
  }
  const widths = allocate(measured, kept);
  return {
    columns: kept,
    headers: kept.map((index, position) => ellipsize(input.columns[index]!.header, widths[position]!)),
    rows: input.rows.map((row) => kept.map((index, position) => cut(input.columns[index]!, row[index] ?? '', widths[position]!))),
  };
}

function fitsAtFloor(measured: Measured, kept: readonly number[]): boolean {
  return tableWidth(kept.map((index) => measured.floor[index]!)) <= measured.input.width;
}

/** Natural widths, narrowed (IDs first, then names widest first, then anything) until the table fits. */
function allocate(measured: Measured, kept: readonly number[]): number[] {
  const { input } = measured;
  const widths = kept.map((index) => measured.natural[index]!);
  const floors = kept.map((index) => measured.floor[index]!);
  let excess = tableWidth(widths) - input.width;
  if (excess <= 0) return widths;
  kept.forEach((index, position) => {
    if (excess > 0 && input.columns[index]!.shrink === 'prefix') {
      const saved = Math.min(excess, widths[position]! - floors[position]!);
      widths[position]! -= saved;
      excess -= saved;
    }
  });
  const names = kept.flatMap((index, position) => (input.columns[index]!.shrink === 'ellipsis' || input.columns[index]!.shrink === 'middle' ? [position] : []));
  excess = narrowWidest(widths, names, floors, excess);
  // Last resort: every column, down to one cell.
  return excess > 0 ? (narrowWidest(widths, kept.map((_, position) => position), widths.map(() => 1), excess), widths) : widths;
}

/** Takes `excess` cells off the widest of `positions`, never below their floors; returns what is left over. */
function narrowWidest(widths: number[], positions: readonly number[], floors: readonly number[], excess: number): number {
  let left = excess;
  while (left > 0) {
    const candidates = positions.filter((position) => widths[position]! > floors[position]!);
    if (candidates.length === 0) break;
    const widest = candidates.reduce((best, position) => (widths[position]! > widths[best]! ? position : best));
    widths[widest]! -= 1;
    left -= 1;
  }
  return left;
}

function cut(column: FitColumn, text: string, width: number): string {
  if (column.shrink === 'prefix' && width >= MIN_PREFIX && displayWidth(text) > width) return headOf(text, width);
  if (column.shrink === 'middle' && width >= 3 && displayWidth(text) > width) return middleEllipsize(text, width);
  return ellipsize(text, width);
}

/** "glance-api-…-rack06": the start and the end, the end a little longer (where numbered names differ). */
export function middleEllipsize(text: string, width: number): string {
  const head = headOf(text, Math.floor((width - 1) / 2));
  const tail = [...headOf([...text].reverse().join(''), width - 1 - displayWidth(head))].reverse().join('');
  return `${head}${ELLIPSIS}${tail}`;
}

/** The shortest length at which the distinct values' prefixes are all different (values shorter stay whole). */
export function uniquePrefixLength(values: readonly string[]): number {
  const sorted = [...new Set(values)].sort();
  let length = 0;
  for (let index = 1; index < sorted.length; index += 1) {
    const [a, b] = [sorted[index - 1]!, sorted[index]!];
    let common = 0;
    while (common < a.length && common < b.length && a[common] === b[common]) common += 1;
    length = Math.max(length, common + 1);
  }
  return length;
}
