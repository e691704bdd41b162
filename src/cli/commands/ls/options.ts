/**
 * The flags of `ls`, and their values checked into typed settings before any node is asked.
 */
import type { ImageFilter } from '../../../core/image-filter.js';
import { IMAGE_SORT_KEYS } from '../../../core/merge.js';
import { globMatcher } from '../../../core/name-match.js';
import { UsageError } from '../../../errors.js';
import { positiveDuration, wholeNumber } from '../../flag-values.js';
import type { OptionSet, OptionValues } from '../../spec.js';

export const LS_OPTIONS = {
  perNode: { flags: '--per-node', description: 'add a column per node: C cached, Q queued, . neither, ? no answer; in JSON, each node\'s record of its copy (copies)' },
  state: { flags: '--state <state>', description: 'which images to show', choices: ['all', 'cached', 'queued'], defaultText: 'all' },
  sort: { flags: '--sort <key>', description: 'sort order (numbers sort largest first)', choices: IMAGE_SORT_KEYS, defaultText: 'name' },
  orphans: { flags: '--orphans', description: 'only images some node caches that Glance no longer serves (deleted, deactivated, not active)' },
  name: { flags: '--name <glob>', description: "only images of this name, or matching this glob ('cirros-*', ? and [a-z] too); a name no listed image has is an error that suggests the closest", complete: 'images' },
  olderThan: { flags: '--older-than <duration>', description: "only images last read anywhere (Glance's last_accessed) longer ago than this (30d, 12h); images only queued have no last access and are left out" },
  newerThan: { flags: '--newer-than <duration>', description: 'only images last read somewhere within this (1h, 7d); images only queued are left out' },
  limit: { flags: '--limit <n>', description: 'show at most N images, after sorting; the totals still count every image that matched' },
} as const satisfies OptionSet;

export type LsOptions = OptionValues<typeof LS_OPTIONS>;

export interface LsSettings {
  filter: ImageFilter;
  limit: number | null;
}

export function lsSettings(options: LsOptions): LsSettings {
  const name = options.name ?? null;
  if (name !== null) {
    if (name === '') throw new UsageError('--name: empty name');
    try {
      globMatcher(name);
    } catch (error) {
      throw new UsageError(`--name: ${(error as Error).message}`);
    }
  }
  const olderThanMs = options.olderThan === undefined ? null : positiveDuration(options.olderThan, '--older-than');
  const newerThanMs = options.newerThan === undefined ? null : positiveDuration(options.newerThan, '--newer-than');
  if (olderThanMs !== null && newerThanMs !== null && newerThanMs <= olderThanMs) {
    throw new UsageError(`--newer-than ${options.newerThan!} with --older-than ${options.olderThan!} leaves no time between them: --newer-than must be the longer`);
  }
  return { filter: { name, olderThanMs, newerThanMs }, limit: options.limit === undefined ? null : wholeNumber(options.limit, '--limit', 1) };
}
