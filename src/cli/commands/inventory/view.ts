/** The inventory as a table: one row per node, every default applied. */
import { formatSize } from '../../../core/units.js';
import type { NodeSpec } from '../../../inventory/types.js';
import type { Column } from '../../../output/columns.js';

export interface InventoryRow {
  node: NodeSpec;
  groups: string[];
}

export const INVENTORY_COLUMNS: Column<InventoryRow>[] = [
  { key: 'name', header: 'Name', text: (row) => row.node.name },
  { key: 'url', header: 'URL', text: (row) => row.node.url },
  { key: 'groups', header: 'Groups', text: (row) => row.groups.map((group) => `@${group}`).join(',') },
  { key: 'labels', header: 'Labels', text: (row) => Object.entries(row.node.labels).map(([key, value]) => `${key}=${value}`).join(',') },
  { key: 'timeout', header: 'Timeout', align: 'right', text: (row) => `${row.node.timeoutMs / 1000}s` },
  { key: 'max_size', header: 'Max size', align: 'right', text: (row, context) => (row.node.maxSizeBytes === undefined ? '' : context.tty ? formatSize(row.node.maxSizeBytes) : String(row.node.maxSizeBytes)) },
  { key: 'defined_at', header: 'Defined at', text: (row) => `${row.node.at.file}${row.node.at.line ? `:${row.node.at.line}` : ''}` },
];
