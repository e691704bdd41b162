/**
 * Nodes that hold exactly the same set, gathered under one node set, as ClusterShell's `clubak -b`
 * gathers nodes that printed the same output. Pure and order-independent: the groups depend only on
 * which node holds what, never on the order the nodes answered in.
 */
import { naturalCompare } from './natural.js';

export interface NodeGroup {
  /** In natural order. */
  nodes: string[];
  /** What every one of them holds, sorted. */
  items: string[];
}

/** Largest group first (the fleet's majority, then the outliers); ties by first node. */
export function groupIdentical(holdings: ReadonlyMap<string, Iterable<string>>): NodeGroup[] {
  const held = [...holdings].map(([node, items]) => ({ node, items: [...items] }));
  // Every item numbered in sorted order: each node's set becomes a sorted list of numbers, and sorting
  // and comparing numbers rather than strings is what keeps 1000 nodes x 1000 images fast.
  const index = new Map<string, number>();
  for (const { items } of held) for (const item of items) index.set(item, 0);
  const universe = [...index.keys()].sort(compareText);
  universe.forEach((item, position) => index.set(item, position));
  const byContent = new Map<string, NodeGroup>();
  for (const { node, items } of held) {
    const numbers = new Int32Array(items.length);
    items.forEach((item, position) => {
      numbers[position] = index.get(item)!;
    });
    numbers.sort();
    const unique = numbers.filter((value, position) => position === 0 || value !== numbers[position - 1]);
    const key = unique.join(',');
    const group = byContent.get(key);
    if (group) group.nodes.push(node);
    else byContent.set(key, { nodes: [node], items: Array.from(unique, (position) => universe[position]!) });
  }
  const groups = [...byContent.values()];
  for (const group of groups) group.nodes.sort(naturalCompare);
  return groups.sort((a, b) => b.nodes.length - a.nodes.length || naturalCompare(a.nodes[0]!, b.nodes[0]!));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
