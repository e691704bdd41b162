import type { RecordedCall } from './shape.js';

export interface RecordedTable {
  /** What the table is and how to re-record it. */
  about: string;
  /** One column per target ("real-zed", "real-epoxy"): the Glance package it was recorded from and its calls. */
  columns: Record<string, { glance: string; calls: RecordedCall[] }>;
}

export const RECORDED: string;
export const TABLE: string;
export function renderTable(recorded: RecordedTable): string;
