/**
 * --sort-column: rows ordered by columns' raw values (bytes, ISO-8601 times, counts), so a size sorts by
 * bytes and a time by time whatever the format shows. Numbers compare as numbers inside text too
 * ("glance2" before "glance10", "3/6" before "10/12"); empty cells come last either way; ties keep the
 * command's own order.
 */
import type { Column } from './columns.js';

const COLLATOR = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
const NUMBER = /^-?\d+(\.\d+)?$/;

/** The rows' indices in sorted order. */
export function sortOrder<R>(rows: readonly R[], by: readonly Column<R>[], descending: boolean, now: number): number[] {
  const keys = rows.map((row) => by.map((column) => column.text(row, { human: false, now })));
  const direction = descending ? -1 : 1;
  return rows
    .map((_, index) => index)
    .sort((a, b) => {
      for (let position = 0; position < by.length; position += 1) {
        const [left, right] = [keys[a]![position]!, keys[b]![position]!];
        if (left === right) continue;
        if (left === '') return 1;
        if (right === '') return -1;
        const order = NUMBER.test(left) && NUMBER.test(right) ? Math.sign(Number(left) - Number(right)) : COLLATOR.compare(left, right);
        if (order !== 0) return order * direction;
      }
      return a - b;
    });
}
