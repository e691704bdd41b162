import { INVENTORY_KEYS } from '../../column-keys.js';
import { defineCommand } from '../../spec.js';
import { INVENTORY_OPTIONS } from './options.js';

export const inventorySpec = defineCommand({
  name: 'inventory',
  aliases: [],
  summary: 'show the resolved inventory and where it was found',
  description: 'Prints the selected nodes with every default applied (all nodes when nothing is selected) and the file the inventory came from. Contacts nothing.',
  args: [],
  options: INVENTORY_OPTIONS,
  columns: { list: INVENTORY_KEYS },
  examples: [
    { command: 'glance-cache inventory --check -i /etc/glance-cache/inventory.yaml', description: 'validate an inventory before deploying it' },
    { command: 'glance-cache inventory -n @az1 -f value -c name', description: 'names of the nodes in group az1' },
  ],
  load: () => import('./run.js'),
});
