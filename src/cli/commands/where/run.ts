import { locateImages } from '../../../core/where.js';
import { resolveImageArguments } from '../../../fleet/resolve-images.js';
import type { CommandContext } from '../../context.js';
import { emit } from '../../emit.js';
import { footerText, runListing } from '../../listing-run.js';
import { isoTime, nodeViews } from '../../views.js';
import { LOCATION_COLUMNS } from './view.js';

export async function run(context: CommandContext, args: string[]): Promise<number> {
  const run = await runListing(context, { withImages: true, alongside: (fleet) => resolveImageArguments(fleet, args, context.signal, { globs: true }) });
  const resolved = run.extra;
  const nameOf = new Map(resolved.map((image) => [image.id, image.info?.name ?? run.result.images.get(image.id)?.name ?? null]));
  const rows = locateImages(resolved.map((image) => image.id), run.result.listings).map((location) => ({ location, name: nameOf.get(location.image) ?? null }));
  await emit(context, {
    document: {
      nodes: nodeViews(run),
      locations: rows.map(({ location, name }) => ({
        id: location.image,
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
    columns: LOCATION_COLUMNS,
    footer: footerText(run),
  });
  return run.exitCode;
}
