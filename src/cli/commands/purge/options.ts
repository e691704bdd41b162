import { CONFIRM_OPTIONS, NODE_CONCURRENCY_OPTION } from '../../act/options.js';
import type { OptionSet, OptionValues } from '../../spec.js';

export const PURGE_OPTIONS = {
  ...CONFIRM_OPTIONS,
  ...NODE_CONCURRENCY_OPTION,
} as const satisfies OptionSet;

export type PurgeOptions = OptionValues<typeof PURGE_OPTIONS>;
