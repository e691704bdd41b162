/**
 * The flags of `prune`, checked into typed values before anything is locked, read or sent.
 */
import type { PrunePolicy, SizeLimit } from '../core/plan-prune.js';
import { parseDuration, parseSize } from '../core/units.js';
import { UsageError } from '../errors.js';

export interface PruneSettings {
  /** Everything but the protect list, which joins the inventory's once it is read. */
  policy: Omit<PrunePolicy, 'protect'>;
  keep: string[];
  /** The flags as given, for the JSON document: "80%", "30d". */
  given: { maxSize: string | null; olderThan: string | null };
  lock: string | undefined;
  summary: string | undefined;
  metricsFile: string | undefined;
}

export function pruneSettings(options: Record<string, unknown>): PruneSettings {
  const maxSize = options.maxSize === undefined ? null : String(options.maxSize);
  const olderThan = options.olderThan === undefined ? null : String(options.olderThan);
  const serverSide = Boolean(options.serverSide);
  if (serverSide && maxSize !== null) {
    throw new UsageError('--server-side: nodes that prune themselves use their own image_cache_max_size; drop --max-size, or drop --server-side to prune to it client-side');
  }
  return {
    policy: {
      maxSize: maxSize === null ? null : sizeLimit(maxSize),
      olderThanMs: olderThan === null ? null : age(olderThan),
      orphans: Boolean(options.orphans),
      maxReplicas: options.maxReplicas === undefined ? null : wholeNumber(options.maxReplicas, '--max-replicas', 1),
      maxDeletes: options.maxDeletes === undefined ? null : wholeNumber(options.maxDeletes, '--max-deletes', 0),
      serverSide,
    },
    keep: ((options.keep as string[] | undefined) ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean),
    given: { maxSize, olderThan },
    lock: options.lock as string | undefined,
    summary: options.summary as string | undefined,
    metricsFile: options.metricsFile as string | undefined,
  };
}

function sizeLimit(text: string): SizeLimit {
  const percent = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(text);
  if (percent) {
    const value = Number(percent[1]);
    if (value > 100) throw new UsageError(`--max-size: '${text}' is more than 100% of max_size`);
    return { percent: value };
  }
  try {
    return { bytes: parseSize(text) };
  } catch (error) {
    throw new UsageError(`--max-size: ${(error as Error).message}, or a share of max_size like 80%`);
  }
}

function age(text: string): number {
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (error) {
    throw new UsageError(`--older-than: ${(error as Error).message}`);
  }
  if (ms <= 0) throw new UsageError(`--older-than: '${text}' must be longer than 0`);
  return ms;
}

function wholeNumber(raw: unknown, flag: string, min: number): number {
  const value = /^\d+$/.test(String(raw)) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min) throw new UsageError(`${flag}: '${String(raw)}' is not a whole number of ${min} or more`);
  return value;
}
