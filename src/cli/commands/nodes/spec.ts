import { NODE_KEYS } from '../../column-keys.js';
import { defineCommand } from '../../spec.js';

export const nodesSpec = defineCommand({
  name: 'nodes',
  aliases: [],
  summary: 'show each selected node: reachable, latency, API, cache driver, cache size and usage',
  description:
    'One row per node: whether it answered, how fast (its own round trip, the Keystone token aside), which cache API it speaks (cache or legacy) and its version, the cache driver when its listing shows it (centralized_db entries carry database row ids), how many images it caches and queues, usage against its max_size when the inventory declares one, and warnings: nodes listing the same cache records as another node (a shared worker_self_reference_url) are named, and the exit status is 3.',
  args: [],
  options: {},
  columns: { list: NODE_KEYS },
  examples: [
    { command: 'glance-cache nodes -a', description: 'health of every node\'s cache' },
    { command: 'glance-cache nodes -n @az1 --timeout 3s', description: 'the nodes of group az1, giving up on a node after 3 seconds' },
    { command: 'glance-cache nodes -a -f json', description: 'the same as JSON, for monitoring' },
  ],
  load: () => import('./run.js'),
});
