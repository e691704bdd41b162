/**
 * How many terminal cells text takes, and text cut to a number of cells. Text reaching here is already
 * sanitised (no control characters); wide East Asian characters and emoji take two cells, combining
 * marks none. Fitting plans with these counts and cli-table3 (string-width 4) lays the table out with its
 * own: where the two differ, the count here is the larger, so a table is never drawn wider than planned.
 * Hence only the common combining marks (U+0300-U+036F) count none: zero-width format characters
 * (U+200B-U+200F), variation selectors and other scripts' marks count one cell, as string-width counts
 * them, and regional indicators two.
 */
/** Inclusive code point ranges, ascending. */
const ZERO_WIDTH: readonly (readonly [number, number])[] = [[0x0300, 0x036f]];
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0], [0x23f3, 0x23f3], [0x25fd, 0x25fe],
  [0x2614, 0x2615], [0x261d, 0x261d], [0x2648, 0x2653], [0x267f, 0x267f], [0x2693, 0x2693], [0x26a1, 0x26a1], [0x26aa, 0x26ab], [0x26bd, 0x26be],
  [0x26c4, 0x26c5], [0x26ce, 0x26ce], [0x26d4, 0x26d4], [0x26ea, 0x26ea], [0x26f2, 0x26f3], [0x26f5, 0x26f5], [0x26f9, 0x26f9], [0x26fa, 0x26fa],
  [0x26fd, 0x26fd], [0x2705, 0x2705], [0x270a, 0x270d], [0x2728, 0x2728], [0x274c, 0x274c], [0x274e, 0x274e], [0x2753, 0x2755],
  [0x2757, 0x2757], [0x2795, 0x2797], [0x27b0, 0x27b0], [0x27bf, 0x27bf], [0x2b1b, 0x2b1c], [0x2b50, 0x2b50], [0x2b55, 0x2b55],
  [0x2e80, 0x303e], [0x3040, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xa960, 0xa97f], [0xac00, 0xd7a3],
  [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6], [0x16fe0, 0x16fe4], [0x17000, 0x18cff],
  [0x1b000, 0x1b2ff], [0x1f004, 0x1f004], [0x1f0cf, 0x1f0cf], [0x1f18e, 0x1f18e], [0x1f191, 0x1f19a], [0x1f1e6, 0x1f1ff], [0x1f200, 0x1f251],
  [0x1f300, 0x1f64f], [0x1f680, 0x1f6ff], [0x1f7e0, 0x1f7eb], [0x1f90c, 0x1f9ff], [0x1fa70, 0x1faff], [0x20000, 0x3fffd],
];

function within(ranges: readonly (readonly [number, number])[], code: number): boolean {
  return ranges.some(([low, high]) => code >= low && code <= high);
}

function charWidth(char: string): number {
  const code = char.codePointAt(0)!;
  // Below the first range of either table: every cell of a table in Latin script, without a search.
  if (code < ZERO_WIDTH[0]![0]) return 1;
  if (within(ZERO_WIDTH, code)) return 0;
  return within(WIDE, code) ? 2 : 1;
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

/** The longest start of `text` that takes at most `width` cells. */
export function headOf(text: string, width: number): string {
  let taken = 0;
  let end = 0;
  for (const char of text) {
    const next = charWidth(char);
    if (taken + next > width) break;
    taken += next;
    end += char.length;
  }
  return text.slice(0, end);
}

export const ELLIPSIS = '…';

/** `text` in at most `width` cells: as it is when it fits, else cut with an ellipsis ("cirros-0.6.2-x86…"). */
export function ellipsize(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  return `${headOf(text, width - 1)}${ELLIPSIS}`;
}

/** `text` broken at spaces into lines of at most `width` cells; a word longer than that stays whole on its own line. */
export function wrapText(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const joined = line === '' ? word : `${line} ${word}`;
    if (line !== '' && displayWidth(joined) > width) {
      lines.push(line);
      line = word;
    } else {
      line = joined;
    }
  }
  return [...lines, line].join('\n');
}
