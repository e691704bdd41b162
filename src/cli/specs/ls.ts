import { IMAGE_SORT_KEYS } from '../../core/merge.js';
import type { CommandSpec } from '../spec.js';

export const lsSpec: CommandSpec = {
  name: 'ls',
  aliases: ['list'],
  summary: 'list cached and queued images across the selected nodes, merged',
  description:
    'Asks every selected node for its cache and shows one merged row per image: how many nodes cache it, where it is queued, total hits and the last access anywhere. With one node, that node\'s cache.',
  args: [],
  options: [
    { flags: '--per-node', description: 'add a column per node: C cached, Q queued, . neither, ? no answer; in JSON, each node\'s record of its copy (copies)' },
    { flags: '--state <state>', description: 'which images to show', choices: ['all', 'cached', 'queued'], defaultText: 'all' },
    { flags: '--sort <key>', description: 'sort order (numbers sort largest first)', choices: IMAGE_SORT_KEYS, defaultText: 'name' },
    { flags: '--orphans', description: 'only images some node caches that Glance no longer serves (deleted, deactivated, not active)' },
  ],
  examples: [
    { command: 'glance-cache ls --all-nodes', description: 'the whole fleet in one table' },
    { command: 'glance-cache ls -n @az1 --per-node', description: 'one column per node of group az1' },
    { command: 'glance-cache ls -a --json | jq \'.images[] | select(.cached_on | length < 2) | .id\'', description: 'images cached on fewer than two nodes' },
    { command: 'glance-cache ls -a -o json > /var/lib/glance-cache/ls.json', description: 'an hourly snapshot of the fleet\'s caches for monitoring (cron)', cron: '0 * * * *' },
  ],
  load: async () => (await import('../commands/ls.js')).runLs,
};
