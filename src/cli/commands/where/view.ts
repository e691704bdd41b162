/** Where each image is: one row per image and node. */
import type { ImageLocation } from '../../../core/where.js';
import type { Column } from '../../../output/columns.js';
import { sizeText, timeText } from '../../views.js';

export interface LocationRow {
  location: ImageLocation;
  name: string | null;
}

export const LOCATION_COLUMNS: Column<LocationRow>[] = [
  { key: 'image', header: 'Image', text: (row) => row.location.image },
  { key: 'name', header: 'Name', text: (row) => row.name ?? '' },
  { key: 'node', header: 'Node', text: (row) => row.location.node },
  { key: 'state', header: 'State', text: (row) => row.location.state },
  { key: 'hits', header: 'Hits', align: 'right', text: (row) => (row.location.hits === null ? '' : String(row.location.hits)) },
  { key: 'last_accessed', header: 'Last access', text: (row, context) => (row.location.state === 'cached' ? timeText(row.location.lastAccessed, context) : '') },
  { key: 'size', header: 'Size', align: 'right', text: (row, context) => sizeText(row.location.size, context) },
];
