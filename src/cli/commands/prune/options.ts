/**
 * The flags of `prune`, and their values checked into typed settings before anything is locked, read or sent.
 */
import type { PrunePolicy, SizeLimit } from '../../../core/plan-prune.js';
import { parseSize } from '../../../core/units.js';
import { UsageError } from '../../../errors.js';
import { CONFIRM_OPTIONS, NODE_CONCURRENCY_OPTION } from '../../act/options.js';
import { positiveDuration, wholeNumber } from '../../flag-values.js';
import type { OptionSet, OptionValues } from '../../spec.js';

export const PRUNE_OPTIONS = {
  maxSize: { flags: '--max-size <size>', description: "each node's cache limit: a size (50GiB) or a share of its inventory max_size (80%)", defaultText: "the node's inventory max_size" },
  olderThan: { flags: '--older-than <duration>', description: 'also evict copies not read for this long (30d, 12h)' },
  orphans: { flags: '--orphans', description: 'also evict images Glance no longer serves (deleted or not active)' },
  maxReplicas: { flags: '--max-replicas <n>', description: 'keep at most N copies of each image across the selected nodes, where it is read most' },
  keep: { flags: '--keep <image>', description: "never evict this image (ID or name; comma-separated, repeatable), as the inventory's protect: list", repeatable: true, complete: 'images' },
  maxDeletes: { flags: '--max-deletes <n>', description: 'when the plan has more deletions than this, print it, delete nothing and exit 2' },
  serverSide: { flags: '--server-side', description: 'let nodes with API v2.18 prune themselves (POST /v2/cache/prune) instead of the size limit' },
  lock: { flags: '--lock <file>', description: 'lock file that keeps two runs from overlapping', defaultText: '$XDG_RUNTIME_DIR/glance-cache/prune.lock, else /tmp/glance-cache-$UID/prune.lock', complete: 'files' },
  summary: { flags: '--summary <file>', description: "write the plan and the outcome per node and image as JSON to this file (atomically; mode 0600, or the existing file's)", complete: 'files' },
  metricsFile: {
    flags: '--metrics-file <file>',
    description: "write Prometheus metrics for node_exporter's textfile collector to this file (atomically; mode 0600, or the existing file's: create it 0644 once for a node_exporter running as another user)",
    complete: 'files',
  },
  ...CONFIRM_OPTIONS,
  ...NODE_CONCURRENCY_OPTION,
} as const satisfies OptionSet;

export type PruneOptions = OptionValues<typeof PRUNE_OPTIONS>;

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

export function pruneSettings(options: PruneOptions): PruneSettings {
  const maxSize = options.maxSize ?? null;
  const olderThan = options.olderThan ?? null;
  const serverSide = Boolean(options.serverSide);
  if (serverSide && maxSize !== null) {
    throw new UsageError('--server-side: nodes that prune themselves use their own image_cache_max_size; drop --max-size, or drop --server-side to prune to it client-side');
  }
  return {
    policy: {
      maxSize: maxSize === null ? null : sizeLimit(maxSize),
      olderThanMs: olderThan === null ? null : positiveDuration(olderThan, '--older-than'),
      orphans: Boolean(options.orphans),
      maxReplicas: options.maxReplicas === undefined ? null : wholeNumber(options.maxReplicas, '--max-replicas', 1),
      maxDeletes: options.maxDeletes === undefined ? null : wholeNumber(options.maxDeletes, '--max-deletes', 0),
      serverSide,
    },
    keep: (options.keep ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean),
    given: { maxSize, olderThan },
    lock: options.lock,
    summary: options.summary,
    metricsFile: options.metricsFile,
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
