import { CONFIRM_OPTIONS, NODE_CONCURRENCY_OPTION, WAIT_OPTIONS } from '../../act/options.js';
import type { OptionSet, OptionValues } from '../../spec.js';

export const QUEUE_OPTIONS = {
  ...WAIT_OPTIONS,
  ...CONFIRM_OPTIONS,
  ...NODE_CONCURRENCY_OPTION,
} as const satisfies OptionSet;

export type QueueOptions = OptionValues<typeof QUEUE_OPTIONS>;
