/**
 * Lists every selected node's cache at once and looks up image names on the way.
 */
import type { NodeListing } from '../core/node-result.js';
import type { ApiInfo, ImageInfo } from '../glance/types.js';
import { lookupImages } from '../glance/images-client.js';
import { isImageId } from '../glance/parse.js';
import { RequestFailure } from '../http/failure.js';
import type { NodeSpec } from '../inventory/types.js';
import { AuthError } from '../errors.js';
import { fanOut } from './fanout.js';
import { ImageLookup } from './image-lookup.js';
import type { Fleet } from './connect.js';

const CACHE_API: ApiInfo = { flavor: 'cache', version: 'v2.14', serverSidePrune: false };

export interface FleetListing {
  listings: NodeListing[];
  images: Map<string, ImageInfo>;
  /** Why names are missing, when the images API could not be asked. */
  namesError: string | null;
  interrupted: boolean;
}

export interface ListingOptions {
  signal: AbortSignal;
  fanout: number;
  now: () => number;
  /** Look up names and statuses through the images API. */
  withImages: boolean;
  onProgress?: (done: number, total: number) => void;
}

export async function listFleet(fleet: Fleet, options: ListingOptions): Promise<FleetListing> {
  const lookup = new ImageLookup((baseUrl, ids, signal) => lookupImages(baseUrl, ids, { http: fleet.http, session: fleet.session }, signal), options.signal);
  let authFailure: AuthError | undefined;
  let done = 0;
  const outcomes = await fanOut(
    fleet.nodes,
    async (node: NodeSpec, signal) => {
      const client = fleet.client(node);
      try {
        // Most nodes speak the /v2/cache API: ask for it alongside discovery, so a listing is one round
        // trip; a legacy node's 404 is dropped and its lists fetched once its flavor is known.
        const optimistic = client.listCache(CACHE_API, signal);
        optimistic.catch(() => undefined);
        const api = await client.discover(signal);
        const cache = api.flavor === 'cache' ? await optimistic : await client.listCache(api, signal);
        if (options.withImages) {
          lookup.request(fleet.imagesBaseFor(node), [...cache.cached.map((image) => image.id), ...cache.queued].filter(isImageId));
        }
        return { api, cache };
      } catch (error) {
        if (error instanceof AuthError) {
          authFailure ??= error;
          throw new RequestFailure('unauthorized', error.message);
        }
        throw error;
      }
    },
    {
      concurrency: options.fanout,
      signal: options.signal,
      timeoutMsOf: (node) => node.timeoutMs,
      now: options.now,
      onSettled: () => options.onProgress?.(++done, fleet.nodes.length),
    },
  );
  if (authFailure) throw authFailure;
  const { images, error } = await lookup.settle();
  const listings: NodeListing[] = outcomes.map((outcome) => ({
    name: outcome.node.name,
    url: outcome.node.url,
    ok: outcome.ok,
    error: outcome.ok ? null : outcome.failure.message,
    errorKind: outcome.ok ? null : outcome.failure.kind,
    api: outcome.ok ? outcome.value.api : null,
    cache: outcome.ok ? outcome.value.cache : null,
    latencyMs: outcome.ok ? Math.round(outcome.ms) : null,
    maxSizeBytes: outcome.node.maxSizeBytes ?? null,
  }));
  return { listings, images, namesError: error, interrupted: options.signal.aborted };
}
