/**
 * What TAB offers, as data: pure functions from what the inventory and the image cache know to the
 * candidates for the word being typed. The shells get one `value<TAB>description` line per candidate.
 */
import { plural } from '../core/plan.js';
import { sanitizeText } from '../output/sanitize.js';
import { splitNodeSet } from './words.js';

export interface Candidate {
  value: string;
  description: string;
}

export interface InventoryNames {
  nodes: { name: string; url: string }[];
  /** Group name (without @) to its number of nodes. */
  groups: Record<string, number>;
  /** Each key=value label of the nodes to the number of nodes that have it. */
  labels: Record<string, number>;
}

export interface KnownImage {
  id: string;
  name: string | null;
}

/** Node names and @groups for -n/-x; a comma-separated set completes its last term. */
export function nodeCandidates(names: InventoryNames, current: string): Candidate[] {
  const { chosen, head, typing } = splitNodeSet(current);
  const taken = new Set(chosen);
  const terms: Candidate[] = [
    ...names.nodes.map((node) => ({ value: node.name, description: node.url })),
    ...Object.entries(names.groups).map(([group, count]) => ({ value: `@${group}`, description: `group of ${plural(count, 'node')}` })),
  ];
  return terms.filter((term) => !taken.has(term.value) && term.value.startsWith(typing)).map((term) => ({ ...term, value: head + term.value }));
}

/** key=value labels for -l, each described by how many nodes have it. */
export function labelCandidates(names: InventoryNames, current: string): Candidate[] {
  return Object.entries(names.labels)
    .filter(([label]) => label.startsWith(current))
    .map(([label, count]) => ({ value: label, description: `label of ${plural(count, 'node')}` }));
}

/** Image IDs (described by their name) and names (described by their ID, or a count when shared). */
export function imageCandidates(images: readonly KnownImage[], current: string): Candidate[] {
  const idsByName = new Map<string, string[]>();
  for (const image of images) {
    if (image.name) idsByName.set(image.name, [...(idsByName.get(image.name) ?? []), image.id]);
  }
  const byId = images.map((image) => ({ value: image.id, description: image.name ?? '(no name: deleted in Glance?)' }));
  const byName = [...idsByName].map(([name, ids]) => ({ value: name, description: ids.length === 1 ? ids[0]! : `${ids.length} images share this name` }));
  return [...byName, ...byId].filter((candidate) => candidate.value.startsWith(current));
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * One line per candidate. A value holding a control character cannot be typed nor shown safely, so it is
 * left out; descriptions come from nodes and are escaped like every other string they send.
 */
export function formatCandidates(candidates: readonly Candidate[]): string {
  return candidates
    .filter((candidate) => candidate.value !== '' && !CONTROL.test(candidate.value))
    .map((candidate) => `${candidate.value}\t${sanitizeText(candidate.description)}\n`)
    .join('');
}
