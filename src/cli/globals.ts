/**
 * Global flags, validated once into typed values: every check that can fail before a request is
 * made happens here, so a usage error never follows a partial run.
 */
import { UsageError } from '../errors.js';
import { parseTimeout } from '../core/units.js';
import type { ColourMode, OutStream } from '../output/io.js';
import type { AuthFlags } from '../auth/settings.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../output/render.js';

export interface GlobalOptions {
  inventory?: string | undefined;
  nodes: string[];
  exclude: string[];
  allNodes: boolean;
  format: OutputFormat;
  /** The implicit format when piped is tsv without headers, as gh does; explicit formats keep headers. */
  headers: boolean;
  columns: string[];
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

export function parseGlobalOptions(raw: Record<string, unknown>, stdout: OutStream): GlobalOptions {
  const explicitFormat = raw.json ? 'json' : (raw.output as string | undefined);
  if (raw.json && raw.output && raw.output !== 'json') throw new UsageError(`--json conflicts with -o ${String(raw.output)}`);
  if (explicitFormat && !(OUTPUT_FORMATS as readonly string[]).includes(explicitFormat)) {
    throw new UsageError(`-o: unknown format '${explicitFormat}'; choose from ${OUTPUT_FORMATS.join(', ')}`);
  }
  const format: OutputFormat = (explicitFormat as OutputFormat | undefined) ?? (stdout.isTTY ? 'table' : 'tsv');
  const fanout = raw.fanout === undefined ? DEFAULT_FANOUT : /^\d+$/.test(String(raw.fanout)) ? Number(raw.fanout) : NaN;
  if (!Number.isInteger(fanout) || fanout < 1 || fanout > 10_000) throw new UsageError(`--fanout: '${String(raw.fanout)}' is not a whole number from 1 to 10000`);
  const auth: AuthFlags = Object.fromEntries(Object.entries(raw).filter(([key]) => /^os[A-Z]/.test(key) || key === 'auth'));
  return {
    inventory: raw.inventory as string | undefined,
    nodes: (raw.nodes as string[] | undefined) ?? [],
    exclude: (raw.exclude as string[] | undefined) ?? [],
    allNodes: Boolean(raw.allNodes),
    format,
    headers: raw.headers !== false && (explicitFormat !== undefined || format === 'table'),
    columns: (raw.column as string[] | undefined) ?? [],
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

function durationFlag(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseTimeout(String(value));
  } catch (error) {
    throw new UsageError(`${flag}: ${(error as Error).message}`);
  }
}
