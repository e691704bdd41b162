import { copiesByImage, filterByState, mergeListings, sortImages } from '../../../core/merge.js';
import { isOrphan } from '../../../core/orphans.js';
import { rememberImages } from '../../../complete/images.js';
import type { CommandContext } from '../../context.js';
import { emit } from '../../emit.js';
import { footerText, requireImageStatuses, runListing } from '../../listing-run.js';
import { IMAGE_COLUMNS, copyView, imageView, nodeViews, type ImageRow } from '../../views.js';
import type { LsOptions } from './options.js';
import { perNodeColumns } from './view.js';

export async function run(context: CommandContext, _args: string[], options: LsOptions): Promise<number> {
  const run = await runListing(context, { withImages: true });
  if (options.orphans) requireImageStatuses(run);
  const listed = filterByState(mergeListings(run.result.listings, run.result.images), options.state ?? 'all');
  const merged = sortImages(options.orphans ? listed.filter(isOrphan) : listed, options.sort ?? 'name');
  // Its file I/O overlaps the rendering; it never fails the listing.
  const remembering = rememberImages(context, run, listed);
  // Per-node detail only when asked for: at a thousand nodes it is a million records.
  const copies = options.perNode ? copiesByImage(run.result.listings) : null;
  const rows: ImageRow[] = merged.map((image) => {
    const view = imageView(image);
    if (copies) view.copies = (copies.get(image.id) ?? []).map(copyView);
    return { image, view, answered: run.answered };
  });
  const columns = options.perNode ? [...IMAGE_COLUMNS, ...perNodeColumns(run.result.listings)] : IMAGE_COLUMNS;
  await emit(context, {
    document: { nodes: nodeViews(run), images: rows.map((row) => row.view) },
    listKey: 'images',
    rows,
    columns,
    footer: footerText(run),
  });
  await remembering;
  return run.exitCode;
}
