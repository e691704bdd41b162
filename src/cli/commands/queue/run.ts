import { countPlan, planQueue, plural } from '../../../core/plan.js';
import { UsageError } from '../../../errors.js';
import type { ResolvedImage } from '../../../fleet/resolve-images.js';
import type { CommandContext } from '../../context.js';
import { act, legacyQueueNotes, nodeAccess, plannable, withListing } from '../../act/act.js';
import { glanceView, resolveActImages } from '../../act/images.js';
import { actOptions, waitTimeout } from '../../act/options.js';
import { followUntilCached } from '../../act/wait.js';
import type { QueueOptions } from './options.js';

export async function run(context: CommandContext, args: string[], options: QueueOptions): Promise<number> {
  const settings = actOptions(options);
  const waitMs = waitTimeout(options);
  return withListing(context, { connectionsPerNode: settings.nodeConcurrency, withImages: true, alongside: (fleet) => resolveActImages(fleet, args, context.signal, { describeIds: true }) }, async (run) => {
    refuseInactive(run.extra);
    const images = run.extra.map((image) => image.id);
    const plan = planQueue(plannable(run), images);
    const counts = countPlan(plan.actions);
    const glance = glanceView(run.result.images, run.extra);
    const access = nodeAccess(run);
    const result = await act(context, {
      run,
      actions: plan.actions,
      already: plan.already,
      withheld: (node) => images.map((image) => ({ node, image, action: 'queue' })),
      summary: `queue ${plural(counts.images, 'image')} on ${plural(counts.nodes, 'node')} (${plural(plan.actions.length, 'request')})`,
      alreadyState: 'already cached or queued',
      nothingToDo: `nothing to queue: every node already caches or queues ${images.length === 1 ? 'this image' : 'these images'}`,
      doing: 'Queueing',
      send: async (action, signal) => {
        const { client, api } = access(action.node);
        await client.queueImage(api, action.image!, signal);
        return 'done';
      },
      policyOf: () => 'queue',
      nameOf: (id) => glance.get(id)?.name ?? null,
      noteOf: legacyQueueNotes(context, run, plan.actions),
      follow: waitMs === null ? undefined : (outcomes) => followUntilCached(context, run, access, outcomes, waitMs),
      options: settings,
    });
    return result.exitCode;
  });
}

/** Glance answers 404 or 400 to a queue request for these: refuse them before anything is sent. */
function refuseInactive(images: readonly ResolvedImage[]): void {
  const refused = images.flatMap((image) => {
    if (image.info === null) return [`${image.argument} is not in Glance (deleted, or not visible to this project)`];
    if (image.info.status !== 'active') return [`${image.info.name ?? image.id} (${image.id}) is '${image.info.status}' in Glance, not active`];
    return [];
  });
  if (refused.length > 0) throw new UsageError(`cannot queue: ${refused.join('; ')}; only active images can be cached`);
}
