/**
 * The run's figures for node_exporter's textfile collector (Prometheus text exposition format 0.0.4),
 * written atomically. glance_cache_prune_last_success_timestamp_seconds moves only when a run
 * succeeds: a failed run carries the previous file's value over, so an alert on its age fires when
 * pruning keeps failing, not only when cron stops.
 */
import { readFile } from 'node:fs/promises';
import type { NodeTally } from '../core/prune-tally.js';
import type { SecretScrubber } from '../http/redact.js';
import { reportMode, writeFileAtomic } from './atomic-file.js';

export interface PruneMetrics {
  nodes: readonly NodeTally[];
  durationSeconds: number;
  /** When the run ended, epoch seconds. */
  finishedAt: number;
  success: boolean;
  /** Ended by Ctrl-C or SIGTERM: the nodes it did not finish are not failed, and this says why they were left. */
  interrupted: boolean;
}

const LAST_SUCCESS = 'glance_cache_prune_last_success_timestamp_seconds';

interface Family {
  name: string;
  help: string;
  samples: { labels?: Record<string, string>; value: number }[];
}

/** previousSuccess: the last success recorded before this run; null (never) is written as 0. */
export function renderMetrics(metrics: PruneMetrics, previousSuccess: number | null): string {
  const perNode = (pick: (node: NodeTally) => number) => metrics.nodes.map((node) => ({ labels: { node: node.node }, value: pick(node) }));
  const families: Family[] = [
    { name: 'glance_cache_prune_freed_bytes', help: 'Bytes of image cache freed on the node by the last prune run.', samples: perNode((node) => node.freedBytes) },
    { name: 'glance_cache_prune_freed_images', help: 'Cached images evicted from the node by the last prune run.', samples: perNode((node) => node.freedImages) },
    { name: 'glance_cache_prune_node_failed', help: '1 when the node failed in the last prune run (did not answer, or an action failed), else 0; an interrupt is no failure.', samples: perNode((node) => (node.failed ? 1 : 0)) },
    { name: 'glance_cache_prune_nodes_failed', help: 'Nodes that failed in the last prune run (not counting those an interrupt left unfinished).', samples: [{ value: metrics.nodes.filter((node) => node.failed).length }] },
    { name: 'glance_cache_prune_interrupted', help: '1 when the last prune run was interrupted (Ctrl-C, SIGTERM), else 0.', samples: [{ value: metrics.interrupted ? 1 : 0 }] },
    { name: 'glance_cache_prune_duration_seconds', help: 'Wall time of the last prune run.', samples: [{ value: metrics.durationSeconds }] },
    { name: 'glance_cache_prune_last_run_timestamp_seconds', help: 'When the last prune run ended, successful or not.', samples: [{ value: metrics.finishedAt }] },
    { name: LAST_SUCCESS, help: 'When the last successful prune run ended (0: never).', samples: [{ value: metrics.success ? metrics.finishedAt : (previousSuccess ?? 0) }] },
  ];
  return families.flatMap((family) => [`# HELP ${family.name} ${family.help}`, `# TYPE ${family.name} gauge`, ...family.samples.map((sample) => `${family.name}${labelText(sample.labels)} ${numberText(sample.value)}`)]).join('\n') + '\n';
}

/** The last-success value of a metrics file this module wrote; null when absent or unreadable. */
export function lastSuccessIn(text: string): number | null {
  const match = new RegExp(`^${LAST_SUCCESS} (\\S+)$`, 'm').exec(text);
  const value = match ? Number(match[1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : null;
}

/** Label values (node names) pass the scrubber; the numbers, which a numeric password could match, do not. */
export async function writeMetricsFile(path: string, metrics: PruneMetrics, scrubber: SecretScrubber): Promise<void> {
  let previous: string | null = null;
  try {
    previous = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const nodes = metrics.nodes.map((node) => ({ ...node, node: scrubber.scrub(node.node) }));
  await writeFileAtomic(path, renderMetrics({ ...metrics, nodes }, previous === null ? null : lastSuccessIn(previous)), await reportMode(path));
}

/** Label values escape backslash, double quote and line feed; nothing else needs it. */
function labelText(labels: Record<string, string> | undefined): string {
  if (!labels) return '';
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return `{${pairs.join(',')}}`;
}

function numberText(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}
