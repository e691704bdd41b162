import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitTable, fitTables, middleEllipsize, MIN_NAME, MIN_PREFIX, tableWidth, uniquePrefixLength, type FitColumn, type FitInput } from '../../../src/output/fit.js';
import { displayWidth } from '../../../src/output/width.js';

const ID: FitColumn = { header: 'ID', shrink: 'prefix' };
const NAME: FitColumn = { header: 'Name', shrink: 'ellipsis' };
const ids = ['0b6c485d-21a9-4256-bda6-e96480e4611b', '0bf42b58-9d2d-4d60-8d78-48b1a07af675', '8899d818-977d-46aa-8246-692996dcc594'];
const long = (stem: string) => `${stem}-with-a-long-descriptive-suffix-nobody-reads`;

/** The width of what fitTable produced, as drawn: each column as wide as its widest cell. */
function drawnWidth(table: { headers: string[]; rows: string[][] }): number {
  return tableWidth(table.headers.map((header, index) => table.rows.reduce((widest, row) => Math.max(widest, displayWidth(row[index]!)), displayWidth(header))));
}

describe('tableWidth', () => {
  it('counts a border before each column and after the last, and a space each side of every cell', () => {
    expect(tableWidth([2, 4])).toBe(1 + (2 + 3) + (4 + 3));
    expect(tableWidth([])).toBe(1);
  });
});

describe('uniquePrefixLength', () => {
  it('is one past the longest prefix two distinct values share', () => {
    expect(uniquePrefixLength(ids)).toBe(3);
    expect(uniquePrefixLength(['abc', 'abd', 'b'])).toBe(3);
    expect(uniquePrefixLength(['same', 'same'])).toBe(0);
    expect(uniquePrefixLength([])).toBe(0);
    expect(uniquePrefixLength(['ab', 'abc'])).toBe(3);
  });
});

describe('fitTable', () => {
  const rows = ids.map((id, index) => [id, long(`image-${index}`), String(index * 1000), 'active']);
  const columns: FitColumn[] = [ID, NAME, { header: 'Size', drop: 2 }, { header: 'Status', drop: 1 }];
  const input = (width: number): FitInput => ({ columns, rows, width });
  const all = [0, 1, 2, 3];

  it('leaves a table that fits as it is', () => {
    const fitted = fitTable(input(500), all);
    expect(fitted).toEqual({ columns: all, headers: ['ID', 'Name', 'Size', 'Status'], rows });
  });

  it('first cuts IDs to a unique prefix of at least 8, leaving the names whole when that is enough', () => {
    const natural = tableWidth([36, long('image-0').length, 4, 6]);
    const fitted = fitTable(input(natural - 28), all);
    expect(fitted.columns).toEqual(all);
    expect(fitted.rows.map((row) => row[0])).toEqual(ids.map((id) => id.slice(0, MIN_PREFIX)));
    expect(fitted.rows.map((row) => row[1])).toEqual(rows.map((row) => row[1]));
  });

  it('then shortens names with an ellipsis, to no less than 16 cells, before dropping a column', () => {
    const fitted = fitTable(input(60), all);
    expect(fitted.columns).toEqual(all);
    expect(drawnWidth(fitted)).toBe(60);
    for (const row of fitted.rows) expect(row[1]).toMatch(/^image-\d-with.*…$/);
    expect(displayWidth(fitted.rows[0]![1]!)).toBeGreaterThanOrEqual(MIN_NAME);
  });

  it('drops columns lowest rank first, then gives the room back to the names', () => {
    const withoutStatus = fitTable(input(tableWidth([8, MIN_NAME, 4, 6]) - 1), all);
    expect(withoutStatus.columns).toEqual([0, 1, 2]);
    expect(withoutStatus.headers).toEqual(['ID', 'Name', 'Size']);
    expect(drawnWidth(withoutStatus)).toBeLessThanOrEqual(tableWidth([8, MIN_NAME, 4, 6]) - 1);
    expect(displayWidth(withoutStatus.rows[0]![1]!)).toBeGreaterThan(MIN_NAME);
    const bare = fitTable(input(tableWidth([8, MIN_NAME])), all);
    expect(bare.columns).toEqual([0, 1]);
    expect(bare.rows[0]).toEqual([ids[0]!.slice(0, 8), 'image-0-with-a-…']);
  });

  it('never drops a column without a rank: as a last resort every column is cut with an ellipsis', () => {
    const fitted = fitTable(input(20), all);
    expect(fitted.columns).toEqual([0, 1]);
    expect(drawnWidth(fitted)).toBeLessThanOrEqual(20);
    expect(fitted.rows[0]![0]).toMatch(/…$/);
  });

  it('cuts long headers too', () => {
    const fitted = fitTable({ columns: [{ header: 'A very long header', shrink: 'ellipsis' }], rows: [['x']], width: 12 }, [0]);
    expect(fitted.headers).toEqual(['A very …']);
  });

  it('counts wide characters as two cells', () => {
    const fitted = fitTable({ columns: [NAME], rows: [['日本語の名前がとても長いイメージ名前']], width: 24 }, [0]);
    expect(displayWidth(fitted.rows[0]![0]!)).toBeLessThanOrEqual(20);
    expect(fitted.rows[0]![0]).toMatch(/^日本語.*…$/);
  });

  it('fits any table into any width that leaves each column a cell', () => {
    const column = fc.record({ header: fc.string({ maxLength: 12 }), shrink: fc.constantFrom(undefined, 'ellipsis' as const, 'prefix' as const), drop: fc.option(fc.nat(5), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(column, { minLength: 1, maxLength: 8 }), fc.array(fc.array(fc.string({ maxLength: 60 }), { minLength: 8, maxLength: 8 }), { maxLength: 6 }), fc.nat(200), (cols, cells, extra) => {
        const width = tableWidth(cols.map(() => 1)) + extra;
        const fitted = fitTable({ columns: cols, rows: cells, width }, cols.map((_, index) => index));
        expect(drawnWidth(fitted)).toBeLessThanOrEqual(width);
        // Only ranked columns are ever dropped, and the order is kept.
        for (const [index, spec] of cols.entries()) if (spec.drop === undefined) expect(fitted.columns).toContain(index);
        expect([...fitted.columns].sort((a, b) => a - b)).toEqual(fitted.columns);
      }),
    );
  });
});

describe('fitTables (ls --per-node)', () => {
  const nodes = Array.from({ length: 40 }, (_, index) => `glance${String(index + 1).padStart(2, '0')}`);
  const columns: FitColumn[] = [ID, NAME, { header: 'Size', drop: 1 }, ...nodes.map((node) => ({ header: node, paged: true }))];
  const rows = ids.map((id, index) => [id, long(`image-${index}`), '1 GiB', ...nodes.map((_, at) => (at % 3 === index ? 'C' : '.'))]);

  it('keeps one table when the node columns fit', () => {
    const tables = fitTables({ columns, rows, width: 1000 });
    expect(tables).toHaveLength(1);
    expect(tables[0]!.columns).toHaveLength(43);
  });

  it('otherwise: the image table, then the nodes in tables led by ID and name, each within the width', () => {
    const tables = fitTables({ columns, rows, width: 80 });
    expect(tables[0]!.headers).toEqual(['ID', 'Name', 'Size']);
    const pages = tables.slice(1);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) {
      expect(page.headers.slice(0, 2)).toEqual(['ID', 'Name']);
      expect(page.rows).toHaveLength(rows.length);
    }
    expect(pages.flatMap((page) => page.headers.slice(2))).toEqual(nodes);
    for (const table of tables) expect(drawnWidth(table)).toBeLessThanOrEqual(80);
  });

  it('puts at least one node in each table, however narrow', () => {
    const tables = fitTables({ columns, rows, width: 40 });
    expect(tables.slice(1).map((page) => page.headers.slice(2))).toEqual(nodes.map((node) => [node]));
    for (const table of tables) expect(drawnWidth(table)).toBeLessThanOrEqual(40);
  });
});

describe('middle shrink (node names)', () => {
  it('keeps the end, where the nodes of one fleet differ, and the width asked for', () => {
    expect(middleEllipsize('glance-api-controller-rack06', 19)).toBe('glance-ap…er-rack06');
    expect(displayWidth(middleEllipsize('glance-api-controller-rack06', 19))).toBe(19);
    expect(middleEllipsize('節點-glance-api-controller-07', 12)).toBe('節點-…ler-07'); // wide characters count two cells
  });

  it('leaves node names that the plain ellipsis made all alike telling apart', () => {
    const names = [1, 2, 3].map((index) => `glance-api-controller-rack0${index}`);
    const rows = names.map((name) => [name, 'ok', '30', 'a long error message that takes the room']);
    const columns: FitColumn[] = [{ header: 'Node', shrink: 'middle' }, { header: 'Status' }, { header: 'Cached' }, { header: 'Error', shrink: 'ellipsis' }];
    const fitted = fitTable({ columns, rows, width: 60 }, [0, 1, 2, 3]);
    expect(drawnWidth(fitted)).toBeLessThanOrEqual(60);
    expect(new Set(fitted.rows.map((row) => row[0])).size).toBe(3);
    expect(fitted.rows[0]![0]).toMatch(/^glance-.*….*rack01$/);
  });
});

describe('a plan of a million actions on a terminal', () => {
  it('fits 300,000 rows: widths are measured without one function argument per row', () => {
    const rows = Array.from({ length: 300_000 }, (_, index) => [`glance${index % 1000}`, `${index.toString(16).padStart(8, '0')}-0b7e-4a8e-9a51-1c2f3e4d5a6b`, `image-${index}`, 'delete']);
    const columns: FitColumn[] = [{ header: 'Node', shrink: 'middle' }, { header: 'Image', shrink: 'prefix' }, { header: 'Name', shrink: 'ellipsis' }, { header: 'Action' }];
    const [fitted, ...more] = fitTables({ columns, rows, width: 60 });
    expect(more).toEqual([]);
    expect(fitted!.rows).toHaveLength(300_000);
    expect(drawnWidth(fitted!)).toBeLessThanOrEqual(60);
  });
});
