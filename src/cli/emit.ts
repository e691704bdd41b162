/**
 * The last step of every command, and the only writer of its stdout: the result as a document (json,
 * yaml) or as rows (everything else), as cliff's Lister renders what a command returns. Commands hand it
 * data; none writes stdout itself. -c picks columns in tables and fields of the listed items in
 * documents, so both stay in step.
 */
import { UsageError } from '../errors.js';
import { pickColumns, type Column } from '../output/columns.js';
import { renderDocument, renderRows } from '../output/render.js';
import { sortOrder } from '../output/sort.js';
import { wrapText } from '../output/width.js';
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
  /**
   * What -c projects in a document in place of the document's own list, when the table shows more than
   * that list holds (a plan's name, size and reasons); in the same order as `rows`.
   */
  projected?: readonly object[] | undefined;
  /** At most this many of the list (ls --limit): cut after --sort-column, so the top N are the ones shown. */
  limit?: number | null | undefined;
}

export async function emit<R, O = never>(context: CommandContext, emission: Emission<R, O>): Promise<void> {
  const { globals, io } = context;
  const table = globals.format === 'table';
  const showList = !table || emission.showList !== false;
  // -c is checked against the list it picks from, when that list is shown (and against the command's
  // columns before any request: globals.ts).
  const columns = showList ? pickColumns(emission.columns, globals.columns) : [];
  if (typeof columns === 'string') throw new UsageError(columns);
  const { rows, document, projected: items } = sorted(context, emission);
  if (globals.format === 'json' || globals.format === 'yaml') {
    const projected = globals.columns.length ? projectList(items ? { ...document, [emission.listKey]: items } : document, emission.listKey, columns.map((column) => column.key)) : document;
    io.stdout.write(await renderDocument(projected, globals.format, globals.indent));
    return;
  }
  // The format, not the terminal, decides: a table is for people (units, ages), the rest is raw.
  const render = <T>(shown: readonly T[], shownColumns: readonly Column<T>[]) =>
    renderRows(shown, shownColumns, { format: globals.format, headers: globals.headers, colour: io.colour, context: { human: table, now: context.now() }, width: globals.tableWidth });
  if (table && emission.overview && globals.columns.length === 0) {
    io.stdout.write(await render(emission.overview.rows, emission.overview.columns));
    if (showList) io.stdout.write('\n');
  }
  if (showList) io.stdout.write(await render(rows, columns));
  // The footer keeps to the table's width too, wrapped rather than cut: it names failed nodes.
  if (table && emission.footer && !globals.quiet) io.stdout.write(`${globals.tableWidth === null ? emission.footer : wrapText(emission.footer, globals.tableWidth)}\n`);
}

/** --sort-column, then the limit: the rows and the document's list in the same order (they are built in step). */
function sorted<R, O>(context: CommandContext, emission: Emission<R, O>): Pick<Emission<R, O>, 'rows' | 'document' | 'projected'> {
  const { globals } = context;
  const limit = emission.limit ?? null;
  if (globals.sortColumns.length === 0 && (limit === null || limit >= emission.rows.length)) return emission;
  const by = globals.sortColumns.length ? pickColumns(emission.columns, globals.sortColumns, '--sort-column') : [];
  if (typeof by === 'string') throw new UsageError(by);
  const all = by.length ? sortOrder(emission.rows, by, globals.sortDescending, context.now()) : emission.rows.map((_, index) => index);
  const order = limit === null ? all : all.slice(0, limit);
  const list = emission.document[emission.listKey];
  return {
    rows: order.map((index) => emission.rows[index]!),
    projected: emission.projected && order.map((index) => emission.projected![index]!),
    document: Array.isArray(list) && list.length === emission.rows.length ? { ...emission.document, [emission.listKey]: order.map((index) => list[index] as unknown) } : emission.document,
  };
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
