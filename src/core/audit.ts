/**
 * The fleet audit: listings that cannot come from distinct nodes. On centralized_db (Glance 2024.1+) a
 * node lists the database rows of its worker_self_reference_url; two nodes started with the same one (a
 * copied config, or an address that falls back to 0.0.0.0 everywhere) list the same rows while their
 * disks differ, and a delete through either drops the shared row. Row ids come from one sequence for the
 * whole database, so one row listed by two nodes for the same image is proof, not coincidence. Pure:
 * listings in, findings out, whatever order the nodes answered in.
 */
import type { CachedImage, NodeListing } from './model.js';
import { naturalCompare } from './natural.js';

export interface SharedRecords {
  /** Every node listing these rows, in natural order; nodes linked through a third one are together. */
  nodes: string[];
  /** The row ids listed by two or more of them, ascending. */
  rowIds: number[];
}

export function findSharedRecords(listings: readonly NodeListing[]): SharedRecords[] {
  // Zed's drivers give no row id: a fleet of them has nothing to compare, and every listing runs this.
  let total = 0;
  for (const listing of listings) for (const entry of listing.cache?.cached ?? []) if (entry.rowId !== undefined) total++;
  if (total === 0) return [];
  const nodes = listings.filter((listing) => listing.cache !== null).sort((a, b) => naturalCompare(a.name, b.name) || naturalCompare(a.url, b.url));
  const parent = nodes.map((_, index) => index);
  const root = (index: number): number => {
    while (parent[index] !== index) index = parent[index] = parent[parent[index]!]!;
    return index;
  };
  const shared: { rowId: number; node: number }[] = [];
  const join = (node: number, first: number, rowId: number) => {
    parent[root(node)] = root(first);
    shared.push({ rowId, node: first });
  };
  // A thousand nodes list a million entries, too many for a Map keyed by row id (several times slower):
  // each entry with a row id becomes one number, rowId * scale + its place, and one numeric sort brings
  // equal row ids together, in listing order. Row ids too large to pack (no database sequence gets there)
  // go by "rowId image" strings instead.
  const scale = 2 ** Math.ceil(Math.log2(total + 1));
  const packable = Math.floor(Number.MAX_SAFE_INTEGER / scale);
  const packed = new Float64Array(total);
  /** By place (the order entries were packed in): the entry and its node. */
  const entryAt: CachedImage[] = new Array<CachedImage>(total);
  const nodeAt = new Uint32Array(total);
  const firstByPair = new Map<string, number>();
  let count = 0;
  for (let node = 0; node < nodes.length; node++) {
    for (const entry of nodes[node]!.cache!.cached) {
      const { rowId } = entry;
      // Zed's drivers give no row id: nothing to compare, whatever else the entries share.
      if (rowId === undefined) continue;
      if (rowId < packable) {
        nodeAt[count] = node;
        entryAt[count] = entry;
        packed[count] = rowId * scale + count;
        count++;
        continue;
      }
      const first = firstByPair.get(`${rowId} ${entry.id}`);
      if (first === undefined) firstByPair.set(`${rowId} ${entry.id}`, node);
      else join(node, first, rowId);
    }
  }
  const sorted = packed.subarray(0, count).sort();
  for (let start = 0; start < count; ) {
    const rowId = Math.floor(sorted[start]! / scale);
    let end = start + 1;
    while (end < count && Math.floor(sorted[end]! / scale) === rowId) end++;
    // Nearly always one entry; two or more when nodes share the row (or separate databases reuse the id).
    for (let at = start + 1; at < end; at++) {
      const later = sorted[at]! % scale;
      for (let before = start; before < at; before++) {
        const earlier = sorted[before]! % scale;
        if (entryAt[earlier]!.id !== entryAt[later]!.id) continue;
        join(nodeAt[later]!, nodeAt[earlier]!, rowId);
        break;
      }
    }
    start = end;
  }
  const groups = new Map<number, { nodes: string[]; rowIds: Set<number> }>();
  nodes.forEach((listing, index) => {
    const group = groups.get(root(index)) ?? { nodes: [], rowIds: new Set<number>() };
    group.nodes.push(listing.name);
    groups.set(root(index), group);
  });
  for (const { rowId, node } of shared) groups.get(root(node))!.rowIds.add(rowId);
  // Visited in natural order, so each group's nodes, and the groups by their first node, are in that order.
  return [...groups.values()].filter((group) => group.nodes.length > 1).map((group) => ({ nodes: group.nodes, rowIds: [...group.rowIds].sort((a, b) => a - b) }));
}
