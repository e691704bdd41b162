import type { CommandSpec } from '../spec.js';

export const nodesSpec: CommandSpec = {
  name: 'nodes',
  aliases: [],
  summary: 'show each selected node: reachable, latency, API, cache size and usage',
  description: 'One row per node: whether it answered, how fast, which cache API it speaks (cache or legacy) and its version, how many images it caches and queues, and usage against its max_size when the inventory declares one.',
  args: [],
  options: [],
  examples: [{ command: 'glance-cache nodes -a', description: 'health of every node\'s cache' }],
  load: async () => (await import('../commands/nodes.js')).runNodes,
};
