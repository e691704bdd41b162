import { ACT_COLUMNS } from '../../column-keys.js';
import { defineCommand } from '../../spec.js';
import { CLEAR_OPTIONS } from './options.js';

export const clearSpec = defineCommand({
  name: 'clear',
  aliases: [],
  summary: 'empty the cache, the queue, or both, of the selected nodes',
  description:
    'One clear request per selected node whose chosen list is not already empty. Prints the plan first and asks on a terminal; without one, --yes is required.',
  args: [],
  options: CLEAR_OPTIONS,
  columns: ACT_COLUMNS,
  examples: [
    { command: 'glance-cache clear --cache -n glance03', description: 'empty the cache of one node, after confirming' },
    { command: 'glance-cache clear --queue -a --yes', description: 'drop every queued image on every node, unattended' },
  ],
  load: () => import('./run.js'),
});
