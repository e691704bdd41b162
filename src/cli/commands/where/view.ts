/** Where each image is: one row per image and node. */
import type { ImageLocation } from '../../../core/where.js';
import { defineColumns, type Column } from '../../../output/columns.js';
import { LOCATION_KEYS } from '../../column-keys.js';
import { sizeText, timeText } from '../../views.js';

export interface LocationRow {
  location: ImageLocation;
  name: string | null;
}

export const LOCATION_COLUMNS: Column<LocationRow>[] = defineColumns(LOCATION_KEYS, {
  id: { header: 'ID', text: (row) => row.location.image, fit: { shrink: 'prefix' } },
  name: { header: 'Name', text: (row) => row.name ?? '', fit: { shrink: 'ellipsis' } },
  node: { header: 'Node', text: (row) => row.location.node, fit: { shrink: 'middle' } },
  state: { header: 'State', text: (row) => row.location.state },
  hits: { header: 'Hits', align: 'right', text: (row) => (row.location.hits === null ? '' : String(row.location.hits)), fit: { drop: 2 } },
  last_accessed: { header: 'Last access', text: (row, context) => (row.location.state === 'cached' ? timeText(row.location.lastAccessed, context) : ''), fit: { drop: 1 } },
  size: { header: 'Size', align: 'right', text: (row, context) => sizeText(row.location.size, context), fit: { drop: 3 } },
});
