import { describe, expect, it } from 'vitest';
import { defineColumns, pickColumns, unknownColumnMessage, unknownColumns, type Column } from '../../../src/output/columns.js';

const COLUMNS: Column<string>[] = [
  { key: 'id', header: 'ID', text: (row) => row },
  { key: 'last_accessed', header: 'Last access', text: (row) => row },
  { key: 'hits', header: 'Hits', text: (row) => row },
];
const keys = (picked: Column<string>[] | string) => (typeof picked === 'string' ? picked : picked.map((column) => column.key));

describe('pickColumns', () => {
  it('keeps every column when none is named', () => {
    expect(keys(pickColumns(COLUMNS, []))).toEqual(['id', 'last_accessed', 'hits']);
  });

  it('picks by JSON field name, any case, in the order given, commas allowed', () => {
    expect(keys(pickColumns(COLUMNS, ['hits', 'ID']))).toEqual(['hits', 'id']);
    expect(keys(pickColumns(COLUMNS, ['LAST_ACCESSED,id', ' HITS ']))).toEqual(['last_accessed', 'id', 'hits']);
  });

  it('names the unknown column and lists the valid keys; a header is not a key', () => {
    expect(pickColumns(COLUMNS, ['id', 'bogus'])).toBe("-c: unknown column 'bogus'; choose from: id, last_accessed, hits");
    expect(pickColumns(COLUMNS, ['Last access'])).toBe("-c: unknown column 'Last access'; choose from: id, last_accessed, hits");
  });
});

describe('unknownColumns', () => {
  it('finds every name no key matches; a key ending in ":" takes any suffix', () => {
    expect(unknownColumns(['id', 'name', 'node:'], ['id,NAME', 'node:glance01', 'node:', 'nodes', 'size'])).toEqual(['node:', 'nodes', 'size']);
    expect(unknownColumns(['id'], [])).toEqual([]);
  });

  it('words the error with every valid column, patterns shown as <node>', () => {
    expect(unknownColumnMessage('--sort-column', ['a', 'b'], ['id', 'node:'])).toBe("--sort-column: unknown columns 'a', 'b'; choose from: id, node:<node>");
  });
});

describe('defineColumns', () => {
  it('builds the columns in the order of the key list', () => {
    const columns = defineColumns<string, 'b' | 'a'>(['b', 'a'], { a: { header: 'A', text: (row) => row }, b: { header: 'B', text: (row) => row.toUpperCase() } });
    expect(columns.map((column) => [column.key, column.header, column.text('x', { human: true, now: 0 })])).toEqual([['b', 'B', 'X'], ['a', 'A', 'x']]);
  });
});
