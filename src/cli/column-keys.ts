/**
 * The columns of every list a command shows, as JSON field names: the one list each view builds its
 * table from (defineColumns) and the command tree reads for -c and --sort-column (checked before any
 * request, completed in every shell). Plain data, so loading the tree stays cheap.
 */
export const IMAGE_KEYS = ['id', 'name', 'size', 'cached_on', 'queued_on', 'hits', 'last_accessed', 'status'] as const;
/** ls --per-node: one column per node, `node:<name>`. */
export const PER_NODE_KEY = 'node:';
export const NODE_KEYS = ['name', 'url', 'ok', 'latency_ms', 'api', 'cache_driver', 'cached_images', 'cached_bytes', 'queued_images', 'usage_percent', 'error', 'warnings'] as const;
export const LOCATION_KEYS = ['id', 'name', 'node', 'state', 'hits', 'last_accessed', 'size'] as const;
export const DIFFERENCE_KEYS = ['id', 'name', 'size', 'missing_on', 'extra_on', 'present_on'] as const;
/** diff --orphans. */
export const FINDING_KEYS = ['kind', 'image', 'name', 'nodes', 'bytes', 'detail'] as const;
export const INVENTORY_KEYS = ['name', 'url', 'groups', 'labels', 'timeout', 'max_size', 'defined_at'] as const;
/** What an acting command would send (--dry-run), and what became of it. */
export const PLAN_KEYS = ['node', 'image', 'name', 'action', 'size', 'reasons'] as const;
export const OUTCOME_KEYS = ['node', 'image', 'name', 'action', 'result', 'error', 'note'] as const;
/** Every acting command: its outcome, or with --dry-run its plan. */
export const ACT_COLUMNS = { list: OUTCOME_KEYS, when: { dryRun: PLAN_KEYS } } as const;
