/**
 * diff: which images are not on every node, grouped as clubak -b groups output; against a reference
 * node; or between two nodes. With --orphans, what should not be cached at all. Like diff(1): exit 0
 * when the caches agree, 1 when they differ, and the usual 3/4 when nodes failed, since a comparison
 * missing a node proves nothing about it.
 */
import { diffFleet, stateMatrix, type Presence } from '../../../core/diff.js';
import { mergeListings } from '../../../core/merge.js';
import { comparisonExitCode, exitCodeFor } from '../../../core/outcome.js';
import { ExitCode, UsageError } from '../../../errors.js';
import type { Fleet } from '../../../fleet/fleet.js';
import { matchTerm } from '../../../inventory/match.js';
import { foldNodeSet } from '../../../inventory/nodeset.js';
import type { Column } from '../../../output/columns.js';
import type { CommandContext } from '../../context.js';
import { emit } from '../../emit.js';
import { footerText, runListing, type ListingRun } from '../../listing-run.js';
import { showOrphans } from '../../orphans-view.js';
import { nodeViews } from '../../views.js';
import type { DiffOptions } from './options.js';
import { DIFFERENCE_COLUMNS, GROUP_COLUMNS, differenceView, differencesText, type GroupView } from './view.js';

/** How the command line asked to compare, before the inventory is read. */
interface Comparison {
  /** The reference as written (--against or NODE_A); resolved to a node name once the inventory is read. */
  reference: string | undefined;
  /** NODE_A NODE_B, when given. */
  pair: string[];
  /** The -n values to select with. */
  nodes: string[];
}

export async function run(context: CommandContext, args: string[], options: DiffOptions): Promise<number> {
  const comparison = comparisonOf(context, args, options);
  const scoped: CommandContext = { ...context, globals: { ...context.globals, nodes: comparison.nodes } };
  let reference: string | undefined;
  const run = await runListing(scoped, {
    withImages: true,
    check: (fleet) => {
      reference = checkSelection(fleet, comparison);
    },
  });
  if (options.orphans) return showOrphans(scoped, run);
  if (reference !== undefined && !run.result.listings.some((listing) => listing.name === reference && listing.ok)) {
    context.log.error(`${reference} is the reference and did not answer: nothing to compare with`);
    // Nothing was compared: as when no node answered.
    return exitCodeFor({ ok: 0, failed: 1, interrupted: run.exitCode === ExitCode.interrupted });
  }
  return showDifferences(scoped, run, { presence: options.state ?? 'cached', reference });
}

function comparisonOf(context: CommandContext, args: string[], options: DiffOptions): Comparison {
  const { against } = options;
  const { globals } = context;
  if (args.length !== 0 && args.length !== 2) throw new UsageError(`diff takes two nodes (NODE_A NODE_B) or none, not ${args.length}`);
  if (options.orphans && (against !== undefined || args.length > 0)) {
    throw new UsageError('--orphans looks at every selected node: leave out --against and NODE_A NODE_B');
  }
  if (args.length === 2) {
    if (against !== undefined || globals.nodes.length > 0 || globals.allNodes) {
      throw new UsageError('diff NODE_A NODE_B selects the two nodes itself: leave out --against, -n and -a');
    }
    return { reference: args[0], pair: args, nodes: args };
  }
  // A reference named outside an explicit -n still takes part: it is what the others are compared with.
  const nodes = against !== undefined && globals.nodes.length > 0 ? [...globals.nodes, against] : globals.nodes;
  return { reference: against, pair: [], nodes };
}

/** Runs before any request; returns the reference's node name. */
function checkSelection(fleet: Fleet, comparison: Comparison): string | undefined {
  if (comparison.pair.length === 2) {
    const [a, b] = comparison.pair.map((term) => singleNode(term, 'diff NODE_A NODE_B', fleet));
    if (a === b) throw new UsageError(`diff NODE_A NODE_B: '${comparison.pair[0]}' and '${comparison.pair[1]}' are the same node`);
  }
  const reference = comparison.reference === undefined ? undefined : singleNode(comparison.reference, '--against', fleet);
  if (reference !== undefined && !fleet.nodes.some((node) => node.name === reference)) {
    throw new UsageError(`--against: ${reference} is excluded by -x: nothing to compare with`);
  }
  if (fleet.nodes.length < 2) {
    throw new UsageError(`diff compares two or more nodes and only ${fleet.nodes[0]!.name} is selected: add nodes with -n, or use -a`);
  }
  return reference;
}

function singleNode(term: string, label: string, fleet: Fleet): string {
  const match = matchTerm(term, fleet.inventory.nodes, fleet.inventory.groups);
  if ('problem' in match) throw new UsageError(`${label}: '${term}' ${match.problem}`);
  if (match.names.length !== 1) throw new UsageError(`${label}: '${term}' names ${match.names.length} nodes (${foldNodeSet(match.names)}): give one node`);
  return match.names[0]!;
}

async function showDifferences(context: CommandContext, run: ListingRun<unknown>, options: { presence: Presence; reference: string | undefined }): Promise<number> {
  const diff = diffFleet(run.result.listings, options);
  const byId = new Map(diff.differences.map((difference) => [difference.id, difference]));
  // mergeListings orders images by name, the order an operator reads them in.
  const rows = mergeListings(run.result.listings, run.result.images).flatMap((image) => {
    const difference = byId.get(image.id);
    return difference ? [differenceView(image, difference)] : [];
  });
  const groups = diff.groups.map(({ nodes, images, missing, extra }): GroupView => ({ node_set: foldNodeSet(nodes), nodes, count: nodes.length, images, missing, extra }));
  // Without a reference nothing is beyond the union: an always-empty column would only take room.
  const withReference = <R>(columns: Column<R>[]) => (options.reference === undefined ? columns.filter((column) => column.key !== 'extra' && column.key !== 'extra_on') : columns);
  await emit(context, {
    document: {
      nodes: nodeViews(run),
      state: options.presence,
      reference: options.reference ?? null,
      identical: diff.identical,
      groups,
      images: rows,
      matrix: context.globals.format === 'json' || context.globals.format === 'yaml' ? Object.fromEntries(stateMatrix(run.result.listings)) : {},
    },
    listKey: 'images',
    rows,
    columns: withReference(DIFFERENCE_COLUMNS),
    overview: { rows: groups, columns: withReference(GROUP_COLUMNS) },
    showList: !diff.identical,
    footer: `${footerText(run)}; ${differencesText(options.reference, diff.identical ? 0 : diff.differences.length)}`,
  });
  return comparisonExitCode(run.exitCode, !diff.identical);
}
