/**
 * A 403 from a node means glance's policy denied the token: say which rule and which role, since
 * "forbidden" alone sends operators hunting.
 */
export type CacheOperation = 'list' | 'queue' | 'delete';

const POLICIES: Record<CacheOperation, string> = { list: 'cache_list', queue: 'cache_image', delete: 'cache_delete' };

/** `reason` is glance's own message, already reduced to one line (errorReason), not yet escaped; may be empty. */
export function explainForbidden(operation: CacheOperation, nodeName: string, reason: string): string {
  const said = reason ? ` (glance said: ${reason})` : '';
  return `${nodeName}: forbidden: policy ${POLICIES[operation]} (default: role:admin; manage_image_cache on Zed and older) denied this token${said}; use an admin user or adjust glance's policy`;
}
