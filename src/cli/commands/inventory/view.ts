/** The inventory as a table: one row per node, every default applied. */
import { formatSize } from '../../../core/units.js';
import type { NodeSpec } from '../../../inventory/types.js';
import { defineColumns, type Column } from '../../../output/columns.js';
import { INVENTORY_KEYS } from '../../column-keys.js';

export interface InventoryRow {
  node: NodeSpec;
  groups: string[];
}

export const INVENTORY_COLUMNS: Column<InventoryRow>[] = defineColumns(INVENTORY_KEYS, {
  name: { header: 'Name', text: (row) => row.node.name, fit: { shrink: 'ellipsis' } },
  url: { header: 'URL', text: (row) => row.node.url, fit: { shrink: 'ellipsis' } },
  groups: { header: 'Groups', text: (row) => row.groups.map((group) => `@${group}`).join(','), fit: { shrink: 'ellipsis', drop: 5 } },
  labels: { header: 'Labels', text: (row) => Object.entries(row.node.labels).map(([key, value]) => `${key}=${value}`).join(','), fit: { shrink: 'ellipsis', drop: 2 } },
  timeout: { header: 'Timeout', align: 'right', text: (row) => `${row.node.timeoutMs / 1000}s`, fit: { drop: 4 } },
  max_size: { header: 'Max size', align: 'right', text: (row, context) => (row.node.maxSizeBytes === undefined ? '' : context.human ? formatSize(row.node.maxSizeBytes) : String(row.node.maxSizeBytes)), fit: { drop: 3 } },
  defined_at: { header: 'Defined at', text: (row) => `${row.node.at.file}${row.node.at.line ? `:${row.node.at.line}` : ''}`, fit: { shrink: 'ellipsis', drop: 1 } },
});
