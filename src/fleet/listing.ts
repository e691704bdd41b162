/**
 * Lists every selected node's cache at once and looks up image names on the way.
 */
import type { ApiInfo, ImageInfo, NodeCache, NodeListing } from '../core/model.js';
import type { NodeClient } from '../glance/node-client.js';
import { LOOKUP_BATCH, LOOKUP_CONCURRENCY, LOOKUP_IN_FLIGHT, firstImagesPage, lookupImages } from '../glance/images-client.js';
import { RequestFailure } from '../http/failure.js';
import type { NodeSpec } from '../inventory/types.js';
import { AuthError } from '../errors.js';
import { fanOut } from './fanout.js';
import { ImageLookup } from './image-lookup.js';
import type { Fleet } from './fleet.js';

/** A node that answered GET /v2/cache without being asked for its versions: flavor known, version not. */
const UNDISCOVERED_CACHE_API: ApiInfo = { flavor: 'cache', version: '', serverSidePrune: false };

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
  /** Ask every node for its API versions too (`nodes`, server-side prune); otherwise only where needed. */
  discover: boolean;
  onProgress?: (done: number, total: number) => void;
}

export async function listFleet(fleet: Fleet, options: ListingOptions): Promise<FleetListing> {
  const lookup = new ImageLookup((baseUrl, ids, signal) => lookupImages(baseUrl, ids, fleet.imagesDeps(baseUrl), signal), options.signal, LOOKUP_BATCH, LOOKUP_CONCURRENCY, LOOKUP_IN_FLIGHT);
  // Names in the same round trip as the caches: a page of the images API, through the first node (or the
  // fleet's images_url), asked as soon as the token is there. If that node fails its own listing, its page
  // is given up at once rather than left to hold the name lookups until it times out.
  const primerNode = fleet.nodes[0];
  const primer = new AbortController();
  const abandonPrimer = () => primer.abort(new Error('its node failed'));
  options.signal.addEventListener('abort', abandonPrimer, { once: true });
  if (options.withImages && primerNode) {
    const base = fleet.imagesBaseFor(primerNode);
    lookup.prime(
      fleet.session
        .token(primer.signal)
        .then(() => firstImagesPage(base, fleet.imagesDeps(base), primer.signal))
        .catch(() => null),
    );
  }
  let authFailure: AuthError | undefined;
  let done = 0;
  const outcomes = await fanOut(
    fleet.nodes,
    async (node: NodeSpec, signal) => {
      const client = fleet.client(node);
      try {
        // The run's one token first, so the time measured is this node's own round trip, not Keystone's.
        await fleet.session.token(signal);
        const sent = options.now();
        const { api, cache } = await surveyNode(client, options.discover, signal);
        const latencyMs = options.now() - sent;
        if (options.withImages) {
          // lookupImages keeps only UUIDs; ImageLookup drops the IDs already asked for before that.
          lookup.request(fleet.imagesBaseFor(node), [...cache.cached.map((image) => image.id), ...cache.queued]);
        }
        return { api, cache, latencyMs };
      } catch (error) {
        if (node === primerNode) abandonPrimer();
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
  // Keystone down or refusing us fails every node the same way: one line, exit 4. A node that alone
  // refuses the run's token (its own keystonemiddleware is broken) is that node's failure; the rest stand.
  if (authFailure && outcomes.every((outcome) => !outcome.ok)) throw authFailure;
  const { images, error } = await lookup.settle();
  options.signal.removeEventListener('abort', abandonPrimer);
  const listings: NodeListing[] = outcomes.map((outcome) => ({
    name: outcome.node.name,
    url: outcome.node.url,
    ok: outcome.ok,
    error: outcome.ok ? null : outcome.failure.message,
    errorKind: outcome.ok ? null : outcome.failure.kind,
    api: outcome.ok ? outcome.value.api : null,
    cache: outcome.ok ? outcome.value.cache : null,
    latencyMs: outcome.ok ? Math.round(outcome.value.latencyMs) : null,
    maxSizeBytes: outcome.node.maxSizeBytes ?? null,
  }));
  return { listings, images, namesError: error, interrupted: options.signal.aborted };
}

/**
 * One node's cache, in as few round trips as its flavor allows. With `discover`, the versions are asked
 * alongside /v2/cache (one round trip, two requests); without, /v2/cache alone, and the versions only
 * when it answers 404, to find the legacy middleware: one request per node for the common case, which
 * is what keeps a 1000-node listing near one fan-out wave.
 */
async function surveyNode(client: NodeClient, discover: boolean, signal: AbortSignal): Promise<{ api: ApiInfo; cache: NodeCache }> {
  const optimistic = client.listCache(UNDISCOVERED_CACHE_API, signal);
  if (discover) {
    optimistic.catch(() => undefined);
    const api = await client.discover(signal);
    return { api, cache: api.flavor === 'cache' ? await optimistic : await client.listCache(api, signal) };
  }
  try {
    return { api: UNDISCOVERED_CACHE_API, cache: await optimistic };
  } catch (error) {
    if (!(error instanceof RequestFailure && error.kind === 'not-found')) throw error;
    const api = await client.discover(signal);
    if (api.flavor === 'cache') throw error;
    return { api, cache: await client.listCache(api, signal) };
  }
}
