/**
 * Which nodes a command acts on, from -n/--nodes, -x/--exclude, -a/--all-nodes and -l/--label (docs/architecture.md, "Contract").
 * Never guesses: a term that matches nothing, or no selection with several nodes, is a usage error.
 * Labels filter what -n chose, or every node when -n is not given; -x then leaves nodes out.
 */
import { UsageError } from '../errors.js';
import { matchTerm } from './match.js';
import { foldNodeSet, splitTerms } from './nodeset.js';
import { labelText, nodesWithLabels, parseLabels } from './select-labels.js';
import type { Inventory, NodeSpec, Selection } from './types.js';

export function selectNodes(inventory: Inventory, selection: Selection): NodeSpec[] {
  if (selection.all && selection.nodes.length > 0) {
    throw new UsageError('-n/--nodes and -a/--all-nodes cannot be used together');
  }
  // Checked before the terms: a malformed label is the first thing to fix.
  const labels = parseLabels(selection.labels);
  let chosen: Set<string>;
  if (selection.all || (labels.length > 0 && selection.nodes.length === 0)) {
    chosen = new Set(inventory.nodes.map((node) => node.name));
  } else if (selection.nodes.length > 0) {
    chosen = resolveTerms('-n', selection.nodes, inventory);
  } else if (inventory.nodes.length === 1) {
    chosen = new Set([inventory.nodes[0]!.name]);
  } else {
    throw new UsageError(
      `${inventory.source} has ${inventory.nodes.length} nodes: choose some with -n (e.g. -n ${inventory.nodes[0]?.name}) or all with --all-nodes`,
    );
  }
  if (labels.length > 0) {
    const labelled = nodesWithLabels(inventory, inventory.nodes.filter((node) => chosen.has(node.name)), labels);
    if (labelled.length === 0) throw new UsageError(`-l: no node ${selection.nodes.length > 0 ? '-n selects ' : ''}has ${labels.map(labelText).join(' and ')}`);
    chosen = new Set(labelled.map((node) => node.name));
  }
  for (const name of resolveTerms('-x', selection.exclude, inventory)) chosen.delete(name);
  const selected = inventory.nodes.filter((node) => chosen.has(node.name));
  if (selected.length === 0) throw new UsageError('-x: every selected node is excluded: nothing left to act on');
  return selected;
}

/** Each flag value may hold several comma-separated terms; every term must match at least one node. */
function resolveTerms(flag: '-n' | '-x', values: readonly string[], inventory: Inventory): Set<string> {
  const names = new Set<string>();
  for (const value of values) {
    for (const term of splitTerms(value)) {
      if (term === '') throw new UsageError(`${flag}: empty node name in '${value}'`);
      const match = matchTerm(term, inventory.nodes, inventory.groups);
      if ('problem' in match) throw new UsageError(`${flag}: '${term}' ${match.problem}${whereToLook(match.about, inventory)}`);
      for (const name of match.names) names.add(name);
    }
  }
  return names;
}

function whereToLook(about: 'nodes' | 'groups' | 'syntax', inventory: Inventory): string {
  if (about === 'syntax') return '';
  if (about === 'nodes') return ` in ${inventory.source}; known: ${foldNodeSet(inventory.nodes.map((node) => node.name))}`;
  const groups = Object.keys(inventory.groups).map((group) => `@${group}`);
  return ` in ${inventory.source}; ${groups.length === 0 ? 'it defines no groups' : `groups: ${groups.join(', ')}`}`;
}
