import type { Column } from '../../../output/columns.js';
import type { ImageRow } from '../../views.js';

/** C cached, Q queued, . neither, ? the node did not answer. */
export function perNodeColumns(listings: { name: string; ok: boolean }[]): Column<ImageRow>[] {
  return listings.map((listing) => ({
    key: `node:${listing.name}`,
    header: listing.name,
    text: (row: ImageRow) => (!listing.ok ? '?' : row.image.cachedOn.includes(listing.name) ? 'C' : row.image.queuedOn.includes(listing.name) ? 'Q' : '.'),
  }));
}
