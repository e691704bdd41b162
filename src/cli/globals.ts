/**
 * Global flags, validated once into typed values: every check that can fail before a request is
 * made happens here, so a usage error never follows a partial run.
 */
import { UsageError } from '../errors.js';
import { parseTimeout } from '../core/units.js';
import type { ColourMode, OutStream } from '../output/io.js';
import { unknownColumnMessage, unknownColumns } from '../output/columns.js';
import type { AuthFlags } from '../auth/settings.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../output/render.js';

export interface GlobalOptions {
  inventory?: string | undefined;
  nodes: string[];
  exclude: string[];
  allNodes: boolean;
  /** -l key=value, as given: src/inventory checks them against the labels. */
  labels: string[];
  format: OutputFormat;
  /** A header row in tables, csv and tsv, piped or not, unless --no-headers. */
  headers: boolean;
  columns: string[];
  /** --sort-column, in the order given: later ones break ties. */
  sortColumns: string[];
  sortDescending: boolean;
  /** The widest line a table may have; null: no limit (piped, --wide, --max-width 0). */
  tableWidth: number | null;
  /** --noindent: JSON on one line. */
  indent: boolean;
  colour: ColourMode;
  quiet: boolean;
  verbose: boolean;
  debug: boolean;
  fanout: number;
  timeoutMs?: number | undefined;
  connectTimeoutMs?: number | undefined;
  /** --cacert: the nodes' CA bundle, below a node's own cacert: in the inventory. */
  cacert?: string | undefined;
  /** --insecure: no TLS verification of the nodes, unless a node's insecure: says otherwise. */
  insecure: boolean;
  /** The --os-* and --no-auth values, for src/auth. */
  auth: AuthFlags;
}

export const DEFAULT_FANOUT = 64;
/** --fit-width where the terminal does not say how wide it is (piped). */
const FALLBACK_WIDTH = 80;

/**
 * `columns`: what the command's list may show (CommandSpec.columns), so an unknown -c or --sort-column
 * stops the run before any node is contacted; undefined for a command without a list.
 */
export function parseGlobalOptions(raw: Record<string, unknown>, stdout: OutStream, columns?: readonly string[]): GlobalOptions {
  const format = outputFormat(raw, stdout);
  const fanout = raw.fanout === undefined ? DEFAULT_FANOUT : /^\d+$/.test(String(raw.fanout)) ? Number(raw.fanout) : NaN;
  if (!Number.isInteger(fanout) || fanout < 1 || fanout > 10_000) throw new UsageError(`--fanout: '${String(raw.fanout)}' is not a whole number from 1 to 10000`);
  const auth: AuthFlags = Object.fromEntries(Object.entries(raw).filter(([key]) => /^os[A-Z]/.test(key) || key === 'auth'));
  const wanted = (raw.column as string[] | undefined) ?? [];
  const sortColumns = (raw.sortColumn as string[] | undefined) ?? [];
  if (columns) {
    for (const [flag, names] of [['-c', wanted], ['--sort-column', sortColumns]] as const) {
      const unknown = unknownColumns(columns, names);
      if (unknown.length > 0) throw new UsageError(unknownColumnMessage(flag, unknown, columns));
    }
  }
  if (raw.sortAscending && raw.sortDescending) throw new UsageError('--sort-ascending conflicts with --sort-descending');
  return {
    inventory: raw.inventory as string | undefined,
    nodes: (raw.nodes as string[] | undefined) ?? [],
    exclude: (raw.exclude as string[] | undefined) ?? [],
    allNodes: Boolean(raw.allNodes),
    labels: (raw.label as string[] | undefined) ?? [],
    format,
    headers: raw.headers !== false,
    columns: wanted,
    sortColumns,
    sortDescending: Boolean(raw.sortDescending),
    tableWidth: tableWidth(raw, stdout),
    indent: !raw.noindent,
    colour: (raw.color as ColourMode | undefined) ?? 'auto',
    quiet: Boolean(raw.quiet),
    verbose: Boolean(raw.verbose),
    debug: Boolean(raw.debug),
    fanout,
    timeoutMs: durationFlag(raw.timeout, '--timeout'),
    connectTimeoutMs: durationFlag(raw.connectTimeout, '--connect-timeout'),
    cacert: raw.cacert as string | undefined,
    insecure: Boolean(raw.insecure),
    auth,
  };
}

/** -f, its synonym -o and --json must agree; piped without one is tsv, exactly as -f tsv. */
function outputFormat(raw: Record<string, unknown>, stdout: OutStream): OutputFormat {
  const given = [...(raw.format ? [['-f', raw.format]] : []), ...(raw.output ? [['-o', raw.output]] : []), ...(raw.json ? [['--json', 'json']] : [])] as [string, string][];
  for (const [flag, format] of given) {
    if (!(OUTPUT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`${flag}: unknown format '${format}'; choose from ${OUTPUT_FORMATS.join(', ')}`);
  }
  const conflict = given.find(([, format]) => format !== given[0]![1]);
  if (conflict) throw new UsageError(`${given[0]![0]} ${given[0]![1]} conflicts with ${conflict[0]}${conflict[0] === '--json' ? '' : ` ${conflict[1]}`}`);
  return (given[0]?.[1] as OutputFormat | undefined) ?? (stdout.isTTY ? 'table' : 'tsv');
}

/** On a terminal, its width; piped, no limit unless --fit-width; --max-width and --wide override both. */
function tableWidth(raw: Record<string, unknown>, stdout: OutStream): number | null {
  if (raw.maxWidth !== undefined) {
    const text = String(raw.maxWidth);
    if (!/^\d+$/.test(text)) throw new UsageError(`--max-width: '${text}' is not a whole number (0 for no limit)`);
    if (raw.wide && Number(text) > 0) throw new UsageError(`--wide conflicts with --max-width ${text}`);
    return Number(text) === 0 ? null : Number(text);
  }
  if (raw.wide) return null;
  if (stdout.isTTY || raw.fitWidth) return stdout.columns && stdout.columns > 0 ? stdout.columns : FALLBACK_WIDTH;
  return null;
}

function durationFlag(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseTimeout(String(value));
  } catch (error) {
    throw new UsageError(`${flag}: ${(error as Error).message}`);
  }
}
