import { IMAGE_KEYS, PER_NODE_KEY } from '../../column-keys.js';
import { defineCommand } from '../../spec.js';
import { LS_OPTIONS } from './options.js';

export const lsSpec = defineCommand({
  name: 'ls',
  aliases: ['list'],
  summary: 'list cached and queued images across the selected nodes, merged',
  description:
    'Asks every selected node for its cache and shows one merged row per image: how many nodes cache it, where it is queued, total hits and the last access anywhere. With one node, that node\'s cache.',
  args: [],
  options: LS_OPTIONS,
  columns: { list: IMAGE_KEYS, when: { perNode: [...IMAGE_KEYS, PER_NODE_KEY] } },
  examples: [
    { command: 'glance-cache ls --all-nodes', description: 'the whole fleet in one table' },
    { command: 'glance-cache ls -n @az1 --per-node', description: 'one column per node of group az1' },
    { command: "glance-cache ls -a --name 'cirros-*' --older-than 30d", description: 'cirros images no node has read for 30 days, with their totals' },
    { command: 'glance-cache ls -a --json | jq \'.images[] | select(.cached_on | length < 2) | .id\'', description: 'images cached on fewer than two nodes' },
    { command: 'glance-cache ls -a -f json > /var/lib/glance-cache/ls.json', description: 'an hourly snapshot of the fleet\'s caches for monitoring (cron)', cron: '0 * * * *' },
  ],
  load: () => import('./run.js'),
});
