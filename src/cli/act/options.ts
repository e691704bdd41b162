/** The options every acting command takes, and their values checked before anything is sent. */
import { parseTimeout } from '../../core/units.js';
import { UsageError } from '../../errors.js';
import type { OptionSet, OptionValues } from '../spec.js';

export const DEFAULT_NODE_CONCURRENCY = 4;
const MAX_NODE_CONCURRENCY = 64;
const DEFAULT_WAIT_MS = 10 * 60_000;

export const CONFIRM_OPTIONS = {
  yes: { flags: '-y, --yes', description: 'act without asking (required when there is no terminal to ask on)' },
  dryRun: { flags: '--dry-run', description: 'print the plan and send nothing' },
} as const satisfies OptionSet;

export const NODE_CONCURRENCY_OPTION = {
  nodeConcurrency: { flags: '--node-concurrency <n>', description: 'actions in flight at once on one node', defaultText: String(DEFAULT_NODE_CONCURRENCY) },
} as const satisfies OptionSet;

/** For the commands that queue images (queue, sync); wait.ts does the waiting. */
export const WAIT_OPTIONS = {
  wait: { flags: '--wait', description: 'follow each node until the queued images are cached, then report' },
  waitTimeout: { flags: '--wait-timeout <duration>', description: 'how long --wait follows a node (implies --wait)', defaultText: '10m' },
} as const satisfies OptionSet;

export interface ActOptions {
  yes: boolean;
  dryRun: boolean;
  nodeConcurrency: number;
}

export function actOptions(options: OptionValues<typeof CONFIRM_OPTIONS & typeof NODE_CONCURRENCY_OPTION>): ActOptions {
  const raw = options.nodeConcurrency;
  const nodeConcurrency = raw === undefined ? DEFAULT_NODE_CONCURRENCY : /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(nodeConcurrency) || nodeConcurrency < 1 || nodeConcurrency > MAX_NODE_CONCURRENCY) {
    throw new UsageError(`--node-concurrency: '${String(raw)}' is not a whole number from 1 to ${MAX_NODE_CONCURRENCY}`);
  }
  return { yes: Boolean(options.yes), dryRun: Boolean(options.dryRun), nodeConcurrency };
}

/** How long --wait follows a node, or null without --wait; --wait-timeout alone means --wait too. */
export function waitTimeout(options: OptionValues<typeof WAIT_OPTIONS>): number | null {
  if (options.waitTimeout === undefined) return options.wait ? DEFAULT_WAIT_MS : null;
  try {
    return parseTimeout(options.waitTimeout);
  } catch (error) {
    throw new UsageError(`--wait-timeout: ${(error as Error).message}`);
  }
}
