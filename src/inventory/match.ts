import { isIPv6Address } from './host.js';
import { expandNodeSet, foldNodeSet, NodeSetError } from './nodeset.js';
import { normalizeServiceUrl } from './url.js';

export interface NamedNode {
  name: string;
  url: string;
}

/** What one selection term (node-set expression, glob, URL or @group) stands for, or why it stands for nothing. */
export type TermMatch = { names: string[] } | { problem: string; about: 'nodes' | 'groups' | 'syntax' };

/**
 * Resolves one term against the inventory's nodes. Every name a term spells out must exist and every glob
 * must match something: a typo must never shrink or widen what a command touches.
 */
export function matchTerm(term: string, nodes: readonly NamedNode[], groups: Record<string, string[]>): TermMatch {
  if (term.startsWith('@')) {
    const members = groups[term.slice(1)];
    if (members) return { names: members };
    return { problem: 'is not a group', about: 'groups' };
  }
  if (term.includes('://')) return matchUrl(term, nodes);
  let patterns: string[];
  try {
    patterns = expandNodeSet(term);
  } catch (error) {
    if (error instanceof NodeSetError) return { problem: `is not a node set: ${error.message}`, about: 'syntax' };
    throw error;
  }
  const known = new Set(nodes.map((node) => node.name));
  const found = new Set<string>();
  const unknown: string[] = [];
  for (const pattern of patterns) {
    if (pattern.includes('*')) {
      const glob = globToRegExp(pattern);
      const hits = nodes.filter((node) => glob.test(node.name));
      if (hits.length === 0) return { problem: `matches no node (${pattern})`, about: 'nodes' };
      for (const hit of hits) found.add(hit.name);
    } else if (known.has(bareAddress(pattern))) {
      found.add(bareAddress(pattern));
    } else {
      unknown.push(pattern);
    }
  }
  if (found.size === 0) return { problem: 'matches no node', about: 'nodes' };
  if (unknown.length > 0) return { problem: `names unknown nodes ${foldNodeSet(unknown)}`, about: 'nodes' };
  return { names: nodes.filter((node) => found.has(node.name)).map((node) => node.name) };
}

function matchUrl(term: string, nodes: readonly NamedNode[]): TermMatch {
  const normalized = normalizeServiceUrl(term);
  if ('problem' in normalized) return { problem: `is not a node URL: ${normalized.problem}`, about: 'syntax' };
  const hits = nodes.filter((node) => node.url === normalized.url);
  if (hits.length === 0) return { problem: 'is the URL of no node', about: 'nodes' };
  return { names: hits.map((node) => node.name) };
}

/** "[fe80::1]" names the node fe80::1: nodes written as IPv6 addresses are named without brackets. */
function bareAddress(pattern: string): string {
  const inside = /^\[(.+)\]$/.exec(pattern)?.[1];
  return inside !== undefined && isIPv6Address(inside) ? inside : pattern;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}
