import type { ImageTotals } from '../../../core/image-filter.js';
import { plural } from '../../../core/plan.js';
import { formatSize } from '../../../core/units.js';
import type { Column } from '../../../output/columns.js';
import type { ImageRow } from '../../views.js';
import { PER_NODE_KEY } from '../../column-keys.js';

/** C cached, Q queued, . neither, ? the node did not answer. */
export function perNodeColumns(listings: { name: string; ok: boolean }[]): Column<ImageRow>[] {
  return listings.map((listing) => ({
    key: `${PER_NODE_KEY}${listing.name}`,
    header: listing.name,
    text: (row: ImageRow) => (!listing.ok ? '?' : row.image.cachedOn.includes(listing.name) ? 'C' : row.image.queuedOn.includes(listing.name) ? 'Q' : '.'),
    // Too many nodes for one table: they continue in further tables, each led by the ID and name.
    fit: { paged: true },
  }));
}

/** "12 images, 30 cached copies, 1.5 GiB"; with --limit, "showing 5 of 12 images, …". */
export function totalsText(totals: ImageTotals, shown: number): string {
  const images = plural(totals.images, 'image');
  const copies = plural(totals.copies, 'cached copy', 'cached copies');
  return `${shown < totals.images ? `showing ${shown} of ${images}` : images}, ${copies}, ${formatSize(totals.bytes)}`;
}
