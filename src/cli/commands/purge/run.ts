import { countPlan, planPurge, plural } from '../../../core/plan.js';
import type { CommandContext } from '../../context.js';
import { act, cachedCopySizes, nodeAccess, plannable, withListing } from '../../act/act.js';
import { actOptions } from '../../act/options.js';
import { glanceView, resolveActImages } from '../../act/images.js';
import type { PurgeOptions } from './options.js';

export async function run(context: CommandContext, args: string[], options: PurgeOptions): Promise<number> {
  const settings = actOptions(options);
  return withListing(context, { connectionsPerNode: settings.nodeConcurrency, withImages: true, alongside: (fleet) => resolveActImages(fleet, args, context.signal, { describeIds: false }) }, async (run) => {
    const images = run.extra.map((image) => image.id);
    const plan = planPurge(plannable(run), images);
    const counts = countPlan(plan.actions);
    const glance = glanceView(run.result.images, run.extra);
    const access = nodeAccess(run);
    const cachedSize = cachedCopySizes(run, plan.actions);
    const result = await act(context, {
      run,
      actions: plan.actions,
      already: plan.already,
      withheld: (node) => images.map((image) => ({ node, image, action: 'delete' })),
      summary: `purge ${plural(counts.images, 'image')} from ${plural(counts.nodes, 'node')} (${plural(plan.actions.length, 'deletion')})`,
      alreadyState: 'already absent',
      nothingToDo: `nothing to purge: no node caches or queues ${images.length === 1 ? 'this image' : 'these images'}`,
      doing: 'Purging',
      // Glance answers 404 only when the image is neither in Glance nor on the node: someone purged it first.
      send: async (action, signal) => {
        const { client, api } = access(action.node);
        return (await client.dequeueOrDelete(api, action.image!, signal)) === 'deleted' ? 'done' : 'already';
      },
      // A queued image frees nothing: only a cached copy has a size in the listing.
      freedBy: (action) => cachedSize(action.node, action.image!) ?? null,
      policyOf: () => 'delete',
      nameOf: (id) => glance.get(id)?.name ?? null,
      options: settings,
    });
    return result.exitCode;
  });
}
