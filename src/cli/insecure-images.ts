/**
 * Name lookups go to an images API through the TLS profile of the first node that uses it (fleet.ts,
 * imagesDeps), so a node's `--insecure` (or `insecure: true`) also leaves an https `images_url` of the
 * inventory unverified. The warning must say so: the token goes there too.
 */
import type { NodeSpec } from '../inventory/types.js';

/** The https images APIs (origins) reached without verification, in the order of the nodes that use them. */
export function insecureImagesApis(nodes: readonly NodeSpec[], fleetImagesUrl: string | undefined, insecure: (node: NodeSpec) => boolean): string[] {
  const first = new Map<string, NodeSpec>();
  for (const node of nodes) {
    const base = node.imagesUrl ?? fleetImagesUrl;
    // Without an images_url the node answers lookups itself: the warning names it as a node.
    if (base !== undefined && base !== node.url && !first.has(base)) first.set(base, node);
  }
  const origins = [...first].filter(([base, node]) => base.startsWith('https:') && insecure(node)).map(([base]) => new URL(base).origin);
  return [...new Set(origins)];
}
