/**
 * One glance-api node's cache API, in either flavor: the v2.14+ `/v2/cache` API or the older
 * cachemanagement middleware (`/v2/cached_images`, `/v2/queued_images`). Which one a node speaks is
 * found per node by discover(): a fleet in the middle of an upgrade is mixed.
 */
import type { HttpResponse } from '../http/client.js';
import { RequestFailure } from '../http/failure.js';
import { expectJson, expectStatus } from '../http/json.js';
import type { NodeSpec } from '../inventory/types.js';
import { decodeHere } from './decode-pool.js';
import { cappedText, isImageId, parseLegacyCached, parseLegacyQueued, parsePruneResult, parseVersions } from './parse.js';
import { createGlanceRequester, type GlanceDeps } from './request.js';
import type { ApiInfo, ClearTarget, DeleteOutcome, NodeCache, PruneResult } from '../core/model.js';

export interface NodeClient {
  readonly node: NodeSpec;
  discover(signal?: AbortSignal): Promise<ApiInfo>;
  listCache(api: ApiInfo, signal?: AbortSignal): Promise<NodeCache>;
  /** Queues the image; on the `/v2/cache` API of Zed and later the node starts caching it at once, in the background. */
  queueImage(api: ApiInfo, id: string, signal?: AbortSignal): Promise<void>;
  /** Drops the image from the node's cache and queue; works for images Glance no longer knows. */
  dequeueOrDelete(api: ApiInfo, id: string, signal?: AbortSignal): Promise<DeleteOutcome>;
  clear(api: ApiInfo, target: ClearTarget, signal?: AbortSignal): Promise<void>;
  /** Server-side prune, for nodes whose ApiInfo says serverSidePrune (API v2.18). */
  prune(signal?: AbortSignal): Promise<PruneResult>;
}

/** Glance answers 202 to a queue, 204 to deletes; the legacy middleware answers 200 to everything. */
const DONE = [200, 202, 204];
const CLEAR_HEADER = 'x-image-cache-clear-target';
/** Glance takes an empty value, not "both", to mean cache and queue (anything else is a 400). */
const CLEAR_VALUES: Record<ClearTarget, string> = { cache: 'cache', queue: 'queue', both: '' };
const LEGACY_LISTS: Record<Exclude<ClearTarget, 'both'>, string> = { cache: '/v2/cached_images', queue: '/v2/queued_images' };

export function createNodeClient(node: NodeSpec, deps: GlanceDeps): NodeClient {
  const request = createGlanceRequester(node.url, deps);

  async function legacyCall(method: 'GET' | 'DELETE', path: string, signal?: AbortSignal): Promise<HttpResponse> {
    const response = await request({ method, path, signal });
    if (response.status === 404) {
      throw new RequestFailure('unsupported', `has no cache API: API below v2.14 and no cachemanagement middleware (${method} ${path} answered 404)`, 404);
    }
    return response;
  }

  return {
    node,

    async discover(signal) {
      let response = await request({ method: 'GET', path: '/versions', signal });
      // Some proxies only pass the root through; Glance answers both, / with 300 Multiple Choices.
      if (response.status === 404) response = await request({ method: 'GET', path: '/', signal });
      return parseVersions(expectJson(response, [200, 300]));
    },

    async listCache(api, signal) {
      if (api.flavor === 'cache') return (deps.decodeCache ?? decodeHere)(await request({ method: 'GET', path: '/v2/cache', signal }));
      const [cached, queued] = await Promise.all([legacyCall('GET', LEGACY_LISTS.cache, signal), legacyCall('GET', LEGACY_LISTS.queue, signal)]);
      return { cached: parseLegacyCached(expectJson(cached)), queued: parseLegacyQueued(expectJson(queued)) };
    },

    async queueImage(api, id, signal) {
      const path = api.flavor === 'cache' ? imagePath('/v2/cache', id, deps.scrub) : imagePath(LEGACY_LISTS.queue, id, deps.scrub);
      expectStatus(await request({ method: 'PUT', path, signal }), DONE);
    },

    async dequeueOrDelete(api, id, signal) {
      const prefixes = api.flavor === 'cache' ? ['/v2/cache'] : [LEGACY_LISTS.cache, LEGACY_LISTS.queue];
      const outcomes = await Promise.all(
        prefixes.map(async (prefix): Promise<DeleteOutcome> => {
          const response = await request({ method: 'DELETE', path: imagePath(prefix, id, deps.scrub), signal });
          // /v2/cache: the image is neither in Glance nor cached; legacy: not in that list.
          if (response.status === 404) return 'absent';
          expectStatus(response, DONE);
          return 'deleted';
        }),
      );
      return outcomes.includes('deleted') ? 'deleted' : 'absent';
    },

    async clear(api, target, signal) {
      if (api.flavor === 'cache') {
        const headers = { [CLEAR_HEADER]: CLEAR_VALUES[target] };
        expectStatus(await request({ method: 'DELETE', path: '/v2/cache', headers, signal }), DONE);
        return;
      }
      const lists = target === 'both' ? [LEGACY_LISTS.cache, LEGACY_LISTS.queue] : [LEGACY_LISTS[target]];
      const responses = await Promise.all(lists.map((path) => legacyCall('DELETE', path, signal)));
      for (const response of responses) expectStatus(response, DONE);
    },

    async prune(signal) {
      const response = await request({ method: 'POST', path: '/v2/cache/prune', signal });
      if (response.status === 404 || response.status === 405) {
        throw new RequestFailure('unsupported', 'has no server-side prune (needs Glance API v2.18)', response.status);
      }
      return parsePruneResult(expectJson(response));
    },
  };
}

/** Enough of an ID that is not one to recognise it by in an error line. */
const MAX_SHOWN_ID_CHARS = 80;

/** The only way an image ID enters a URL: IDs a node reported are data, and may be anything. */
function imagePath(prefix: string, id: string, scrub: (text: string) => string): string {
  if (!isImageId(id)) {
    const shown = cappedText(id, MAX_SHOWN_ID_CHARS, scrub);
    throw new RequestFailure('unsupported', `"${shown}" is not an image ID (UUID), so it is not sent to the node`);
  }
  return `${prefix}/${id}`;
}
