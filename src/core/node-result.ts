import type { ApiInfo, NodeCache } from '../glance/types.js';
import type { FailureKind } from '../http/failure.js';

/** What one node said during a listing; the unit every pure core function consumes. */
export interface NodeListing {
  name: string;
  url: string;
  ok: boolean;
  error: string | null;
  errorKind: FailureKind | null;
  api: ApiInfo | null;
  cache: NodeCache | null;
  latencyMs: number | null;
  maxSizeBytes: number | null;
}
