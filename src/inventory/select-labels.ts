/**
 * -l/--label key=value: the nodes whose inventory labels hold every pair given. A pair no node of the
 * inventory has is a typo, not an empty selection: it is refused, naming the labels that exist.
 */
import { UsageError } from '../errors.js';
import { naturalCompare } from '../core/natural.js';
import type { Inventory, NodeSpec } from './types.js';

export interface Label {
  key: string;
  value: string;
}

/** Labels listed in an error at most: a large fleet may have one per rack. */
const SHOWN_LABELS = 20;

/** Each -l value as key=value; the value may be empty or hold '=' (only the first one splits). */
export function parseLabels(values: readonly string[]): Label[] {
  return values.map((text) => {
    const equals = text.indexOf('=');
    if (equals <= 0) throw new UsageError(`-l: '${text}' is not key=value (e.g. -l az=az1)`);
    return { key: text.slice(0, equals), value: text.slice(equals + 1) };
  });
}

/** The nodes holding every label; each label must be on some node of the inventory. */
export function nodesWithLabels(inventory: Inventory, nodes: readonly NodeSpec[], labels: readonly Label[]): NodeSpec[] {
  for (const label of labels) {
    if (!inventory.nodes.some((node) => node.labels[label.key] === label.value)) {
      throw new UsageError(`-l: no node in ${inventory.source} has the label ${labelText(label)}; ${existingLabels(inventory)}`);
    }
  }
  return nodes.filter((node) => labels.every((label) => node.labels[label.key] === label.value));
}

export function labelText(label: Label): string {
  return `${label.key}=${label.value}`;
}

function existingLabels(inventory: Inventory): string {
  const pairs = new Set(inventory.nodes.flatMap((node) => Object.entries(node.labels).map(([key, value]) => labelText({ key, value }))));
  if (pairs.size === 0) return 'its nodes have no labels';
  const sorted = [...pairs].sort(naturalCompare);
  const more = sorted.length > SHOWN_LABELS ? ` and ${sorted.length - SHOWN_LABELS} more` : '';
  return `labels: ${sorted.slice(0, SHOWN_LABELS).join(', ')}${more}`;
}
