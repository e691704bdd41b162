import { DIFFERENCE_KEYS, FINDING_KEYS } from '../../column-keys.js';
import { defineCommand } from '../../spec.js';
import { DIFF_OPTIONS } from './options.js';

export const diffSpec = defineCommand({
  name: 'diff',
  aliases: [],
  summary: 'show which images are not on every selected node',
  description:
    'Compares the caches of the selected nodes. Nodes that hold the same images are shown together under one node set with a count (as clubak -b), then each image some node lacks, with the nodes that lack it. --against NODE compares every selected node with NODE; "diff NODE_A NODE_B" compares two nodes (the same as --against NODE_A -n NODE_A -n NODE_B). --orphans shows instead what should not be cached: images Glance no longer serves, with the bytes they take on each node, and drift (one image cached with different sizes, queued images Glance cannot serve, nodes over their max_size). Exit status: 0 no difference, 1 differences, 3 some nodes did not answer or list the same cache records as another node, 4 none did (or the reference did not).',
  args: [{ name: 'node', description: 'NODE_A NODE_B: compare these two nodes', required: false, variadic: true, complete: 'nodes' }],
  options: DIFF_OPTIONS,
  columns: { list: DIFFERENCE_KEYS, when: { orphans: FINDING_KEYS } },
  examples: [
    { command: 'glance-cache diff -a', description: 'nodes grouped by what they cache, then each image missing somewhere' },
    { command: 'glance-cache diff glance01 glance02', description: 'what one node caches and the other does not' },
    { command: 'glance-cache diff -a --against glance01 --state all', description: 'every node compared with glance01, queued images counting as present' },
    { command: 'glance-cache diff -a --orphans', description: 'deleted or deactivated images still cached, and drift' },
  ],
  load: () => import('./run.js'),
});
