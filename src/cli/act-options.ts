/** The options every acting command takes, as command-tree options; act.ts reads their values. */
import type { OptionSpec } from './spec.js';

export const DEFAULT_NODE_CONCURRENCY = 4;

export const CONFIRM_OPTIONS: readonly OptionSpec[] = [
  { flags: '-y, --yes', description: 'act without asking (required when there is no terminal to ask on)' },
  { flags: '--dry-run', description: 'print the plan and send nothing' },
];

export const NODE_CONCURRENCY_OPTION: OptionSpec = {
  flags: '--node-concurrency <n>',
  description: 'actions in flight at once on one node',
  defaultText: String(DEFAULT_NODE_CONCURRENCY),
};

/** For the commands that queue images (queue, sync); act-wait.ts does the waiting. */
export const WAIT_OPTIONS: readonly OptionSpec[] = [
  { flags: '--wait', description: 'follow each node until the queued images are cached, then report' },
  { flags: '--wait-timeout <duration>', description: 'how long --wait follows a node (implies --wait)', defaultText: '10m' },
];
