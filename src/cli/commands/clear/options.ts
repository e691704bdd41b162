import { CONFIRM_OPTIONS } from '../../act/options.js';
import type { OptionSet, OptionValues } from '../../spec.js';

export const CLEAR_OPTIONS = {
  cache: { flags: '--cache', description: 'delete every cached image' },
  queue: { flags: '--queue', description: 'empty the queue' },
  all: { flags: '--all', description: 'both the cache and the queue' },
  ...CONFIRM_OPTIONS,
} as const satisfies OptionSet;

export type ClearOptions = OptionValues<typeof CLEAR_OPTIONS>;
