import { filterImages, imageTotals } from '../../../core/image-filter.js';
import { copiesByImage, filterByState, mergeListings, sortImages, type MergedImage } from '../../../core/merge.js';
import { globMatcher, isGlob } from '../../../core/name-match.js';
import { isOrphan } from '../../../core/orphans.js';
import { plural } from '../../../core/plan.js';
import { rememberImages } from '../../../complete/images.js';
import { ExitCode, GlanceCacheError, UsageError } from '../../../errors.js';
import type { CommandContext } from '../../context.js';
import { emit } from '../../emit.js';
import { footerText, requireImageStatuses, runListing, type ListingRun } from '../../listing-run.js';
import { closestNamesText } from '../../../output/plan-name.js';
import { IMAGE_COLUMNS, copyView, imageView, nodeViews, type ImageRow } from '../../views.js';
import { lsSettings, type LsOptions } from './options.js';
import { perNodeColumns, totalsText } from './view.js';

export async function run(context: CommandContext, _args: string[], options: LsOptions): Promise<number> {
  // Before any request: a bad flag value sends nothing.
  const settings = lsSettings(options);
  const run = await runListing(context, { withImages: true });
  if (options.orphans) requireImageStatuses(run);
  const all = mergeListings(run.result.listings, run.result.images);
  if (settings.filter.name !== null) requireNameMatch(run, all, settings.filter.name);
  const listed = filterByState(all, options.state ?? 'all');
  const kept = filterImages(options.orphans ? listed.filter(isOrphan) : listed, settings.filter, context.now());
  const merged = sortImages(kept, options.sort ?? 'name');
  // Its file I/O overlaps the rendering; it never fails the listing.
  const remembering = rememberImages(context, run, listed);
  // Per-node detail only when asked for: at a thousand nodes it is a million records.
  const copies = options.perNode ? copiesByImage(run.result.listings) : null;
  const rows: ImageRow[] = merged.map((image) => {
    const view = imageView(image);
    if (copies) view.copies = (copies.get(image.id) ?? []).map(copyView);
    return { image, view, answered: run.answered, namesKnown: run.result.namesError === null };
  });
  const columns = options.perNode ? [...IMAGE_COLUMNS, ...perNodeColumns(run.result.listings)] : IMAGE_COLUMNS;
  // Every image the filters kept, also those --limit leaves out: the fleet's figures, not the page's.
  const totals = imageTotals(kept);
  await emit(context, {
    document: { nodes: nodeViews(run), images: rows.map((row) => row.view), totals },
    listKey: 'images',
    rows,
    columns,
    // Cut by emit, after --sort-column: --sort-column size --limit 5 shows the five largest.
    limit: settings.limit,
    footer: `${totalsText(totals, Math.min(rows.length, settings.limit ?? rows.length))}\n${footerText(run)}`,
  });
  await remembering;
  return run.exitCode;
}

/**
 * --name must name something the nodes hold: a typo would otherwise show an empty table that reads as
 * "not cached anywhere". Judged before --state and the age filters, which may rightly leave nothing.
 */
function requireNameMatch(run: ListingRun<unknown>, images: readonly MergedImage[], name: string): void {
  // No node answered: the run's own exit (every node failed) says so, not a usage error that blames the name.
  if (run.answered === 0) return;
  if (run.result.namesError) throw new GlanceCacheError(`--name: image names unavailable: ${run.result.namesError}`, ExitCode.failed);
  const matches = globMatcher(name);
  const names = images.flatMap((image) => (image.name === null ? [] : [image.name]));
  if (names.some(matches)) return;
  const what = isGlob(name) ? `matches '${name}'` : `is named '${name}'`;
  throw new UsageError(`--name: no image cached or queued on the ${plural(run.answered, 'node')} that answered ${what}${closestNamesText(name, names)}`);
}
