/**
 * The last step of every command, and the only writer of its stdout: the result as a document (json,
 * yaml) or as rows (everything else), as cliff's Lister renders what a command returns. Commands hand it
 * data; none writes stdout itself. -c picks columns in tables and fields of the listed items in
 * documents, so both stay in step.
 */
import { UsageError } from '../errors.js';
import { pickColumns, type Column } from '../output/columns.js';
import { renderDocument, renderRows } from '../output/render.js';
import type { CommandContext } from './context.js';

export interface Emission<R, O = never> {
  /** The whole JSON/YAML document. */
  document: Record<string, unknown>;
  /** The key of the document's main list, which -c projects. */
  listKey: string;
  rows: readonly R[];
  columns: readonly Column<R>[];
  /** A line under a terminal table, e.g. how many nodes answered. */
  footer?: string | undefined;
  /**
   * On a terminal table without -c, a table of its own above the list (diff's node groups), and a blank
   * line between the two. The document carries the same rows.
   */
  overview?: { rows: readonly O[]; columns: readonly Column<O>[] } | undefined;
  /** False: a terminal table leaves the list out (diff found no differences); the overview and footer stay. */
  showList?: boolean | undefined;
}

export async function emit<R, O = never>(context: CommandContext, emission: Emission<R, O>): Promise<void> {
  const { globals, io } = context;
  const table = globals.format === 'table';
  const showList = !table || emission.showList !== false;
  // -c is checked against the list it picks from, when that list is shown.
  const columns = showList ? pickColumns(emission.columns, globals.columns) : [];
  if (typeof columns === 'string') throw new UsageError(`-c: ${columns}`);
  if (globals.format === 'json' || globals.format === 'yaml') {
    const document = globals.columns.length ? projectList(emission.document, emission.listKey, columns.map((column) => column.key)) : emission.document;
    io.stdout.write(await renderDocument(document, globals.format));
    return;
  }
  const render = <T>(rows: readonly T[], shown: readonly Column<T>[]) =>
    renderRows(rows, shown, { format: globals.format, headers: globals.headers, colour: io.colour, context: { tty: Boolean(io.stdout.isTTY), now: context.now() } });
  if (table && emission.overview && globals.columns.length === 0) {
    io.stdout.write(await render(emission.overview.rows, emission.overview.columns));
    if (showList) io.stdout.write('\n');
  }
  if (showList) io.stdout.write(await render(emission.rows, columns));
  if (table && emission.footer && !globals.quiet) io.stdout.write(`${emission.footer}\n`);
}

/** What a command made as text of its own (a completion script, inventory --check's line): the same in every format. */
export function emitText(context: CommandContext, text: string): void {
  context.io.stdout.write(text);
}

function projectList(document: Record<string, unknown>, listKey: string, keys: string[]): Record<string, unknown> {
  const list = document[listKey];
  if (!Array.isArray(list)) return document;
  const projected = list.map((item: Record<string, unknown>) => Object.fromEntries(keys.map((key) => [key, item[key] ?? null])));
  return { ...document, [listKey]: projected };
}
