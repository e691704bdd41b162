import { CONFIRM_OPTIONS, NODE_CONCURRENCY_OPTION, WAIT_OPTIONS } from '../act-options.js';
import type { CommandSpec } from '../spec.js';

export const syncSpec: CommandSpec = {
  name: 'sync',
  aliases: [],
  summary: 'converge the selected nodes on a target state: N copies of each image, or what one node holds',
  description:
    'With --replicas N, every image cached somewhere ends up cached on at least N of the selected nodes, each new copy going to the node holding the fewest bytes. With --like NODE, every selected node ends up holding what NODE holds (NODE itself is never changed). --images limits both to the given images; --delete also removes what the target state does not contain (with --replicas: copies beyond N, from the fullest nodes); --wait follows the nodes until the new copies are cached. Images Glance cannot serve are never queued. Prints the plan first and asks on a terminal; without one, --yes is required.',
  args: [],
  options: [
    { flags: '--replicas <n>', description: 'copies of each image to keep across the selected nodes' },
    { flags: '--like <node>', description: 'make the selected nodes hold what this node holds', complete: 'nodes' },
    { flags: '--images <image>', description: 'only these images (IDs or names; comma-separated, repeatable)', repeatable: true, complete: 'images' },
    { flags: '--delete', description: 'also remove what the target state does not contain' },
    ...WAIT_OPTIONS,
    ...CONFIRM_OPTIONS,
    NODE_CONCURRENCY_OPTION,
  ],
  examples: [
    { command: 'glance-cache sync --replicas 2 --all-nodes', description: 'every cached image on at least two nodes' },
    { command: 'glance-cache sync --like glance01 -n glance[04-06] --delete --dry-run', description: 'show how to make three new nodes mirror glance01' },
  ],
  load: async () => (await import('../commands/sync.js')).runSync,
};
