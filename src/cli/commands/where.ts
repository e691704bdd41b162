import { locateImages, type ImageLocation } from '../../core/where.js';
import { resolveImageArguments } from '../../fleet/resolve-images.js';
import type { Column } from '../../output/columns.js';
import type { CommandContext } from '../context.js';
import { emit } from '../emit.js';
import { footerText, runListing } from '../listing-run.js';
import { isoTime, nodeViews, sizeText, timeText } from '../views.js';

interface LocationRow {
  location: ImageLocation;
  name: string | null;
}

const COLUMNS: Column<LocationRow>[] = [
  { key: 'image', header: 'Image', text: (row) => row.location.image },
  { key: 'name', header: 'Name', text: (row) => row.name ?? '' },
  { key: 'node', header: 'Node', text: (row) => row.location.node },
  { key: 'state', header: 'State', text: (row) => row.location.state },
  { key: 'hits', header: 'Hits', align: 'right', text: (row) => (row.location.hits === null ? '' : String(row.location.hits)) },
  { key: 'last_accessed', header: 'Last access', text: (row, context) => (row.location.state === 'cached' ? timeText(row.location.lastAccessed, context) : '') },
  { key: 'size', header: 'Size', align: 'right', text: (row, context) => sizeText(row.location.size, context) },
];

export async function runWhere(context: CommandContext, args: string[]): Promise<number> {
  const run = await runListing(context, { withImages: true, alongside: (fleet) => resolveImageArguments(fleet, args, context.signal) });
  const resolved = run.extra;
  const nameOf = new Map(resolved.map((image) => [image.id, image.info?.name ?? run.result.images.get(image.id)?.name ?? null]));
  const rows = locateImages(resolved.map((image) => image.id), run.result.listings).map((location) => ({ location, name: nameOf.get(location.image) ?? null }));
  await emit(context, {
    document: {
      nodes: nodeViews(run),
      locations: rows.map(({ location, name }) => ({
        image: location.image,
        name,
        node: location.node,
        state: location.state,
        hits: location.hits,
        last_accessed: isoTime(location.lastAccessed),
        size: location.size,
        row_id: location.rowId,
        checksum: location.checksum,
      })),
    },
    listKey: 'locations',
    rows,
    columns: COLUMNS,
    footer: footerText(run),
  });
  return run.exitCode;
}
