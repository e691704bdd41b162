import { IMAGE_SORT_KEYS } from '../../../core/merge.js';
import type { OptionSet, OptionValues } from '../../spec.js';

export const LS_OPTIONS = {
  perNode: { flags: '--per-node', description: 'add a column per node: C cached, Q queued, . neither, ? no answer; in JSON, each node\'s record of its copy (copies)' },
  state: { flags: '--state <state>', description: 'which images to show', choices: ['all', 'cached', 'queued'], defaultText: 'all' },
  sort: { flags: '--sort <key>', description: 'sort order (numbers sort largest first)', choices: IMAGE_SORT_KEYS, defaultText: 'name' },
  orphans: { flags: '--orphans', description: 'only images some node caches that Glance no longer serves (deleted, deactivated, not active)' },
} as const satisfies OptionSet;

export type LsOptions = OptionValues<typeof LS_OPTIONS>;
