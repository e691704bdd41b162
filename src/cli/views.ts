/**
 * The stable JSON shapes (docs/architecture.md, "Contract"; documented in docs/output.md) and the matching table columns.
 * Column keys are the JSON field names, so `-c hits` means the same in a table and in JSON.
 */
import { revealedCacheDriver, type RevealedDriver } from '../core/cache-driver.js';
import type { CopyOnNode, MergedImage } from '../core/merge.js';
import type { NodeListing } from '../core/model.js';
import { formatAge, formatSize } from '../core/units.js';
import { foldNodeSet } from '../inventory/nodeset.js';
import { defineColumns, type Column, type DisplayContext } from '../output/columns.js';
import { IMAGE_KEYS, NODE_KEYS } from './column-keys.js';
import { sharedRecordsWarning, type ListingRun } from './listing-run.js';

export function isoTime(epochSeconds: number | null): string | null {
  return epochSeconds === null ? null : new Date(epochSeconds * 1000).toISOString();
}

/** Relative in a table ("5m ago"), ISO-8601 in every other format. */
export function timeText(epochSeconds: number | null, context: DisplayContext): string {
  if (epochSeconds === null) return context.human ? 'never' : '';
  return context.human ? `${formatAge(context.now - epochSeconds * 1000)} ago` : (isoTime(epochSeconds) ?? '');
}

export function sizeText(bytes: number | null, context: DisplayContext): string {
  if (bytes === null) return '';
  return context.human ? formatSize(bytes) : String(bytes);
}

export interface NodeView {
  name: string;
  url: string;
  ok: boolean;
  error: string | null;
  api: string | null;
  version: string | null;
  /** What the listing reveals: 'centralized_db' when its entries carry row ids; null when it cannot tell. */
  cache_driver: RevealedDriver | null;
  latency_ms: number | null;
  cached_images: number | null;
  cached_bytes: number | null;
  queued_images: number | null;
  max_size: number | null;
  usage_percent: number | null;
  /** What the fleet audit found about this node's listing; empty when nothing. */
  warnings: NodeWarning[];
}

export interface NodeWarning {
  /** shared_records: the node lists the same database rows as the other `nodes`. */
  kind: 'shared_records';
  /** Every node listing those rows, this one included. */
  nodes: string[];
  /** The rows they have in common, ascending. */
  row_ids: number[];
  message: string;
}

/** Every listed node as JSON and table rows show it, with the audit's findings. */
export function nodeViews(run: Pick<ListingRun<unknown>, 'result' | 'shared'>): NodeView[] {
  const warnings = new Map<string, NodeWarning[]>();
  for (const group of run.shared) {
    for (const node of group.nodes) {
      warnings.set(node, [...(warnings.get(node) ?? []), { kind: 'shared_records', nodes: group.nodes, row_ids: group.rowIds, message: sharedRecordsWarning(group, node) }]);
    }
  }
  return run.result.listings.map((listing) => nodeView(listing, warnings.get(listing.name) ?? []));
}

function nodeView(listing: NodeListing, warnings: NodeWarning[]): NodeView {
  const cachedBytes = listing.cache ? listing.cache.cached.reduce((total, image) => total + image.size, 0) : null;
  return {
    name: listing.name,
    url: listing.url,
    ok: listing.ok,
    error: listing.error,
    api: listing.api?.flavor ?? null,
    // Empty when the listing did not ask the node for its versions (only `nodes` always does).
    version: listing.api?.version || null,
    cache_driver: revealedCacheDriver(listing.cache),
    latency_ms: listing.latencyMs,
    cached_images: listing.cache?.cached.length ?? null,
    cached_bytes: cachedBytes,
    queued_images: listing.cache?.queued.length ?? null,
    max_size: listing.maxSizeBytes,
    usage_percent: cachedBytes !== null && listing.maxSizeBytes ? Math.round((cachedBytes / listing.maxSizeBytes) * 1000) / 10 : null,
    warnings,
  };
}

export const NODE_COLUMNS: Column<NodeView>[] = defineColumns(NODE_KEYS, {
  name: { header: 'Node', text: (node) => node.name, fit: { shrink: 'middle' } },
  url: { header: 'URL', text: (node) => node.url, fit: { shrink: 'ellipsis', drop: 1 } },
  ok: { header: 'Status', text: (node) => (node.ok ? 'ok' : 'FAILED') },
  latency_ms: { header: 'Latency', align: 'right', text: (node, context) => (node.latency_ms === null ? '' : context.human ? `${node.latency_ms} ms` : String(node.latency_ms)), fit: { drop: 4 } },
  api: { header: 'API', text: (node) => (node.api ? `${node.api} ${node.version ?? ''}`.trim() : ''), fit: { drop: 3 } },
  cache_driver: { header: 'Driver', text: (node) => node.cache_driver ?? '', fit: { drop: 2 } },
  cached_images: { header: 'Cached', align: 'right', text: (node) => (node.cached_images === null ? '' : String(node.cached_images)) },
  cached_bytes: { header: 'Bytes', align: 'right', text: (node, context) => sizeText(node.cached_bytes, context), fit: { drop: 7 } },
  queued_images: { header: 'Queued', align: 'right', text: (node) => (node.queued_images === null ? '' : String(node.queued_images)), fit: { drop: 5 } },
  usage_percent: {
    header: 'Usage',
    align: 'right',
    text: (node, context) => (node.usage_percent === null ? '' : context.human ? `${node.usage_percent}% of ${formatSize(node.max_size)}` : String(node.usage_percent)),
    fit: { drop: 6 },
  },
  error: { header: 'Error', text: (node) => node.error ?? '', fit: { shrink: 'ellipsis' } },
  warnings: { header: 'Warnings', text: (node) => node.warnings.map((warning) => warning.message).join('; '), fit: { shrink: 'ellipsis', drop: 8 } },
});

export interface ImageView {
  id: string;
  name: string | null;
  size: number | null;
  status: string | null;
  cached_on: string[];
  queued_on: string[];
  hits: number;
  last_accessed: string | null;
  /** ls --per-node only: each node's own record of its copy. */
  copies?: CopyView[];
}

/** One node's cached copy; row_id and checksum are null where the node's driver keeps none (before centralized_db). */
export interface CopyView {
  node: string;
  hits: number;
  last_accessed: string | null;
  last_modified: string | null;
  size: number;
  row_id: number | null;
  checksum: string | null;
}

export function copyView({ node, entry }: CopyOnNode): CopyView {
  return {
    node,
    hits: entry.hits,
    last_accessed: isoTime(entry.lastAccessed),
    last_modified: isoTime(entry.lastModified),
    size: entry.size,
    row_id: entry.rowId ?? null,
    checksum: entry.checksum ?? null,
  };
}

export function imageView(image: MergedImage): ImageView {
  return {
    id: image.id,
    name: image.name,
    size: image.size,
    status: image.status,
    cached_on: image.cachedOn,
    queued_on: image.queuedOn,
    hits: image.hits,
    last_accessed: isoTime(image.lastAccessed),
  };
}

/** Image rows keep the merged record beside the view: tables need epoch times and the answered count. */
export interface ImageRow {
  image: MergedImage;
  view: ImageView;
  answered: number;
  /** Glance was asked about every image and answered: an image it did not describe is not in Glance. */
  namesKnown: boolean;
}

/**
 * What a table shows for an image Glance does not describe (an orphan: deleted, or not visible to this
 * user) where JSON has null name and status; other formats keep the empty field JSON's null reads as.
 */
export const NOT_IN_GLANCE = { name: '(not in Glance)', status: 'missing' } as const;

function notInGlance(image: Pick<MergedImage, 'status'>, namesKnown: boolean, context: DisplayContext, field: keyof typeof NOT_IN_GLANCE): string {
  return image.status === null && namesKnown && context.human ? NOT_IN_GLANCE[field] : '';
}

/** The Cached column is the same everywhere: on how many of the nodes that answered ("3/6"); JSON lists them. */
export const IMAGE_COLUMNS: Column<ImageRow>[] = defineColumns(IMAGE_KEYS, {
  id: { header: 'ID', text: (row) => row.image.id, fit: { shrink: 'prefix' } },
  name: { header: 'Name', text: (row, context) => row.image.name ?? notInGlance(row.image, row.namesKnown, context, 'name'), fit: { shrink: 'ellipsis' } },
  size: { header: 'Size', align: 'right', text: (row, context) => sizeText(row.image.size, context), fit: { drop: 5 } },
  cached_on: { header: 'Cached', text: (row) => `${row.image.cachedOn.length}/${row.answered}` },
  queued_on: { header: 'Queued', text: (row) => foldNodeSet(row.image.queuedOn), fit: { shrink: 'ellipsis', drop: 2 } },
  hits: { header: 'Hits', align: 'right', text: (row) => String(row.image.hits), fit: { drop: 3 } },
  last_accessed: { header: 'Last access', text: (row, context) => timeText(row.image.lastAccessed, context), fit: { drop: 4 } },
  status: { header: 'Status', text: (row, context) => row.image.status ?? notInGlance(row.image, row.namesKnown, context, 'status'), fit: { drop: 1 } },
});
