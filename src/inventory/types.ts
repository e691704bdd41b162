import type { SourceLocation } from '../errors.js';

/** One glance-api node as the rest of the tool sees it: every default already applied. */
export interface NodeSpec {
  name: string;
  /** Base URL of the node's cache API, no trailing slash; may carry a path prefix (docs/architecture.md, "The problem in one paragraph"). */
  url: string;
  /** Base URL for /v2/images when it lives elsewhere than the cache API; undefined means `url`. */
  imagesUrl?: string | undefined;
  labels: Record<string, string>;
  /** Total time allowed for this node's work in one command. */
  timeoutMs: number;
  connectTimeoutMs: number;
  /** The node's image_cache_max_size as the operator declared it. */
  maxSizeBytes?: number | undefined;
  caFile?: string | undefined;
  insecure?: boolean | undefined;
  /** Where the node was declared, for error messages. */
  at: SourceLocation;
}

/** The `auth:` block of an inventory, passed to src/auth unchanged but for location info. */
export interface InventoryAuth {
  settings: Record<string, unknown>;
  at: SourceLocation;
}

export interface Inventory {
  /** What was read: a file path, "kolla:/path", "osa:/path"... */
  source: string;
  nodes: NodeSpec[];
  /** Group name (without @) to the names of its nodes, in inventory order. */
  groups: Record<string, string[]>;
  auth?: InventoryAuth | undefined;
  /** Image IDs or names that prune must never evict. */
  protect: string[];
  /** Fleet-wide images API endpoint (e.g. the load balancer), when declared. */
  imagesUrl?: string | undefined;
}

export interface Selection {
  nodes: string[];
  exclude: string[];
  all: boolean;
  /** -l key=value pairs, as given: every one must hold. */
  labels: string[];
}
