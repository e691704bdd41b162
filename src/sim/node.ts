/**
 * A simulated glance-api node on loopback: the versions document, the v2.14+ cache API and/or the legacy
 * cachemanagement middleware (the paste flavor), the images API and its schemas over a shared catalog,
 * Keystone-style tokens with Glance's admin-only cache policies, and injectable faults. It follows real
 * Glance, quirks included: the contract suite in test/contract holds it to the same checks as a real
 * fleet, and docs/simulator.md says what it models.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { redactHeaders } from '../http/redact.js';
import { SimCatalog } from './catalog.js';
import { deliver, faultedReply, type SimFaults } from './faults.js';
import { SimNodeCache, type CacheDriver, type SimCacheEntry } from './node-cache.js';
import { emptyReply, forHead, glanceError, jsonReply, methodNotAllowed, plainReply, unauthorized, type Reply } from './replies.js';
import { IMAGE_SCHEMA, IMAGES_SCHEMA } from './schemas.js';

/**
 * Glance's paste flavor: which cache APIs the node serves. cachemanagement (keystone+cachemanagement, the
 * default, as the real fleets run): /v2/cache and the legacy /v2/cached_images and /v2/queued_images side
 * by side. cache (keystone+cache): /v2/cache only. legacy: the middleware only, API v2.13 or lower, as
 * releases before the v2.14 cache API (Glance 24, Yoga) served it; no 25.1 node looks like that.
 */
export type SimFlavor = 'cache' | 'cachemanagement' | 'legacy';

/**
 * The Glance release a node follows where releases differ. zed: Glance 25 (2022.2), API v2.16, the sqlite
 * driver. epoxy: Glance 30 (2025.1), API v2.17, centralized_db: entries carry their database row id and a
 * checksum, and a fresh copy's last_accessed is a few microseconds before its last_modified. next: Glance's
 * development branch, API v2.18, centralized_db, with POST /v2/cache/clean, POST /v2/cache/prune and
 * GET /v2/cache/nodes/{image_id}.
 */
export type SimRelease = 'zed' | 'epoxy' | 'next';

export interface SimTokens {
  admin: string[];
  member: string[];
  /** Each token is refused (401) once this node has accepted it this many times: a token expiring mid-run. */
  maxUses?: number;
}

export interface SimNodeOptions {
  name?: string;
  /** Shared by the nodes of one fleet, as Glance nodes share a database. */
  catalog?: SimCatalog;
  flavor?: SimFlavor;
  /** zed (the default), epoxy or next: the default API version and cache driver. */
  release?: SimRelease;
  /** Highest API version listed: the release's ("v2.16" Zed, "v2.17" Epoxy, "v2.18" next) by default, "v2.13" or lower for legacy. */
  apiVersion?: string;
  /** The release's by default: sqlite on Zed, centralized_db on Epoxy. */
  driver?: CacheDriver;
  /**
   * centralized_db: the worker_self_reference_url the node starts with, its own URL by default. Nodes of
   * one catalog started with the same one list the same database rows (a misconfigured fleet).
   */
  selfReferenceUrl?: string;
  /** Without tokens the node runs noauth, every caller an admin. */
  tokens?: SimTokens;
  /**
   * How long Glance's cache worker takes to cache an image after PUT /v2/cache/{id}: until then listings
   * show it queued. DEFAULT_CACHE_DELAY_MS by default; 0 caches before the PUT is answered.
   */
  cacheDelayMs?: number;
  /** image_cache_max_size, the target of server-side prune. */
  maxSizeBytes?: number;
  host?: string;
  port?: number;
  /** Serve everything under this path, as a cache endpoint behind its own prefix ("/glance"). */
  prefix?: string;
  faults?: SimFaults;
  /** Serve HTTPS with this PEM key and certificate (a node behind its own TLS). */
  tls?: { key: string; cert: string };
  /** Epoch milliseconds. */
  now?: () => number;
}

export interface SimRequest {
  method: string;
  path: string;
  /** As received, with tokens redacted. */
  headers: Record<string, string>;
}

export interface SimNode {
  readonly name: string;
  /** Base URL including any prefix, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly flavor: SimFlavor;
  readonly release: SimRelease;
  readonly driver: CacheDriver;
  readonly catalog: SimCatalog;
  /** Every request received, oldest first (the oldest are dropped past MAX_TRACKED_REQUESTS). */
  readonly requests: SimRequest[];
  /** Replaces the current faults; failAfter counts from this call. */
  setFaults(faults: SimFaults): void;
  /** A read of the image data through this node: caches the image, or counts a hit if it is cached. */
  readImage(id: string): void;
  /** Puts an entry straight into the cache dir, whatever its ID: orphans, junk, hostile names. */
  putCacheEntry(entry: Partial<SimCacheEntry> & { id: string }): void;
  /** Queues an ID straight into the queue dir. */
  queueImage(id: string): void;
  /** glance-cache-prefetcher: caches the queued images Glance can serve; returns how many. */
  runPrefetcher(): number;
  state(): { cached: SimCacheEntry[]; queued: string[] };
  /** Renders the listing bodies now, so that the first listing of a benchmark does not pay for it. */
  prerender(): void;
  close(): Promise<void>;
}

const DEFAULT_CACHE_API: Record<SimRelease, number> = { zed: 16, epoxy: 17, next: 18 };
const DEFAULT_DRIVER: Record<SimRelease, CacheDriver> = { zed: 'sqlite', epoxy: 'centralized_db', next: 'centralized_db' };
const DEFAULT_LEGACY_API = 13;
const FIRST_CACHE_API = 14;
/** v2.18: POST /v2/cache/clean and /v2/cache/prune, GET /v2/cache/nodes/{image_id}. */
const CACHE_ADMIN_API = 18;
/**
 * A real node's worker cached a 512 KiB image 50-80 ms after the PUT, on loopback (Zed and Epoxy alike):
 * long enough that a listing right after the PUT shows it queued, short enough for tests.
 */
export const DEFAULT_CACHE_DELAY_MS = 50;
const DEFAULT_MAX_SIZE = 10 * 1024 ** 3;
export const MAX_TRACKED_REQUESTS = 10_000;
/** Glance's limit_param_default and api_limit_max. */
const DEFAULT_PAGE = 25;
const MAX_PAGE = 1000;
const CLEAR_HEADER = 'x-image-cache-clear-target';
/** oslo's request_id middleware, behind authtoken: every answer past the token check carries one. */
const REQUEST_ID_HEADER = 'X-Openstack-Request-Id';
const EPOXY_API = 17;
const EPOXY_CURRENT_AFTER = 8;
/** Where the 401's WWW-Authenticate header sends clients; the simulator has no Keystone. */
const KEYSTONE_URL = 'http://keystone.sim.invalid/v3';

type Role = 'admin' | 'member';

interface Call {
  method: string;
  /** Path segments after the prefix, percent-decoded. */
  segments: string[];
  query: URLSearchParams;
  accept: string | undefined;
  headers: IncomingMessage['headers'];
  role: Role;
}

export async function startSimNode(options: SimNodeOptions = {}): Promise<SimNode> {
  const catalog = options.catalog ?? new SimCatalog({ now: options.now });
  const flavor = options.flavor ?? 'cachemanagement';
  const release = options.release ?? 'zed';
  const apiMinor = apiMinorOf(options.apiVersion, flavor, release);
  const driver = options.driver ?? DEFAULT_DRIVER[release];
  if (driver === 'centralized_db' && release === 'zed') throw new Error('the centralized_db driver came with Glance 2024.1: use release epoxy or next');
  if (options.selfReferenceUrl !== undefined && driver !== 'centralized_db') throw new Error('selfReferenceUrl needs the centralized_db driver');
  // Glance stores time.time(): microseconds, which Date.now() lacks.
  const injectedNow = options.now;
  const nowSeconds = injectedNow ? () => injectedNow() / 1000 : () => (performance.timeOrigin + performance.now()) / 1000;
  const prefix = (options.prefix ?? '').replace(/\/+$/, '');
  const cacheDelayMs = options.cacheDelayMs ?? DEFAULT_CACHE_DELAY_MS;
  const maxSizeBytes = options.maxSizeBytes ?? DEFAULT_MAX_SIZE;
  const requests: SimRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const tokenUses = new Map<string, number>();
  let faults: SimFaults = { ...options.faults };
  let served = 0;
  let versionsBody = Buffer.alloc(0);

  function later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  }

  /** A new entry has hits 0 and the caching time in both times, give or take the driver's microseconds (seen). */
  function cacheFromCatalog(id: string): boolean {
    const image = catalog.find(id);
    if (!image || image.status !== 'active') return false;
    cache.store({ id, size: image.size ?? 0, hits: 0, ...cache.fresh(nowSeconds()) });
    return true;
  }

  function authenticate(headers: IncomingMessage['headers']): Role | null {
    if (!options.tokens) return 'admin';
    const token = headers['x-auth-token'];
    if (typeof token !== 'string') return null;
    const role = options.tokens.admin.includes(token) ? 'admin' : options.tokens.member.includes(token) ? 'member' : null;
    if (role === null || options.tokens.maxUses === undefined) return role;
    const uses = tokenUses.get(token) ?? 0;
    if (uses >= options.tokens.maxUses) return null;
    tokenUses.set(token, uses + 1);
    return role;
  }

  function route(request: IncomingMessage): Reply {
    const reply = answer(request);
    return request.method === 'HEAD' ? forHead(reply) : reply;
  }

  function answer(request: IncomingMessage): Reply {
    const accept = request.headers.accept;
    const parsed = new URL(request.url ?? '/', 'http://sim.invalid');
    const method = request.method ?? 'GET';
    if (prefix && parsed.pathname !== prefix && !parsed.pathname.startsWith(`${prefix}/`)) return glanceError(404, accept);
    const path = parsed.pathname.slice(prefix.length) || '/';
    // healthcheck, then version discovery, sit in front of authtoken in Glance's pipeline: no token, no
    // request id. Discovery answers every method on /versions, and every path outside /v2 (a wrong
    // prefix, say) with the version list and 300.
    if (path === '/healthcheck') return method === 'HEAD' ? { status: 204, headers: {}, body: Buffer.alloc(0) } : plainReply(200, 'OK');
    if (path === '/versions') return jsonReply(200, versionsBody);
    if (path !== '/v2' && !path.startsWith('/v2/')) return jsonReply(300, versionsBody);
    const role = authenticate(request.headers);
    if (role === null) return unauthorized(accept, KEYSTONE_URL);
    const reply = routeV2(path, { method, query: parsed.searchParams, accept, headers: request.headers, role });
    reply.headers[REQUEST_ID_HEADER] = `req-${randomUUID()}`;
    return reply;
  }

  function routeV2(path: string, base: Omit<Call, 'segments'>): Reply {
    const parts = path.split('/').slice(1);
    // The routes match whole segments: "/v2/cache/" is no route (404), as on Glance.
    if (parts.some((part) => part === '')) return glanceError(404, base.accept);
    const call: Call = { ...base, segments: parts.map(unquote) };
    const resource = call.segments[1];
    if (resource === 'images') return imagesApi(call);
    if (resource === 'schemas') return schemasApi(call);
    if (resource === 'cache' && flavor !== 'legacy') return cacheApi(call);
    if ((resource === 'cached_images' || resource === 'queued_images') && flavor !== 'cache') return legacyApi(call);
    return glanceError(404, call.accept);
  }

  /** Glance's routes in their order: /cache, /cache/{image_id}, then v2.18's nodes, clean and prune. */
  function cacheApi(call: Call): Reply {
    const [, , id, extra, more] = call.segments;
    if (id === 'nodes' && extra !== undefined && more === undefined && apiMinor >= CACHE_ADMIN_API) return cachedNodes(call, extra);
    if (extra !== undefined) return glanceError(404, call.accept);
    if (id === undefined) {
      if (call.method === 'GET') return call.role === 'admin' ? jsonReply(200, cache.stateBody()) : forbidden(call, 'cache_list');
      if (call.method === 'DELETE') return clearCache(call);
      return notAllowed(call, 'GET, DELETE');
    }
    if (call.method === 'POST' && apiMinor >= CACHE_ADMIN_API && id === 'prune') {
      if (call.role !== 'admin') return forbidden(call, 'cache_prune');
      const totals = cache.prune(maxSizeBytes);
      return jsonReply(200, { total_files_pruned: totals.files, total_bytes_pruned: totals.bytes });
    }
    // The simulator has no invalid or stalled files to clean; Glance answers 200 with an empty body.
    if (call.method === 'POST' && apiMinor >= CACHE_ADMIN_API && id === 'clean') return call.role === 'admin' ? emptyReply(200) : forbidden(call, 'cache_clean');
    if (call.method === 'PUT') return queueFromApi(call, id);
    if (call.method === 'DELETE') return deleteEntry(call, id);
    return notAllowed(call, 'DELETE, PUT');
  }

  // Glance looks the image up before it checks the policy, so unknown images are 404 even for members.
  function queueFromApi(call: Call, id: string): Reply {
    const image = catalog.find(id);
    if (!image) return glanceError(404, call.accept, `Image ${id} not found.`);
    if (call.role !== 'admin') return forbidden(call, 'cache_image');
    if (image.status !== 'active') return glanceError(400, call.accept, 'Only images with status active can be targeted for queueing');
    if (cache.isCached(id)) return emptyReply(202);
    cache.queue(id);
    const cacheIt = () => {
      if (cache.isQueued(id)) cacheFromCatalog(id);
    };
    if (cacheDelayMs > 0) later(cacheDelayMs, cacheIt);
    else cacheIt();
    return emptyReply(202);
  }

  /** The node_reference URLs whose rows hold the image: the policy, then the driver, then the image. */
  function cachedNodes(call: Call, id: string): Reply {
    if (call.method !== 'GET') return notAllowed(call, 'GET');
    if (call.role !== 'admin') return forbidden(call, 'list_cached_nodes');
    if (driver !== 'centralized_db') return glanceError(409, call.accept, 'Centralized caching is not enabled');
    if (!catalog.find(id)) return glanceError(404, call.accept, `Image ${id} not found.`);
    return jsonReply(200, catalog.cachedNodes(id));
  }

  function deleteEntry(call: Call, id: string): Reply {
    if (!catalog.find(id) && !cache.isCached(id) && !cache.isQueued(id)) return glanceError(404, call.accept, `Image ${id} not found.`);
    if (call.role !== 'admin') return forbidden(call, 'cache_delete');
    cache.removeCached(id);
    cache.removeQueued(id);
    return emptyReply(204);
  }

  function clearCache(call: Call): Reply {
    if (call.role !== 'admin') return forbidden(call, 'cache_delete');
    const header = call.headers[CLEAR_HEADER];
    const target = (Array.isArray(header) ? header.join(',') : (header ?? '')).toLowerCase();
    if (target !== '' && target !== 'cache' && target !== 'queue') {
      return glanceError(400, call.accept, `If provided '${CLEAR_HEADER}' must be 'cache', 'queue' or empty string.`);
    }
    if (target !== 'queue') cache.clearCached();
    if (target !== 'cache') cache.clearQueued();
    return emptyReply(204);
  }

  /** The cachemanagement middleware: admin policy first, no image lookups, `null` bodies on success. */
  function legacyApi(call: Call): Reply {
    const [, resource, id, extra] = call.segments;
    const list = resource === 'cached_images' ? 'cached' : resource === 'queued_images' ? 'queued' : undefined;
    if (list === undefined || extra !== undefined) return glanceError(404, call.accept);
    const allowed = id === undefined ? ['GET', 'DELETE'] : list === 'queued' ? ['PUT', 'DELETE'] : ['DELETE'];
    if (!allowed.includes(call.method)) return glanceError(404, call.accept);
    if (call.role !== 'admin') return forbidden(call, 'manage_image_cache');
    if (id === undefined && call.method === 'GET') return jsonReply(200, list === 'cached' ? cache.cachedBody() : cache.queuedBody());
    if (id === undefined) return jsonReply(200, { num_deleted: list === 'cached' ? cache.clearCached() : cache.clearQueued() });
    if (call.method === 'PUT') cache.queue(id);
    else if (list === 'cached') cache.removeCached(id);
    else cache.removeQueued(id);
    return jsonReply(200, 'null');
  }

  function schemasApi(call: Call): Reply {
    const [, , name, extra] = call.segments;
    const schema = extra === undefined ? (name === 'image' ? IMAGE_SCHEMA : name === 'images' ? IMAGES_SCHEMA : undefined) : undefined;
    if (schema === undefined) return glanceError(404, call.accept);
    return call.method === 'GET' ? jsonReply(200, schema) : notAllowed(call, 'GET');
  }

  function imagesApi(call: Call): Reply {
    const [, , id, extra] = call.segments;
    if (extra !== undefined) return glanceError(404, call.accept);
    if (call.method !== 'GET') return notAllowed(call, id === undefined ? 'GET, POST' : 'GET, PATCH, DELETE');
    if (id !== undefined) {
      const image = catalog.find(id);
      return image ? jsonReply(200, catalog.json(image)) : glanceError(404, call.accept, `No image found with ID ${id}`);
    }
    const limitText = call.query.get('limit');
    if (limitText !== null && !/^\d+$/.test(limitText)) return glanceError(400, call.accept, 'limit param must be an integer');
    const limit = Math.min(limitText === null ? DEFAULT_PAGE : Number(limitText), MAX_PAGE);
    const marker = call.query.get('marker') ?? undefined;
    const page = catalog.list({ ids: filterValues(call.query.get('id')), names: filterValues(call.query.get('name')), limit, marker });
    if ('badMarker' in page) return glanceError(400, call.accept, `No image found with ID ${marker}`);
    // As Glance writes them: the request's own query, the marker moved to the end of "next".
    const query = new URLSearchParams(call.query);
    query.delete('marker');
    const link = (extra = '') => {
      const parts = [query.toString(), extra].filter((part) => part !== '');
      return JSON.stringify(parts.length > 0 ? `/v2/images?${parts.join('&')}` : '/v2/images');
    };
    const next = page.full ? `,"next":${link(`marker=${page.images[page.images.length - 1]!.id}`)}` : '';
    const images = page.images.map((image) => catalog.json(image)).join(',');
    return jsonReply(200, `{"images":[${images}],"first":${link()},"schema":"/v2/schemas/images"${next}}`);
  }

  function forbidden(call: Call, policy: string): Reply {
    return glanceError(403, call.accept, `You are not authorized to complete ${policy} action.`);
  }

  function notAllowed(call: Call, allow: string): Reply {
    return methodNotAllowed(call.method, allow, call.accept);
  }

  function handle(request: IncomingMessage, response: ServerResponse): void {
    request.resume();
    // A client that gives up mid-answer is normal here (timeouts are what we simulate).
    response.on('error', () => {});
    track(requests, request);
    served += 1;
    const active = faults.failAfter !== undefined && served <= faults.failAfter ? {} : faults;
    const answer = () => {
      if (response.destroyed) return;
      deliver(response, faultedReply(() => route(request), active, request.headers.accept, request.url ?? '/'), active);
    };
    const latency = faults.latencyMs ?? 0;
    if (latency > 0) later(latency, answer);
    else answer();
  }

  const server = options.tls ? createTlsServer(options.tls, handle) : createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const url = `${options.tls ? 'https' : 'http'}://${host}:${port}${prefix}`;
  // Only now, once the node listens: centralized_db's rows are found by the node's URL. No request can
  // arrive before this line runs (nothing else happens between the listen callback and here).
  const cache = driver === 'centralized_db' ? catalog.cacheRowsOf(options.selfReferenceUrl ?? url) : new SimNodeCache(driver);
  versionsBody = Buffer.from(JSON.stringify({ versions: versionList(apiMinor, `${url}/`, release) }));

  return {
    name: options.name ?? `sim-${port}`,
    url,
    port,
    flavor,
    release,
    driver,
    catalog,
    requests,
    setFaults(next) {
      faults = { ...next };
      served = 0;
    },
    readImage(id) {
      if (cache.hit(id, nowSeconds())) return;
      if (!cacheFromCatalog(id)) throw new Error(`image ${id} is not an active image of the catalog`);
    },
    putCacheEntry(entry) {
      cache.store({ size: catalog.record(entry.id)?.size ?? 0, hits: 0, ...cache.fresh(nowSeconds()), ...entry });
    },
    queueImage(id) {
      cache.queue(id);
    },
    runPrefetcher() {
      return cache.queuedIds().filter((id) => cacheFromCatalog(id)).length;
    },
    state: () => ({ cached: cache.entries(), queued: cache.queuedIds() }),
    // Only the bodies glance-cache will ask for: a cachemanagement node's legacy listings render on first use.
    prerender() {
      if (flavor !== 'legacy') {
        cache.stateBody();
        return;
      }
      cache.cachedBody();
      cache.queuedBody();
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function apiMinorOf(version: string | undefined, flavor: SimFlavor, release: SimRelease): number {
  if (version === undefined) return flavor === 'legacy' ? DEFAULT_LEGACY_API : DEFAULT_CACHE_API[release];
  const match = /^v2\.(\d+)$/.exec(version);
  if (!match) throw new Error(`apiVersion "${version}" is not of the form v2.N`);
  const minor = Number(match[1]);
  if (flavor !== 'legacy' && minor < FIRST_CACHE_API) throw new Error(`the ${flavor} flavor needs apiVersion v2.${FIRST_CACHE_API} or later, not ${version}`);
  if (flavor === 'legacy' && minor >= FIRST_CACHE_API) throw new Error(`the legacy flavor stops below v2.${FIRST_CACHE_API}, not ${version}`);
  return minor;
}

/**
 * Glance's list: the newest CURRENT, every older minor SUPPORTED, newest first; except that Glance 30
 * lists its CURRENT v2.17 between v2.8 and v2.7 (seen), which clients must cope with.
 */
function versionList(minor: number, href: string, release: SimRelease): object[] {
  const link = [{ rel: 'self', href: `${href}v2/` }];
  const minors = Array.from({ length: minor + 1 }, (_, index) => minor - index);
  if (release === 'epoxy' && minor === EPOXY_API && minors.includes(EPOXY_CURRENT_AFTER)) minors.splice(minors.indexOf(EPOXY_CURRENT_AFTER), 0, ...minors.splice(0, 1));
  return minors.map((n) => ({ id: `v2.${n}`, status: n === minor ? 'CURRENT' : 'SUPPORTED', links: link }));
}

/** Python's unquote: each valid %XX sequence decoded as UTF-8, anything else (`%ZZ`) kept as sent. */
function unquote(segment: string): string {
  return segment.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));
}

/** Glance's `in:` operator: `in:a,b,"c,d"`; a plain value is a one-item list. */
function filterValues(value: string | null): string[] | undefined {
  if (value === null) return undefined;
  if (!value.startsWith('in:')) return [value];
  return [...value.slice(3).matchAll(/"([^"]*)"|([^,]+)/g)].map((match) => match[1] ?? match[2]!);
}

function track(requests: SimRequest[], request: IncomingMessage): void {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  requests.push({ method: request.method ?? 'GET', path: request.url ?? '/', headers: redactHeaders(headers) });
  if (requests.length > MAX_TRACKED_REQUESTS) requests.splice(0, requests.length - MAX_TRACKED_REQUESTS);
}
