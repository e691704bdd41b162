import { CONFIRM_OPTIONS, NODE_CONCURRENCY_OPTION, WAIT_OPTIONS } from '../../act/options.js';
import type { SyncTarget } from '../../../core/plan-sync.js';
import { UsageError } from '../../../errors.js';
import type { OptionSet, OptionValues } from '../../spec.js';

export const SYNC_OPTIONS = {
  replicas: { flags: '--replicas <n>', description: 'copies of each image to keep across the selected nodes' },
  like: { flags: '--like <node>', description: 'make the selected nodes hold what this node holds', complete: 'nodes' },
  images: { flags: '--images <image>', description: 'only these images (IDs or names; comma-separated, repeatable)', repeatable: true, complete: 'images' },
  delete: { flags: '--delete', description: 'also remove what the target state does not contain' },
  ...WAIT_OPTIONS,
  ...CONFIRM_OPTIONS,
  ...NODE_CONCURRENCY_OPTION,
} as const satisfies OptionSet;

export type SyncOptions = OptionValues<typeof SYNC_OPTIONS>;

/** --replicas N or --like NODE: exactly one. */
export function syncTarget(options: SyncOptions): SyncTarget {
  if ((options.replicas === undefined) === (options.like === undefined)) throw new UsageError('sync: choose the target state with exactly one of --replicas N or --like NODE');
  if (options.like !== undefined) return { kind: 'like', reference: options.like };
  const replicas = /^\d+$/.test(options.replicas ?? '') ? Number(options.replicas) : NaN;
  if (!Number.isSafeInteger(replicas) || replicas < 1) throw new UsageError(`--replicas: '${String(options.replicas)}' is not a whole number of 1 or more`);
  return { kind: 'replicas', replicas };
}

/** --images, comma-separated and repeatable: the image arguments, as written. */
export function imageArguments(options: SyncOptions): string[] {
  return (options.images ?? []).flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean);
}
