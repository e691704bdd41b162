/**
 * The proof a cron run leaves behind (--summary FILE): when it ran, how it ended, what it planned and
 * what became of each action on each node, as one JSON document written atomically.
 */
import type { NodeTally } from '../core/prune-tally.js';
import type { SecretScrubber } from '../http/redact.js';
import { escapeJsonControls } from '../output/sanitize.js';
import { reportMode, writeFileAtomic } from './atomic-file.js';

export interface SummaryInput {
  /** Epoch milliseconds. */
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  /** The one-line error that ended the run, if one did. */
  error: string | null;
  /** The command's JSON document (plan, outcome, nodes...), or null when the run ended before it had one. */
  document: Record<string, unknown> | null;
  tallies: readonly NodeTally[];
}

export function summaryDocument(input: SummaryInput): Record<string, unknown> {
  return {
    started_at: new Date(input.startedAt).toISOString(),
    finished_at: new Date(input.finishedAt).toISOString(),
    duration_seconds: Math.round(input.finishedAt - input.startedAt) / 1000,
    exit_code: input.exitCode,
    error: input.error,
    results: input.tallies.map((tally) => ({ node: tally.node, freed_bytes: tally.freedBytes, freed_images: tally.freedImages, failed: tally.failed, interrupted: tally.interrupted })),
    ...input.document,
  };
}

/** Nodes' answers are in the document (image names, error messages): scrubbed and escaped as stdout's JSON is. */
export async function writeSummaryFile(path: string, input: SummaryInput, scrubber: SecretScrubber): Promise<void> {
  await writeFileAtomic(path, `${escapeJsonControls(JSON.stringify(scrubber.scrubValue(summaryDocument(input)), null, 2))}\n`, await reportMode(path));
}
