import { defineCommand } from '../../spec.js';

export const whereSpec = defineCommand({
  name: 'where',
  aliases: [],
  summary: 'show on which nodes the given images are cached or queued',
  description: 'For each image, given by ID or by name (names are resolved through the images API; an ambiguous name is an error that lists the candidates), one row per node with its state there.',
  args: [{ name: 'image', description: 'image ID or name', required: true, variadic: true, complete: 'images' }],
  options: {},
  examples: [{ command: 'glance-cache where cirros-0.6.2 -a', description: 'which nodes hold cirros' }],
  load: () => import('./run.js'),
});
