import { LOCATION_KEYS } from '../../column-keys.js';
import { defineCommand } from '../../spec.js';

export const whereSpec = defineCommand({
  name: 'where',
  aliases: [],
  summary: 'show on which nodes the given images are cached or queued',
  description:
    "For each image, given by ID, by name or by a glob over the names ('cirros-*'), one row per node with its state there. Names are resolved through the images API: an ambiguous name is an error that lists the candidates, and a name or glob that matches nothing one that names the closest.",
  args: [{ name: 'image', description: "image ID, name or glob ('cirros-*': quote it from the shell)", required: true, variadic: true, complete: 'images' }],
  options: {},
  columns: { list: LOCATION_KEYS },
  examples: [
    { command: 'glance-cache where cirros-0.6.2 -a', description: 'which nodes hold cirros' },
    { command: "glance-cache where 'cirros-*' -a -f json | jq -r '.locations[] | select(.state == \"cached\") | .node'", description: 'the nodes caching any cirros image' },
  ],
  load: () => import('./run.js'),
});
