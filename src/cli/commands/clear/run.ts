import { CLEAR_ACTIONS, countPlan, planClear, plural } from '../../../core/plan.js';
import { UsageError } from '../../../errors.js';
import type { ClearTarget } from '../../../core/model.js';
import type { CommandContext } from '../../context.js';
import { act, nodeAccess, plannable, withListing } from '../../act/act.js';
import { actOptions } from '../../act/options.js';
import type { ClearOptions } from './options.js';

const TARGETS: { flag: string; key: 'cache' | 'queue' | 'all'; target: ClearTarget }[] = [
  { flag: '--cache', key: 'cache', target: 'cache' },
  { flag: '--queue', key: 'queue', target: 'queue' },
  { flag: '--all', key: 'all', target: 'both' },
];

export async function run(context: CommandContext, _args: string[], options: ClearOptions): Promise<number> {
  const settings = actOptions(options);
  const chosen = TARGETS.filter((candidate) => options[candidate.key]);
  if (chosen.length !== 1) throw new UsageError(`clear: choose exactly one of ${TARGETS.map((candidate) => candidate.flag).join(', ')}`);
  const target = chosen[0]!.target;
  return withListing(context, { withImages: false }, async (run) => {
    const plan = planClear(plannable(run), target);
    const planned = new Set(plan.actions.map((action) => action.node));
    const cleared = run.result.listings.filter((listing) => planned.has(listing.name));
    const cached = cleared.reduce((total, listing) => total + (listing.cache?.cached.length ?? 0), 0);
    const queued = cleared.reduce((total, listing) => total + (listing.cache?.queued.length ?? 0), 0);
    const nodes = plural(countPlan(plan.actions).nodes, 'node');
    const summary = {
      cache: `clear the cache of ${nodes} (${plural(cached, 'cached image')})`,
      queue: `clear the queue of ${nodes} (${plural(queued, 'queued image')})`,
      both: `clear cache and queue of ${nodes} (${cached} cached, ${plural(queued, 'queued image')})`,
    }[target];
    const what = { cache: 'cache', queue: 'queue', both: 'cache and queue' }[target];
    const access = nodeAccess(run);
    const result = await act(context, {
      run,
      actions: plan.actions,
      already: plan.already,
      withheld: (node) => [{ node, image: null, action: CLEAR_ACTIONS[target] }],
      summary,
      alreadyState: `${what} already empty`,
      nothingToDo: `nothing to clear: the ${what} of every node is empty`,
      doing: 'Clearing',
      send: async (action, signal) => {
        const { client, api } = access(action.node);
        await client.clear(api, target, signal);
        return 'done';
      },
      policyOf: () => 'delete',
      nameOf: () => null,
      options: settings,
    });
    return result.exitCode;
  });
}
