/**
 * Which images are not on every node: against the union of what the nodes hold (the default), or
 * against one reference node. Pure and order-independent; nodes that did not answer are set aside as
 * unknown, never counted as holding nothing.
 */
import { groupIdentical } from './group.js';
import { naturalCompare } from './natural.js';
import type { NodeListing } from './model.js';

/** What "on a node" means: cached (the default), queued, or either. */
export type Presence = 'cached' | 'queued' | 'all';
export const PRESENCES: readonly Presence[] = ['cached', 'queued', 'all'];

/** An image's state on one node; unknown when the node did not answer. */
export type CellState = 'cached' | 'queued' | 'absent' | 'unknown';

export interface ImageDifference {
  id: string;
  /** Nodes that hold it. Every node list here is in natural order. */
  presentOn: string[];
  /** Nodes that lack it while the reference (or, without one, some other node) holds it. */
  missingOn: string[];
  /** Nodes that hold it while the reference does not; always empty without a reference. */
  extraOn: string[];
}

export interface DiffGroup {
  /** Nodes holding exactly the same set, in natural order. */
  nodes: string[];
  /** How many images each of them holds. */
  images: number;
  /** How many images of the baseline (the reference's set, else the union) they lack. */
  missing: number;
  /** How many images they hold beyond the reference's set. */
  extra: number;
}

export interface FleetDiff {
  reference: string | null;
  /** Nodes that answered. */
  compared: string[];
  /** Nodes that did not answer: the comparison says nothing about them. */
  unknown: string[];
  groups: DiffGroup[];
  /** Only the images some node lacks (or holds beyond the reference), sorted by ID. */
  differences: ImageDifference[];
  identical: boolean;
}

export interface DiffOptions {
  presence: Presence;
  /** Compare every node with this one; it must be among the nodes that answered. */
  reference?: string | undefined;
}

export function diffFleet(listings: readonly NodeListing[], options: DiffOptions): FleetDiff {
  const answered = sortByName(listings.filter((listing) => listing.cache !== null));
  const nodes = answered.map((listing) => listing.name);
  const reference = options.reference ?? null;
  if (reference !== null && !nodes.includes(reference)) throw new Error(`diff reference ${reference} did not answer`);
  // Nodes of one group hold the same set, so images are matched against groups, not node by node.
  const found = groupIdentical(new Map(answered.map((listing) => [listing.name, heldBy(listing, options.presence)])));
  const rankOf = new Map(nodes.map((node, rank) => [node, rank]));
  const groupsOf = new Map<string, number[]>();
  found.forEach((group, index) => {
    for (const item of group.items) {
      const indexes = groupsOf.get(item);
      if (indexes) indexes.push(index);
      else groupsOf.set(item, [index]);
    }
  });
  const referenceItems = reference === null ? undefined : new Set(found.find((group) => group.nodes.includes(reference))!.items);

  const differences: ImageDifference[] = [];
  const holds = new Uint8Array(nodes.length);
  for (const id of [...groupsOf.keys()].sort(compareText)) {
    const holding = groupsOf.get(id)!.map((index) => found[index]!.nodes);
    if (holding.reduce((total, group) => total + group.length, 0) === nodes.length) continue;
    holds.fill(0);
    for (const group of holding) for (const node of group) holds[rankOf.get(node)!] = 1;
    const presentOn = nodes.filter((_, rank) => holds[rank] === 1);
    const lacking = nodes.filter((_, rank) => holds[rank] === 0);
    // With a reference, an image it lacks is extra where present; everything else is missing where absent.
    const extra = referenceItems !== undefined && !referenceItems.has(id);
    differences.push({ id, presentOn, missingOn: extra ? [] : lacking, extraOn: extra ? presentOn : [] });
  }

  const groups = found.map((group): DiffGroup => {
    const shared = referenceItems === undefined ? group.items.length : group.items.filter((item) => referenceItems.has(item)).length;
    return {
      nodes: group.nodes,
      images: group.items.length,
      missing: (referenceItems?.size ?? groupsOf.size) - shared,
      extra: group.items.length - shared,
    };
  });

  return {
    reference,
    compared: nodes,
    unknown: sortByName(listings.filter((listing) => listing.cache === null)).map((listing) => listing.name),
    groups,
    differences,
    identical: differences.length === 0,
  };
}

function heldBy(listing: NodeListing, presence: Presence): string[] {
  const cache = listing.cache!;
  const cached = presence === 'queued' ? [] : cache.cached.map((image) => image.id);
  return presence === 'cached' ? cached : [...cached, ...cache.queued];
}

/**
 * Every image any answering node holds in any state, by ID, then each node's name to the image's state
 * there. Images x nodes entries: built only for the outputs that show it.
 */
export function stateMatrix(unsorted: readonly NodeListing[]): Map<string, Record<string, CellState>> {
  const listings = sortByName(unsorted);
  const index = new Map<string, number>();
  for (const listing of listings) {
    for (const id of listing.cache?.queued ?? []) index.set(id, 0);
    for (const image of listing.cache?.cached ?? []) index.set(image.id, 0);
  }
  const ids = [...index.keys()].sort(compareText);
  ids.forEach((id, position) => index.set(id, position));
  // One byte per image and node: 0 absent, 1 queued, 2 cached (a node caching what it also queues has the data).
  const codes = listings.map((listing) => {
    const states = new Uint8Array(ids.length);
    for (const id of listing.cache?.queued ?? []) states[index.get(id)!] = 1;
    for (const image of listing.cache?.cached ?? []) states[index.get(image.id)!] = 2;
    return states;
  });
  const names: CellState[] = ['absent', 'queued', 'cached'];
  return new Map(
    ids.map((id, position) => {
      const row: Record<string, CellState> = {};
      listings.forEach((listing, at) => {
        row[listing.name] = listing.cache ? names[codes[at]![position]!]! : 'unknown';
      });
      return [id, row];
    }),
  );
}

function sortByName(listings: readonly NodeListing[]): NodeListing[] {
  return [...listings].sort((a, b) => naturalCompare(a.name, b.name));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
