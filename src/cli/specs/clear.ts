import { CONFIRM_OPTIONS } from '../act-options.js';
import type { CommandSpec } from '../spec.js';

export const clearSpec: CommandSpec = {
  name: 'clear',
  aliases: [],
  summary: 'empty the cache, the queue, or both, of the selected nodes',
  description:
    'One clear request per selected node whose chosen list is not already empty. Prints the plan first and asks on a terminal; without one, --yes is required.',
  args: [],
  options: [
    { flags: '--cache', description: 'delete every cached image' },
    { flags: '--queue', description: 'empty the queue' },
    { flags: '--all', description: 'both the cache and the queue' },
    ...CONFIRM_OPTIONS,
  ],
  examples: [
    { command: 'glance-cache clear --cache -n glance03', description: 'empty the cache of one node, after confirming' },
    { command: 'glance-cache clear --queue -a --yes', description: 'drop every queued image on every node, unattended' },
  ],
  load: async () => (await import('../commands/clear.js')).runClear,
};
