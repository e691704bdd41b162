import { ACT_COLUMNS } from '../../column-keys.js';
import { defineCommand } from '../../spec.js';
import { SYNC_OPTIONS } from './options.js';

export const syncSpec = defineCommand({
  name: 'sync',
  aliases: [],
  summary: 'converge the selected nodes on a target state: N copies of each image, or what one node holds',
  description:
    'With --replicas N, every image cached somewhere ends up cached on at least N of the selected nodes, each new copy going to the node holding the fewest bytes. With --like NODE, every selected node ends up holding what NODE holds (NODE itself is never changed). --images limits both to the given images; --delete also removes what the target state does not contain (with --replicas: copies beyond N, from the fullest nodes); --wait follows the nodes until the new copies are cached. Images Glance cannot serve are never queued. Prints the plan first and asks on a terminal; without one, --yes is required.',
  args: [],
  options: SYNC_OPTIONS,
  columns: ACT_COLUMNS,
  examples: [
    { command: 'glance-cache sync --replicas 2 --all-nodes', description: 'every cached image on at least two nodes' },
    { command: 'glance-cache sync --like glance01 -n glance[04-06] --delete --dry-run', description: 'show how to make three new nodes mirror glance01' },
  ],
  load: () => import('./run.js'),
});
