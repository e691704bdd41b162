/**
 * Shared by the act-* e2e tests: images placed on chosen sim nodes, the writes the nodes received, and
 * the JSON every acting command prints.
 */
import type { SimNode } from '../../src/sim/index.js';
import type { SimFleetOnDisk } from '../helpers/sim-fleet.js';

export interface ActJson {
  dry_run: boolean;
  plan: { node: string; image: string | null; action: string }[];
  outcome: { node: string; image: string | null; name: string | null; action: string; result: string; ok: boolean; error: string | null; note: string | null }[];
  nodes: { name: string; ok: boolean; error: string | null }[];
  unavailable?: string[];
}

/** A new active image in the catalog, cached (read through) on the given nodes. */
export function placeImage(fleet: SimFleetOnDisk, name: string, onNodes: number[], size = 1024 * 1024): string {
  const image = fleet.catalog.add({ name, size });
  for (const index of onNodes) fleet.nodes[index]!.readImage(image.id);
  return image.id;
}

/** PUT and DELETE requests each node received, as "METHOD path" lines. */
export function writes(node: SimNode): string[] {
  return node.requests.filter((request) => request.method === 'PUT' || request.method === 'DELETE').map((request) => `${request.method} ${request.path}`);
}

export function allWrites(fleet: SimFleetOnDisk): string[] {
  return fleet.nodes.flatMap((node) => writes(node).map((line) => `${node.name} ${line}`));
}

export function holdsImage(node: SimNode, image: string): 'cached' | 'queued' | 'absent' {
  const state = node.state();
  if (state.cached.some((entry) => entry.id === image)) return 'cached';
  return state.queued.includes(image) ? 'queued' : 'absent';
}

export function resultsOf(json: ActJson): string[] {
  return json.outcome.map((row) => `${row.node} ${row.action} ${row.image ?? '-'} ${row.result}`).sort();
}
