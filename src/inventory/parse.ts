/**
 * Inventory text (YAML, or JSON, which is YAML) to an Inventory. The data comes from js-yaml, which reads
 * a 200-node inventory several times faster than the yaml library; the yaml syntax tree, which knows the
 * line of every field, is built only when a line is asked for (an error, `inventory`'s "Defined at"), so
 * each error still says file:line: field and a listing never pays for it.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import { ConfigError } from '../errors.js';
import { readPlainInventoryText } from './plain-yaml.js';
import { buildInventory, type FieldLocator, type SchemaOptions } from './schema.js';
import type { Inventory } from './types.js';

export interface ParseOptions extends SchemaOptions {
  /** The inventory sits under this top-level key (package.json's "glance-cache"). */
  key?: string | undefined;
}

export function parseInventory(text: string, file: string, options: ParseOptions = {}): Inventory {
  const { data, where } = readInventoryText(text, file, options.key);
  return buildInventory(data, where, options);
}

/** The text as plain data, with the line of every field, before the schema (and include:) is applied. */
export function readInventoryText(text: string, file: string, key?: string): { data: unknown; where: FieldLocator } {
  let data: unknown;
  try {
    data = readPlainInventoryText(text, key);
  } catch {
    // What js-yaml refuses, the yaml library reads or refuses with the line: what is an inventory stays its call.
    return readWithLines(text, file, key);
  }
  let lineOf: FieldLocator['lineOf'] | undefined;
  return { data, where: { file, lineOf: (field) => (lineOf ??= readWithLines(text, file, key).where.lineOf)(field) } };
}

function readWithLines(text: string, file: string, key?: string): { data: unknown; where: FieldLocator } {
  const lineCounter = new LineCounter();
  // merge: operators share settings between entries with YAML anchors and "<<: *defaults".
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true });
  const syntaxError = doc.errors[0];
  if (syntaxError) {
    throw new ConfigError({ file, line: lineCounter.linePos(syntaxError.pos[0]).line }, `not valid YAML: ${syntaxError.message}`);
  }
  const root = key === undefined ? doc.contents : isMap(doc.contents) ? doc.contents.get(key, true) : undefined;
  const lines = new Map<string, number>();
  indexLines(root, '', { file, doc, lines, lineOf: (offset) => lineCounter.linePos(offset).line });
  let data: unknown;
  try {
    const whole: unknown = doc.toJS();
    data = key === undefined ? whole : (whole as Record<string, unknown> | null)?.[key];
  } catch (error) {
    throw new ConfigError({ file }, `not valid YAML: ${(error as Error).message}`);
  }
  return { data, where: { file, lineOf: (field) => nearestLine(lines, field) } };
}

interface IndexContext {
  file: string;
  doc: Document;
  lines: Map<string, number>;
  lineOf(offset: number): number;
}

/** Records the line of every field ("nodes[2].url") and rejects what plain data cannot hold. */
function indexLines(node: unknown, field: string, context: IndexContext): void {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  if (range && !context.lines.has(field)) context.lines.set(field, context.lineOf(range[0]));
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key)) {
        const line = nearestLine(context.lines, field);
        throw new ConfigError({ file: context.file, line, field: field || undefined }, 'keys must be plain words');
      }
      const key = String(pair.key.value);
      // Fields merged in by "<<" are located at the entry that merges them (nearestLine).
      if (key === '<<') continue;
      const child = field ? `${field}.${key}` : key;
      if (pair.key.range) context.lines.set(child, context.lineOf(pair.key.range[0]));
      indexLines(pair.value, child, context);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => indexLines(item, `${field}[${i}]`, context));
  } else if (isAlias(node) && !node.resolve(context.doc)) {
    throw new ConfigError(
      { file: context.file, line: nearestLine(context.lines, field), field },
      `alias *${node.source} has no anchor &${node.source} before it`,
    );
  }
}

/** A field's own line, else its closest parent's: fields from anchors and "<<" have no line of their own. */
function nearestLine(lines: Map<string, number>, field: string): number | undefined {
  for (let current = field; ; current = parentField(current)) {
    const line = lines.get(current);
    if (line !== undefined || current === '') return line;
  }
}

function parentField(field: string): string {
  const parent = field.replace(/(\.[^.[\]]*|\[\d+\])$/, '');
  return parent === field ? '' : parent;
}
