import { countPlan, plural } from '../../../core/plan.js';
import { planSync } from '../../../core/plan-sync.js';
import { ExitCode, GlanceCacheError, UsageError } from '../../../errors.js';
import type { CommandContext } from '../../context.js';
import { act, legacyQueueNotes, nodeAccess, plannable, withListing, withheldNodes, type PlanItem } from '../../act/act.js';
import { glanceView, resolveActImages } from '../../act/images.js';
import { actOptions, waitTimeout } from '../../act/options.js';
import { followUntilCached } from '../../act/wait.js';
import { imageArguments, syncTarget, type SyncOptions } from './options.js';

export async function run(context: CommandContext, _args: string[], options: SyncOptions): Promise<number> {
  const settings = actOptions(options);
  const waitMs = waitTimeout(options);
  const target = syncTarget(options);
  const imageArgs = imageArguments(options);
  return withListing(
    target.kind === 'like' ? withReference(context, target.reference) : context,
    { connectionsPerNode: settings.nodeConcurrency, withImages: true, alongside: (fleet) => resolveActImages(fleet, imageArgs, context.signal, { describeIds: true }) },
    async (run) => {
      if (target.kind === 'like') {
        const reference = run.result.listings.find((listing) => listing.name === target.reference);
        if (!reference) throw new UsageError(`--like ${target.reference}: that node is excluded from the selection`);
        if (!reference.ok) throw new GlanceCacheError(`--like ${target.reference}: the reference node did not answer; nothing was planned`, ExitCode.failed);
        if (withheldNodes(run).has(reference.name)) {
          throw new GlanceCacheError(`--like ${target.reference}: the reference node lists another node's records (see the warning above), so what it holds is unknown; nothing was planned`, ExitCode.failed);
        }
      }
      const listings = plannable(run);
      const usable = listings.filter((listing) => listing.ok).length;
      if (target.kind === 'replicas' && target.replicas > usable) {
        context.log.warn(`--replicas ${target.replicas}: only ${plural(usable, 'node')} ${usable === run.answered ? 'answered' : 'can be planned for'}; each image goes on all of them`);
      }
      const glance = glanceView(run.result.images, run.extra);
      const plan = planSync(listings, glance, { target, images: imageArgs.length ? run.extra.map((image) => image.id) : null, delete: Boolean(options.delete) });
      if (plan.unavailable.length > 0) {
        context.log.warn(`not copied: ${plural(plan.unavailable.length, 'image')} Glance cannot serve (deleted or not active): ${plan.unavailable.join(', ')}`);
      }
      const counts = countPlan(plan.actions);
      const queues = counts.byAction.get('queue') ?? 0;
      const deletes = counts.byAction.get('delete') ?? 0;
      const access = nodeAccess(run);
      const result = await act<PlanItem>(context, {
        run,
        actions: plan.actions,
        already: plan.already,
        // What sync would do there depends on what the node holds, which is what is unknown.
        withheld: (node) => [{ node, image: null, action: 'sync' }],
        summary: `sync ${plural(counts.images, 'image')} across ${plural(counts.nodes, 'node')} (${[`${plural(queues, 'copy', 'copies')} to queue`, ...(deletes ? [plural(deletes, 'deletion')] : [])].join(', ')})`,
        alreadyState: 'already in place',
        nothingToDo: 'nothing to sync: the nodes already hold the target state',
        doing: 'Syncing',
        send: async (action, signal) => {
          const { client, api } = access(action.node);
          if (action.action === 'queue') {
            await client.queueImage(api, action.image!, signal);
            return 'done';
          }
          return (await client.dequeueOrDelete(api, action.image!, signal)) === 'deleted' ? 'done' : 'already';
        },
        policyOf: (action) => (action.action === 'queue' ? 'queue' : 'delete'),
        nameOf: (id) => glance.get(id)?.name ?? null,
        noteOf: legacyQueueNotes(context, run, plan.actions),
        extra: { unavailable: plan.unavailable },
        follow: waitMs === null ? undefined : (outcomes) => followUntilCached(context, run, access, outcomes, waitMs),
        options: settings,
      });
      return result.exitCode;
    },
  );
}

/**
 * The reference node is listed with the selection, so `-n glance04 --like glance01` works; the plan never
 * touches it. With no selection at all the command would guess its targets: it must not.
 */
function withReference(context: CommandContext, reference: string): CommandContext {
  const { globals } = context;
  if (globals.allNodes) return context;
  if (globals.nodes.length === 0) throw new UsageError(`sync --like ${reference}: choose the nodes to change with -n or --all-nodes`);
  return { ...context, globals: { ...globals, nodes: [...globals.nodes, reference] } };
}
