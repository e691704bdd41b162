/**
 * Rows to text in the formats operators know from openstackclient (table, csv, value, json, yaml) and gh
 * (tab-separated when piped). Tables fit the width they are given (fit.ts). Every peer-supplied string is escaped here, at the last step before output.
 */
import type { Column, DisplayContext } from './columns.js';
import { fitTables, type FittedTable } from './fit.js';
import { escapeJsonControls, sanitizeText } from './sanitize.js';

export const OUTPUT_FORMATS = ['table', 'json', 'yaml', 'csv', 'tsv', 'value'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface RenderOptions {
  format: OutputFormat;
  headers: boolean;
  colour: boolean;
  context: DisplayContext;
  /** The widest line a table may have (fit.ts); null: tables in full. */
  width: number | null;
}

export async function renderRows<R>(rows: readonly R[], columns: readonly Column<R>[], options: RenderOptions): Promise<string> {
  const cells = rows.map((row) => columns.map((column) => sanitizeText(column.text(row, options.context))));
  const headers = columns.map((column) => column.header);
  // No rows, no output, header included: `[ -z "$(glance-cache ls …)" ]` tells an empty list in any line format.
  const headed = options.headers && cells.length > 0 ? [headers] : [];
  switch (options.format) {
    case 'table':
      return renderTables(headers, cells, columns, options);
    case 'csv':
      return lines([...headed, ...cells].map((row) => row.map(csvField).join(',')));
    case 'tsv':
      return lines([...headed, ...cells].map((row) => row.map(tsvField).join('\t')));
    case 'value':
      return lines(cells.map((row) => row.join(' ')));
    case 'json':
    case 'yaml':
      throw new Error(`renderRows cannot produce ${options.format}; use renderDocument`);
  }
}

/** One table, or several when ls --per-node's node columns do not fit beside the others: a blank line between them. */
async function renderTables<R>(headers: string[], cells: string[][], columns: readonly Column<R>[], options: RenderOptions): Promise<string> {
  const all = columns.map((_, index) => index);
  const tables: FittedTable[] =
    options.width === null
      ? [{ columns: all, headers, rows: cells }]
      : fitTables({ columns: columns.map((column, index) => ({ header: headers[index]!, ...column.fit })), rows: cells, width: options.width });
  const drawn = await Promise.all(tables.map((table) => renderTable(table, columns, options)));
  return drawn.join('\n');
}

async function renderTable<R>(fitted: FittedTable, columns: readonly Column<R>[], options: RenderOptions): Promise<string> {
  const { default: Table } = await import('cli-table3');
  const table = new Table({
    head: options.headers ? fitted.headers : [],
    style: { head: options.colour ? ['cyan'] : [], border: options.colour ? ['grey'] : [] },
    colAligns: fitted.columns.map((index) => (columns[index]!.align === 'right' ? 'right' : 'left')),
    // No rule between rows, as openstackclient's tables: long listings stay dense.
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  // One push per row: a plan may have more rows than a call may have arguments.
  for (const row of fitted.rows) table.push(row);
  return `${table.toString()}\n`;
}

/** JSON with C1 and bidi controls escaped too, so piping it to a terminal is safe. */
export async function renderDocument(document: unknown, format: 'json' | 'yaml', indent = true): Promise<string> {
  if (format === 'json') return `${escapeJsonControls(JSON.stringify(document, null, indent ? 2 : undefined))}\n`;
  const { Document, Scalar, visit } = await import('../lazy/yaml.js');
  const yamlDocument = new Document(document);
  // The yaml library escapes C0 controls itself but leaves DEL, C1 and bidi controls raw, even in quotes:
  // such strings are forced into double quotes, the one YAML style where a \u escape means the character.
  visit(yamlDocument, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && escapeJsonControls(node.value) !== node.value) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return escapeJsonControls(yamlDocument.toString({ lineWidth: 0 }));
}

function lines(rows: string[]): string {
  return rows.length ? `${rows.join('\n')}\n` : '';
}

/**
 * RFC 4180 quoting, and OWASP's defence against formula injection: a spreadsheet runs a cell that starts
 * with = + - @ as a formula, so an image named `=HYPERLINK(…)` gets a leading ' that shows it as text (the
 * tab and carriage return OWASP also lists are already escaped). A number (-1, +3.5) is no formula and is
 * left as it is.
 */
function csvField(value: string): string {
  const text = /^[=+\-@]/.test(value) && !NUMBER.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const NUMBER = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/;

function tsvField(value: string): string {
  return value.replace(/[\t\n\r]/g, ' ');
}
