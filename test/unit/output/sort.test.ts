import { describe, expect, it } from 'vitest';
import type { Column } from '../../../src/output/columns.js';
import { sortOrder } from '../../../src/output/sort.js';

interface Row {
  name: string;
  size: number | null;
  cached: string;
}

const NAME: Column<Row> = { key: 'name', header: 'Name', text: (row) => row.name };
// Human text would sort "9 MiB" after "10 GiB": sorting reads the raw value.
const SIZE: Column<Row> = { key: 'size', header: 'Size', text: (row, context) => (row.size === null ? '' : context.human ? `${row.size / 1024} KiB` : String(row.size)) };
const CACHED: Column<Row> = { key: 'cached', header: 'Cached', text: (row) => row.cached };

const ROWS: Row[] = [
  { name: 'glance10', size: 9_000, cached: '10/12' },
  { name: 'glance2', size: 100_000, cached: '3/12' },
  { name: 'alpine', size: null, cached: '3/12' },
  { name: 'Glance1', size: 12.5, cached: '12/12' },
];

describe('sortOrder', () => {
  it('sorts raw numbers by value, empty cells last', () => {
    expect(sortOrder(ROWS, [SIZE], false, 0)).toEqual([3, 0, 1, 2]);
    expect(sortOrder(ROWS, [SIZE], true, 0)).toEqual([1, 0, 3, 2]);
  });

  it('sorts text in natural order, numbers inside it by value, case aside', () => {
    expect(sortOrder(ROWS, [NAME], false, 0).map((index) => ROWS[index]!.name)).toEqual(['alpine', 'Glance1', 'glance2', 'glance10']);
    expect(sortOrder(ROWS, [CACHED], false, 0).map((index) => ROWS[index]!.cached)).toEqual(['3/12', '3/12', '10/12', '12/12']);
  });

  it('breaks ties with the next column, then keeps the given order', () => {
    expect(sortOrder(ROWS, [CACHED, NAME], false, 0)).toEqual([2, 1, 0, 3]);
    expect(sortOrder([ROWS[1]!, ROWS[2]!], [CACHED], true, 0)).toEqual([0, 1]);
  });
});
