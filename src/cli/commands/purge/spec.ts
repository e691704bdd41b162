import { ACT_COLUMNS } from '../../column-keys.js';
import { defineCommand } from '../../spec.js';
import { PURGE_OPTIONS } from './options.js';

export const purgeSpec = defineCommand({
  name: 'purge',
  aliases: ['rm'],
  summary: 'drop images from the cache and queue of the selected nodes',
  description:
    'Deletes the images from the cache and the queue of every selected node that holds them, including orphans (images deleted in Glance but still cached: give their ID). Prints the plan first and asks on a terminal; without one, --yes is required.',
  args: [{ name: 'image', description: 'image ID or name', required: true, variadic: true, complete: 'images' }],
  options: PURGE_OPTIONS,
  columns: ACT_COLUMNS,
  examples: [
    { command: 'glance-cache purge cirros-0.6.2 --all-nodes', description: 'drop cirros from every node, after confirming' },
    { command: 'glance-cache rm 5d3c7a4e-0b7e-4a8e-9a51-1c2f3e4d5a6b -a --yes --json', description: 'drop an orphan everywhere, unattended, with the outcome as JSON' },
  ],
  load: () => import('./run.js'),
});
