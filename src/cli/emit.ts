/**
 * The last step of every command: the result as a document (json, yaml) or as rows (everything else).
 * -c picks columns in tables and fields of the listed items in documents, so both stay in step.
 */
import { UsageError } from '../errors.js';
import { pickColumns, type Column } from '../output/columns.js';
import { renderDocument, renderRows } from '../output/render.js';
import type { CommandContext } from './context.js';

export interface Emission<R> {
  /** The whole JSON/YAML document. */
  document: Record<string, unknown>;
  /** The key of the document's main list, which -c projects. */
  listKey: string;
  rows: readonly R[];
  columns: readonly Column<R>[];
  /** A line under a terminal table, e.g. how many nodes answered. */
  footer?: string | undefined;
}

export async function emit<R>(context: CommandContext, emission: Emission<R>): Promise<void> {
  const { globals, io } = context;
  const columns = pickColumns(emission.columns, globals.columns);
  if (typeof columns === 'string') throw new UsageError(`-c: ${columns}`);
  if (globals.format === 'json' || globals.format === 'yaml') {
    const document = globals.columns.length ? projectList(emission.document, emission.listKey, columns.map((column) => column.key)) : emission.document;
    io.stdout.write(await renderDocument(document, globals.format));
    return;
  }
  const text = await renderRows(emission.rows, columns, {
    format: globals.format,
    headers: globals.headers,
    colour: io.colour,
    context: { tty: Boolean(io.stdout.isTTY), now: context.now() },
  });
  io.stdout.write(text);
  if (globals.format === 'table' && emission.footer && !globals.quiet) io.stdout.write(`${emission.footer}\n`);
}

function projectList(document: Record<string, unknown>, listKey: string, keys: string[]): Record<string, unknown> {
  const list = document[listKey];
  if (!Array.isArray(list)) return document;
  const projected = list.map((item: Record<string, unknown>) => Object.fromEntries(keys.map((key) => [key, item[key] ?? null])));
  return { ...document, [listKey]: projected };
}
