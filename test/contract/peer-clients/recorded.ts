/** The recorded table in the repo (recorded.json, rendered as TABLE.md): read a column, or record one. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { RECORDED, TABLE, renderTable, type RecordedTable } from './render-table.mjs';
import type { RecordedCall } from './shape.js';

const ABOUT =
  'Each column is python-glanceclient 4.1 and glance-cache-manage (Debian 12) driven through a recording proxy against one node of a real fleet (test/fleet/fleet.sh, paste flavor keystone+cachemanagement). Re-record a column with GLANCE_CACHE_RECORD=1 (docs/contract.md).';

/** Set to re-record instead of compare. */
export const recording = process.env.GLANCE_CACHE_RECORD === '1';

export function readRecorded(): RecordedTable {
  return JSON.parse(readFileSync(RECORDED, 'utf8')) as RecordedTable;
}

export function recordedColumn(name: string): RecordedCall[] {
  const column = readRecorded().columns[name];
  if (!column) throw new Error(`${RECORDED} has no column ${name}: record it with GLANCE_CACHE_RECORD=1 (docs/contract.md)`);
  return column.calls;
}

/** Replaces one column, keeps the others, and renders TABLE.md from the result. */
export function recordColumn(name: string, glance: string, calls: RecordedCall[]): void {
  const table: RecordedTable = existsSync(RECORDED) ? readRecorded() : { about: ABOUT, columns: {} };
  table.about = ABOUT;
  table.columns[name] = { glance, calls };
  table.columns = Object.fromEntries(Object.entries(table.columns).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(RECORDED, `${JSON.stringify(table, null, 2)}\n`);
  writeFileSync(TABLE, renderTable(table));
}
