/** What diff shows: node groups by what they hold, and the images some node lacks. */
import type { ImageDifference } from '../../../core/diff.js';
import type { MergedImage } from '../../../core/merge.js';
import { foldNodeSet } from '../../../inventory/nodeset.js';
import { plural } from '../../../core/plan.js';
import { defineColumns, type Column } from '../../../output/columns.js';
import { DIFFERENCE_KEYS } from '../../column-keys.js';
import { sizeText } from '../../views.js';

export interface GroupView {
  node_set: string;
  nodes: string[];
  count: number;
  images: number;
  missing: number;
  extra: number;
}

export interface DifferenceView {
  id: string;
  name: string | null;
  size: number | null;
  status: string | null;
  present_on: string[];
  missing_on: string[];
  extra_on: string[];
}

export const GROUP_COLUMNS: Column<GroupView>[] = [
  { key: 'node_set', header: 'Nodes', text: (group) => `${group.node_set} (${group.count})`, fit: { shrink: 'middle' } },
  { key: 'images', header: 'Images', align: 'right', text: (group) => String(group.images) },
  { key: 'missing', header: 'Missing', align: 'right', text: (group) => String(group.missing) },
  { key: 'extra', header: 'Extra', align: 'right', text: (group) => String(group.extra) },
];

export const DIFFERENCE_COLUMNS: Column<DifferenceView>[] = defineColumns(DIFFERENCE_KEYS, {
  id: { header: 'ID', text: (image) => image.id, fit: { shrink: 'prefix' } },
  name: { header: 'Name', text: (image) => image.name ?? '', fit: { shrink: 'ellipsis' } },
  size: { header: 'Size', align: 'right', text: (image, context) => sizeText(image.size, context), fit: { drop: 2 } },
  missing_on: { header: 'Missing on', text: (image) => foldNodeSet(image.missing_on), fit: { shrink: 'middle' } },
  extra_on: { header: 'Extra on', text: (image) => foldNodeSet(image.extra_on), fit: { shrink: 'middle', drop: 3 } },
  present_on: { header: 'Present on', text: (image) => foldNodeSet(image.present_on), fit: { shrink: 'middle', drop: 1 } },
});

export function differenceView(image: MergedImage, difference: ImageDifference): DifferenceView {
  return {
    id: image.id,
    name: image.name,
    size: image.size,
    status: image.status,
    present_on: difference.presentOn,
    missing_on: difference.missingOn,
    extra_on: difference.extraOn,
  };
}

/** "compared with glance01: 2 images differ", "3 images not on every node", "no differences": after the listing's own footer. */
export function differencesText(reference: string | undefined, differences: number): string {
  const against = reference === undefined ? '' : `compared with ${reference}: `;
  const summary = differences === 0 ? 'no differences' : `${plural(differences, 'image')} ${reference === undefined ? 'not on every node' : 'differ'}`;
  return `${against}${summary}`;
}
