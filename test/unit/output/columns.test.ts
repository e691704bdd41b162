import { describe, expect, it } from 'vitest';
import { pickColumns, type Column } from '../../../src/output/columns.js';

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

  it('picks by key or header, any case, in the order given, commas allowed', () => {
    expect(keys(pickColumns(COLUMNS, ['hits', 'ID']))).toEqual(['hits', 'id']);
    expect(keys(pickColumns(COLUMNS, ['Last Access,id', ' HITS ']))).toEqual(['last_accessed', 'id', 'hits']);
  });

  it('names the unknown column and lists the valid keys', () => {
    expect(pickColumns(COLUMNS, ['id', 'bogus'])).toBe("unknown column 'bogus'; choose from: id, last_accessed, hits");
  });
});
