import { PRESENCES } from '../../../core/diff.js';
import type { OptionSet, OptionValues } from '../../spec.js';

export const DIFF_OPTIONS = {
  against: { flags: '--against <node>', description: 'compare every selected node with this one (added to -n when -n is given)', complete: 'nodes' },
  state: { flags: '--state <state>', description: 'what counts as on a node: cached, queued, or either (all)', choices: PRESENCES, defaultText: 'cached' },
  orphans: { flags: '--orphans', description: 'show cached images Glance no longer serves (bytes wasted per node) and drift instead of differences' },
} as const satisfies OptionSet;

export type DiffOptions = OptionValues<typeof DIFF_OPTIONS>;
