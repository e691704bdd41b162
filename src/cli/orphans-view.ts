/**
 * diff --orphans: what should not be cached at all, found in one listing: orphans with the bytes they
 * take on each node (nodes with the same orphans gathered, as diff gathers nodes), then drift.
 */
import { findDrift, type DriftReport } from '../core/drift.js';
import { groupIdentical } from '../core/group.js';
import { mergeListings } from '../core/merge.js';
import { comparisonExitCode } from '../core/outcome.js';
import { findOrphans, type OrphanReport } from '../core/orphans.js';
import { plural } from '../core/plan.js';
import { formatSize } from '../core/units.js';
import { foldNodeSet } from '../inventory/nodeset.js';
import { defineColumns, type Column } from '../output/columns.js';
import { FINDING_KEYS } from './column-keys.js';
import type { CommandContext } from './context.js';
import { emit } from './emit.js';
import { footerText, requireImageStatuses, type ListingRun } from './listing-run.js';
import { NOT_IN_GLANCE, nodeViews, sizeText } from './views.js';

type FindingKind = 'orphan' | 'size_mismatch' | 'stuck_queue' | 'over_max_size';

interface FindingView {
  kind: FindingKind;
  image: string | null;
  name: string | null;
  status: string | null;
  nodes: string[];
  /** orphan: bytes its copies take in all; over_max_size: bytes cached on the node. */
  bytes: number | null;
  bytes_by_node: Record<string, number>;
  max_size: number | null;
  detail: string;
}

interface WasteRow {
  nodes: string[];
  orphans: number;
  /** The most any node of the group wastes: copies of one orphan may differ in size (size_mismatch). */
  wasted: number;
}

const WASTE_COLUMNS: Column<WasteRow>[] = [
  { key: 'node_set', header: 'Nodes', text: (row) => `${foldNodeSet(row.nodes)} (${row.nodes.length})`, fit: { shrink: 'ellipsis' } },
  { key: 'orphans', header: 'Orphans', align: 'right', text: (row) => String(row.orphans) },
  { key: 'wasted', header: 'Wasted per node', align: 'right', text: (row, context) => sizeText(row.wasted, context) },
];

const FINDING_COLUMNS: Column<FindingView>[] = defineColumns(FINDING_KEYS, {
  kind: { header: 'Kind', text: (finding) => finding.kind },
  image: { header: 'Image', text: (finding) => finding.image ?? '', fit: { shrink: 'prefix' } },
  // Every orphan was asked about (requireImageStatuses): one Glance did not describe is not in Glance.
  name: { header: 'Name', text: (finding, context) => finding.name ?? (finding.kind === 'orphan' && finding.status === null && context.human ? NOT_IN_GLANCE.name : ''), fit: { shrink: 'ellipsis', drop: 2 } },
  nodes: { header: 'Nodes', text: (finding) => foldNodeSet(finding.nodes), fit: { shrink: 'ellipsis' } },
  bytes: { header: 'Bytes', align: 'right', text: (finding, context) => sizeText(finding.bytes, context), fit: { drop: 1 } },
  detail: { header: 'Detail', text: (finding) => finding.detail, fit: { shrink: 'ellipsis' } },
});

/** Exit 1 when there is anything to report, as diff does for differences. */
export async function showOrphans(context: CommandContext, run: ListingRun<unknown>): Promise<number> {
  requireImageStatuses(run);
  const { listings, images } = run.result;
  const merged = mergeListings(listings, images);
  const report = findOrphans(merged);
  const rows = findingsOf(report, findDrift(merged, listings, images));
  const holdings = new Map(
    listings.filter((listing) => listing.ok).map((listing) => [listing.name, new Set(report.orphans.filter((orphan) => orphan.cachedOn.includes(listing.name)).map((orphan) => orphan.id))]),
  );
  const waste = groupIdentical(holdings).map((group): WasteRow => ({
    nodes: group.nodes,
    orphans: group.items.length,
    wasted: Math.max(...group.nodes.map((node) => report.wastedByNode[node] ?? 0)),
  }));
  const drifted = rows.length - report.orphans.length;
  await emit(context, {
    document: {
      nodes: nodeViews(run),
      findings: rows,
      wasted_by_node: report.wastedByNode,
      wasted_bytes: report.wastedBytes,
    },
    listKey: 'findings',
    rows,
    columns: FINDING_COLUMNS,
    overview: { rows: waste, columns: WASTE_COLUMNS },
    showList: rows.length > 0,
    footer: `${footerText(run)}; ${plural(report.orphans.length, 'orphan')} wasting ${formatSize(report.wastedBytes)}, ${plural(drifted, 'drift finding')}`,
  });
  return comparisonExitCode(run.exitCode, rows.length > 0);
}

function findingsOf(report: OrphanReport, drift: DriftReport): FindingView[] {
  const base = { image: null, name: null, status: null, bytes: null, bytes_by_node: {}, max_size: null };
  return [
    ...report.orphans.map((orphan): FindingView => ({
      ...base,
      kind: 'orphan',
      image: orphan.id,
      name: orphan.name,
      status: orphan.status,
      nodes: orphan.cachedOn,
      bytes: orphan.bytes,
      bytes_by_node: orphan.bytesByNode,
      detail: orphan.status === null ? 'not in Glance (deleted, or not visible to this user)' : `Glance status ${orphan.status}`,
    })),
    ...drift.sizeMismatches.map((mismatch): FindingView => ({
      ...base,
      kind: 'size_mismatch',
      image: mismatch.image,
      name: mismatch.name,
      nodes: mismatch.sizes.flatMap((entry) => entry.nodes),
      bytes_by_node: Object.fromEntries(mismatch.sizes.flatMap((entry) => entry.nodes.map((node) => [node, entry.size]))),
      // Exact bytes: two sizes that differ by a few bytes would read the same rounded.
      detail: `${mismatch.sizes.map((entry) => `${entry.size} bytes on ${foldNodeSet(entry.nodes)}`).join(', ')}${mismatch.glanceSize === null ? '' : `; Glance: ${mismatch.glanceSize} bytes`}`,
    })),
    ...drift.stuckQueues.map((stuck): FindingView => ({
      ...base,
      kind: 'stuck_queue',
      image: stuck.image,
      name: stuck.name,
      status: stuck.status,
      nodes: stuck.nodes,
      detail: `queued, but ${stuck.status === null ? 'Glance has no such image' : `Glance status is ${stuck.status}`}: only active images get cached`,
    })),
    ...drift.overMaxSize.map((over): FindingView => ({
      ...base,
      kind: 'over_max_size',
      nodes: [over.node],
      bytes: over.cachedBytes,
      bytes_by_node: { [over.node]: over.cachedBytes },
      max_size: over.maxSize,
      detail: `${formatSize(over.cachedBytes)} cached, max_size ${formatSize(over.maxSize)} (${Math.round((over.cachedBytes / over.maxSize) * 100)}%): is glance-cache-pruner running?`,
    })),
  ];
}
