import { ACT_COLUMNS } from '../../column-keys.js';
import { defineCommand } from '../../spec.js';
import { QUEUE_OPTIONS } from './options.js';

export const queueSpec = defineCommand({
  name: 'queue',
  aliases: [],
  summary: 'cache images on the selected nodes',
  description:
    'Sends a queue request for each image to every selected node that neither caches nor queues it; a node on the /v2/cache API (Zed and later) starts caching it at once in the background (it lists the image as queued until the copy lands: --wait watches), a legacy node only queues it until its glance-cache-prefetcher runs. Images that are not active in Glance are refused before anything is sent. Prints the plan first and asks on a terminal; without one, --yes is required.',
  args: [{ name: 'image', description: 'image ID or name', required: true, variadic: true, complete: 'images' }],
  options: QUEUE_OPTIONS,
  columns: ACT_COLUMNS,
  examples: [
    { command: 'glance-cache queue ubuntu-24.04 cirros --all-nodes --wait', description: 'cache two images everywhere and watch them land' },
    { command: 'glance-cache queue cirros -n glance[01-02] --dry-run', description: 'show what would be sent' },
  ],
  load: () => import('./run.js'),
});
