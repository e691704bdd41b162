/**
 * The one contract for a glance-api node's cache API, run against real Glance and against the simulator.
 * When the two disagree, the simulator is wrong. The suite leaves every node as it found it.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { request } from 'undici';
import type { Session } from '../../src/auth/types.js';
import { lookupImages } from '../../src/glance/images-client.js';
import { createNodeClient, type NodeClient } from '../../src/glance/node-client.js';
import type { ApiInfo, NodeCache } from '../../src/core/model.js';
import { RequestFailure } from '../../src/http/failure.js';
import { IMAGE_SCHEMA } from '../../src/sim/schemas.js';
import type { FleetRelease } from './real-fleet.js';
import { eventually, fixedSession, noSecrets, nodeSpec, wire, type Wire } from './wire.js';

/** Where the releases' cache APIs differ: each one's fact, as its real fleet answers (test/fleet/OBSERVED.md). */
interface ReleaseFacts {
  /** The one version /versions lists as CURRENT. */
  current: string;
  /** The fields of a `cached_images` entry, sorted. */
  entryFields: string[];
  /** A fresh copy's `last_accessed`: the same value as `last_modified`, or set just before it. */
  freshAccess: 'same' | 'just-before';
}

export const RELEASE_FACTS: Record<FleetRelease, ReleaseFacts> = {
  // sqlite driver (Zed's default): one sqlite file per node; the insert writes one timestamp into both fields.
  zed: { current: 'v2.16', entryFields: ['hits', 'image_id', 'last_accessed', 'last_modified', 'size'], freshAccess: 'same' },
  // centralized_db (2024.1+'s default): rows in Glance's database, `id` their row id; the insert takes two
  // timestamps, last_accessed first.
  epoxy: { current: 'v2.17', entryFields: ['checksum', 'hits', 'id', 'image_id', 'last_accessed', 'last_modified', 'size'], freshAccess: 'just-before' },
};

/** Two timestamps taken one after the other inside Glance: microseconds apart, never near this bound. */
const JUST_BEFORE_S = 0.05;

export interface ContractNode {
  name: string;
  /** The node's cache endpoint, no trailing slash; may carry a path prefix. */
  url: string;
}

export interface ContractTarget {
  /** Whose facts the target shows where releases differ; the simulator plays Zed. */
  release: FleetRelease;
  /** The first node is the one the suite changes (and restores). */
  nodes: ContractNode[];
  /** Where /v2/images answers. */
  imagesUrl: string;
  /** An admin session; its token is null for noauth targets. */
  session: Session;
  /** A member (non-admin) token; a Keystone target must have one (the 403 checks). */
  memberToken?: string;
  /** An active image with data, which the suite caches and uncaches. */
  activeImageId: string;
  /** An ID Glance never had. */
  unknownImageId: string;
  /** An image that exists but is not active (created without data: `queued`). */
  notActiveImageId: string;
  /** Caches the image on the node the way production does (real: read its data through the node). */
  makeCached(node: ContractNode, imageId: string): Promise<void>;
  close(): Promise<void>;
}

/** Real Glance caches a PUT image in the background; a few seconds is plenty on loopback. */
const SETTLE_MS = 30_000;
const CLEAR_HEADER = 'x-image-cache-clear-target';
/** What webob names as the type of an empty success (202, 204) and of a HEAD's 405. */
const EMPTY_TYPE = 'text/html; charset=UTF-8';
/** oslo's request_id middleware, behind authtoken. */
const REQUEST_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `auth`: whether the target's nodes check Keystone tokens, or (noauth) take every caller as admin. */
export function defineCacheApiContract(label: string, auth: 'keystone' | 'noauth', setup: () => Promise<ContractTarget>): void {
  describe(`cache API contract: ${label}`, () => {
    let target: ContractTarget;
    let net: Wire;
    let node: ContractNode;
    let client: NodeClient;
    let api: ApiInfo;
    let token: string | null;
    let facts: ReleaseFacts;
    const initial = new Map<string, NodeCache>();

    const clientOf = (of: ContractNode, session: Session = target.session) => createNodeClient(nodeSpec(of.url, of.name), { http: net.http, session, scrub: noSecrets });
    const cachedIds = async () => (await client.listCache(api)).cached.map((image) => image.id);

    async function raw(path: string, options: { method?: 'GET' | 'PUT' | 'DELETE' | 'POST' | 'HEAD'; headers?: Record<string, string>; token?: string | null } = {}) {
      const sent = options.token === undefined ? token : options.token;
      const headers = { ...(sent === null ? {} : { 'x-auth-token': sent }), ...options.headers };
      const response = await request(`${node.url}${path}`, { method: options.method ?? 'GET', headers, dispatcher: net.agent });
      const text = await response.body.text();
      const type = String(response.headers['content-type'] ?? '');
      const requestId = response.headers['x-openstack-request-id'];
      return { status: response.statusCode, headers: response.headers, type, requestId, text, json: () => JSON.parse(text) as Record<string, unknown> };
    }

    /** The node's own `cached_images` entries, as it sends them. */
    async function rawEntries(of: ContractNode = node): Promise<Record<string, unknown>[]> {
      const response = await request(`${of.url}/v2/cache`, { headers: { ...(token === null ? {} : { 'x-auth-token': token }), accept: 'application/json' }, dispatcher: net.agent });
      return ((await response.body.json()) as { cached_images: Record<string, unknown>[] }).cached_images;
    }

    async function uncached(id: string): Promise<void> {
      await client.dequeueOrDelete(api, id);
      expect(await cachedIds()).not.toContain(id);
    }

    beforeAll(async () => {
      target = await setup();
      facts = RELEASE_FACTS[target.release];
      net = wire();
      node = target.nodes[0]!;
      client = clientOf(node);
      token = await target.session.token();
      api = await client.discover();
      for (const each of target.nodes) {
        const eachClient = clientOf(each);
        initial.set(each.name, await eachClient.listCache(await eachClient.discover()));
      }
    });

    afterAll(async () => {
      if (!target) return;
      try {
        for (const each of target.nodes) {
          const eachClient = clientOf(each);
          const eachApi = await eachClient.discover();
          const before = initial.get(each.name)!;
          const now = await eachClient.listCache(eachApi);
          const wanted = new Set([...before.cached.map((image) => image.id), ...before.queued]);
          for (const id of [...now.cached.map((image) => image.id), ...now.queued]) if (!wanted.has(id)) await eachClient.dequeueOrDelete(eachApi, id);
          const present = new Set(now.cached.map((image) => image.id));
          for (const image of before.cached) if (!present.has(image.id)) await target.makeCached(each, image.id);
          const queuedNow = new Set(now.queued);
          for (const id of before.queued) if (!queuedNow.has(id)) await eachClient.queueImage(eachApi, id);
        }
      } finally {
        await net?.close();
        await target.close();
      }
    });

    it('discovers the cache API from /versions (200) and / (300) without a token', async () => {
      const versions = await raw('/versions', { token: null });
      expect(versions.status).toBe(200);
      expect(versions.type).toMatch(/^application\/json/);
      expect((await raw('/', { token: null })).status).toBe(300);
      expect(api.flavor).toBe('cache');
      const listed = (versions.json().versions as { id: string; status: string }[]);
      expect(listed.filter((version) => version.status === 'CURRENT').map((version) => version.id)).toEqual([facts.current]);
      expect(api.version).toBe(facts.current);
    });

    it('answers a path outside /v2 (a wrong prefix) with its version list, 300, token or not', async () => {
      for (const sent of [null, undefined]) {
        const answer = await raw('/not-the-prefix/v2/cache', { token: sent, headers: { accept: 'application/json' } });
        expect(answer.status).toBe(300);
        expect(answer.json().versions).toEqual(expect.arrayContaining([expect.objectContaining({ id: api.version, status: 'CURRENT' })]));
      }
    });

    it('lists cached and queued images in the documented shape', async () => {
      const response = await raw('/v2/cache', { headers: { accept: 'application/json' } });
      expect(response.status).toBe(200);
      expect(response.type).toMatch(/^application\/json/);
      const body = response.json();
      expect(Array.isArray(body.cached_images)).toBe(true);
      expect(Array.isArray(body.queued_images)).toBe(true);
      expect((body.cached_images as unknown[]).length).toBeGreaterThan(0);
      for (const entry of body.cached_images as Record<string, unknown>[]) expect(Object.keys(entry).sort()).toEqual(facts.entryFields);
      const cache = await client.listCache(api);
      expect(cache.cached.map((image) => image.id)).toEqual((body.cached_images as { image_id: string }[]).map((entry) => entry.image_id));
    });

    it('numbers entries (Epoxy: database row ids, one sequence over every node; no checksum) or does not (Zed)', async () => {
      const everywhere = (await Promise.all(target.nodes.map((each) => rawEntries(each)))).flat();
      const images = everywhere.map((entry) => entry.image_id);
      // Some image is cached on two nodes, so "distinct ids" below says something.
      expect(new Set(images).size).toBeLessThan(images.length);
      if (!facts.entryFields.includes('id')) {
        expect(everywhere.filter((entry) => 'id' in entry || 'checksum' in entry)).toEqual([]);
        return;
      }
      const ids = everywhere.map((entry) => entry.id);
      expect(ids.every((id) => Number.isInteger(id) && (id as number) > 0)).toBe(true);
      // Distinct even where two nodes hold the same image: each node's rows are its own.
      expect(new Set(ids).size).toBe(ids.length);
      expect(everywhere.filter((entry) => entry.checksum !== null)).toEqual([]);
    });

    it('queues with PUT 202, then the image is cached; a repeated PUT is 202 too', async () => {
      const id = target.activeImageId;
      await uncached(id);
      const put = await raw(`/v2/cache/${id}`, { method: 'PUT' });
      expect([put.status, put.type, put.text]).toEqual([202, EMPTY_TYPE, '']);
      // Glance's cache worker takes it from there: listed at once, queued (seen) or, on a fast worker, cached.
      const right = await client.listCache(api);
      expect([...right.queued, ...right.cached.map((image) => image.id)]).toContain(id);
      await eventually(async () => (await cachedIds()).includes(id), 'the queued image is cached', SETTLE_MS);
      expect((await raw(`/v2/cache/${id}`, { method: 'PUT' })).status).toBe(202);
      const entry = (await client.listCache(api)).cached.find((image) => image.id === id)!;
      const info = (await lookupImages(target.imagesUrl, [id], { http: net.http, session: target.session, scrub: noSecrets })).get(id);
      expect(entry.size).toBe(info?.size);
      expect(entry.hits).toBe(0);
      const fresh = (await rawEntries()).find((each) => each.image_id === id)!;
      const [accessed, modified] = [fresh.last_accessed as number, fresh.last_modified as number];
      expect(typeof accessed).toBe('number');
      // time.time(): microseconds, not milliseconds.
      expect(Math.round(modified * 1000) / 1000).not.toBe(modified);
      if (facts.freshAccess === 'same') {
        expect(accessed).toBe(modified);
      } else {
        expect(accessed).toBeLessThan(modified);
        expect(modified - accessed).toBeLessThan(JUST_BEFORE_S);
      }
    });

    it('answers a PUT of an unknown image with 404 and a JSON error body', async () => {
      const response = await raw(`/v2/cache/${target.unknownImageId}`, { method: 'PUT', headers: { accept: 'application/json' } });
      expect(response.status).toBe(404);
      expect(response.type).toMatch(/^application\/json/);
      const body = response.json();
      expect(body).toMatchObject({ code: '404 Not Found', title: 'Not Found' });
      expect(typeof body.message).toBe('string');
      await expect(client.queueImage(api, target.unknownImageId)).rejects.toMatchObject({ kind: 'not-found' });
    });

    it('answers errors as plain text without an Accept header, and as HTML to */*', async () => {
      const bare = await raw(`/v2/cache/${target.unknownImageId}`, { method: 'PUT' });
      expect(bare.status).toBe(404);
      expect(bare.type).toMatch(/^text\/plain/);
      expect(bare.text).toBe(`404 Not Found\n\nImage ${target.unknownImageId} not found.\n\n   `);
      const any = await raw(`/v2/cache/${target.unknownImageId}`, { method: 'PUT', headers: { accept: '*/*' } });
      expect(any.type).toMatch(/^text\/html/);
      expect(any.text).toContain('<h1>404 Not Found</h1>');
    });

    it('refuses to queue an image that is not active (400)', async () => {
      const response = await raw(`/v2/cache/${target.notActiveImageId}`, { method: 'PUT', headers: { accept: 'application/json' } });
      expect(response.status).toBe(400);
    });

    it('DELETEs with 204 and the image is gone', async () => {
      const id = target.activeImageId;
      await target.makeCached(node, id);
      await eventually(async () => (await cachedIds()).includes(id), 'the read image is cached', SETTLE_MS);
      const response = await raw(`/v2/cache/${id}`, { method: 'DELETE' });
      expect([response.status, response.type, response.text]).toEqual([204, EMPTY_TYPE, '']);
      expect(await cachedIds()).not.toContain(id);
      expect(await client.dequeueOrDelete(api, id)).toBe('deleted');
    });

    it('answers 404 to a DELETE of an image neither Glance nor the node has', async () => {
      expect((await raw(`/v2/cache/${target.unknownImageId}`, { method: 'DELETE' })).status).toBe(404);
      expect(await client.dequeueOrDelete(api, target.unknownImageId)).toBe('absent');
    });

    it('clears with the target header cache, queue or empty, and refuses any other value with 400', async () => {
      const refused = await raw('/v2/cache', { method: 'DELETE', headers: { [CLEAR_HEADER]: 'both', accept: 'application/json' } });
      expect(refused.status).toBe(400);
      expect(refused.type).toMatch(/^application\/json/);
      expect(refused.json()).toEqual({
        message: "If provided 'x-image-cache-clear-target' must be 'cache', 'queue' or empty string.<br /><br />\n\n\n",
        code: '400 Bad Request',
        title: 'Bad Request',
      });
      const id = target.activeImageId;
      await target.makeCached(node, id);
      await eventually(async () => (await cachedIds()).includes(id), 'the read image is cached', SETTLE_MS);
      const queueOnly = await raw('/v2/cache', { method: 'DELETE', headers: { [CLEAR_HEADER]: 'queue' } });
      expect([queueOnly.status, queueOnly.text]).toEqual([204, '']);
      expect(await cachedIds()).toContain(id);
      expect((await raw('/v2/cache', { method: 'DELETE', headers: { [CLEAR_HEADER]: 'cache' } })).status).toBe(204);
      expect(await client.listCache(api)).toEqual({ cached: [], queued: [] });
      await target.makeCached(node, id);
      await eventually(async () => (await cachedIds()).includes(id), 'the read image is cached', SETTLE_MS);
      await client.clear(api, 'both');
      expect(await client.listCache(api)).toEqual({ cached: [], queued: [] });
    });

    if (auth === 'noauth') {
      it('takes every caller as admin without Keystone (noauth): no token, or one nobody issued', async () => {
        expect(token).toBeNull();
        for (const sent of [null, 'not-a-valid-token']) expect((await raw('/v2/cache', { token: sent, headers: { accept: 'application/json' } })).status).toBe(200);
      });
    } else {
      it('gives a member token 403 on the cache API', async () => {
        expect(target.memberToken).toBeDefined();
        const response = await raw('/v2/cache', { token: target.memberToken, headers: { accept: 'application/json' } });
        expect(response.status).toBe(403);
        expect(response.json()).toEqual({ message: 'You are not authorized to complete cache_list action.<br /><br />\n\n\n', code: '403 Forbidden', title: 'Forbidden' });
        const queue = await raw(`/v2/cache/${target.activeImageId}`, { method: 'PUT', token: target.memberToken });
        expect(queue.status).toBe(403);
        // The image lookup comes before the policy: an unknown image is 404 even for a member.
        expect((await raw(`/v2/cache/${target.unknownImageId}`, { method: 'PUT', token: target.memberToken })).status).toBe(404);
        const member = clientOf(node, fixedSession(target.memberToken!));
        const error = await member.listCache(api).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(RequestFailure);
        expect((error as RequestFailure).kind).toBe('forbidden');
      });

      it('gives a bad token 401', async () => {
        expect(token).not.toBeNull();
        const response = await raw('/v2/cache', { token: 'not-a-valid-token', headers: { accept: 'application/json' } });
        expect(response.status).toBe(401);
        expect(response.json()).toMatchObject({ code: '401 Unauthorized', title: 'Unauthorized' });
        expect(response.headers['www-authenticate']).toMatch(/^Keystone uri=/);
      });
    }

    it('refuses methods a resource does not take with 405 and Allow', async () => {
      const response = await raw('/v2/cache', { method: 'PUT', headers: { accept: 'application/json' } });
      expect(response.status).toBe(405);
      expect(response.headers.allow).toBe('GET, DELETE');
      expect(response.json()).toEqual({ message: 'The method PUT is not allowed for this resource. <br /><br />\n', code: '405 Method Not Allowed', title: 'Method Not Allowed' });
      if (!api.serverSidePrune) expect((await raw('/v2/cache/prune', { method: 'POST' })).status).toBe(405);
    });

    it('serves the legacy middleware beside /v2/cache (keystone+cachemanagement), with the same entries', async () => {
      const cached = await raw('/v2/cached_images', { headers: { accept: 'application/json' } });
      expect([cached.status, cached.type]).toEqual([200, 'application/json']);
      expect(cached.json()).toEqual({ cached_images: await rawEntries() });
      const queued = await raw('/v2/queued_images');
      expect(Object.keys(queued.json())).toEqual(['queued_images']);
    });

    it('tags each answer past the token check with a request id; discovery, the healthcheck and a 401 carry none', async () => {
      expect((await raw('/v2/cache')).requestId).toMatch(REQUEST_ID);
      expect((await raw(`/v2/cache/${target.unknownImageId}`, { method: 'PUT' })).requestId).toMatch(REQUEST_ID);
      for (const path of ['/versions', '/', '/healthcheck']) expect((await raw(path, { token: null })).requestId).toBeUndefined();
      if (auth === 'keystone') expect((await raw('/v2/cache', { token: null })).requestId).toBeUndefined();
    });

    it('answers the healthcheck with OK and any method on /versions with the list, without a token', async () => {
      expect(await raw('/healthcheck', { token: null })).toMatchObject({ status: 200, type: 'text/plain; charset=UTF-8', text: 'OK' });
      expect(await raw('/healthcheck', { method: 'HEAD', token: null })).toMatchObject({ status: 204, text: '' });
      const posted = await raw('/versions', { method: 'POST', token: null });
      expect(posted.status).toBe(200);
      expect(posted.json()).toEqual((await raw('/versions', { token: null })).json());
    });

    it('answers HEAD with its error as an empty text/html body, whatever was asked for', async () => {
      for (const headers of [{}, { accept: 'application/json' }] as Record<string, string>[]) {
        const head = await raw('/v2/cache', { method: 'HEAD', headers });
        expect([head.status, head.type, head.headers.allow, head.text]).toEqual([405, EMPTY_TYPE, 'GET, DELETE', '']);
      }
      const image = await raw(`/v2/images/${target.activeImageId}`, { method: 'HEAD' });
      expect([image.status, image.type, image.headers.allow, image.text]).toEqual([405, EMPTY_TYPE, 'GET, PATCH, DELETE', '']);
      const missing = await raw('/v2/no-such-resource', { method: 'HEAD' });
      expect([missing.status, missing.type, missing.text]).toEqual([404, EMPTY_TYPE, '']);
    });

    it('finds no route for a trailing slash, and keeps a malformed escape as sent', async () => {
      expect(await raw('/v2/cache/')).toMatchObject({ status: 404, text: '404 Not Found\n\nThe resource could not be found.\n\n   ' });
      expect(await raw('/v2/cache/%ZZ', { method: 'DELETE' })).toMatchObject({ status: 404, text: '404 Not Found\n\nImage %ZZ not found.\n\n   ' });
    });

    it('escapes an HTML error body as webob does, quotes included', async () => {
      const html = await raw("/v2/cache/a%22b'c%3Cd%3E&e", { method: 'PUT', headers: { accept: 'text/html' } });
      expect([html.status, html.type]).toEqual([404, 'text/html; charset=UTF-8']);
      expect(html.text).toBe('<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n  Image a&quot;b&#x27;c&lt;d&gt;&amp;e not found.<br /><br />\n\n\n\n </body>\n</html>');
    });

    it('serves the image schema python-glanceclient fetches before images.list and images.get', async () => {
      const schema = await raw('/v2/schemas/image');
      expect([schema.status, schema.type]).toEqual([200, 'application/json']);
      expect(schema.json()).toEqual(IMAGE_SCHEMA);
    });

    it('shows an image with data with its hashes, virtual size and store; one without, nulls and no store', async () => {
      const image = (await raw(`/v2/images/${target.activeImageId}`)).json();
      expect(image).toMatchObject({ os_hash_algo: 'sha512', stores: expect.any(String), virtual_size: expect.any(Number), checksum: expect.stringMatching(/^[0-9a-f]{32}$/) });
      expect(image.os_hash_value).toMatch(/^[0-9a-f]{128}$/);
      const noData = (await raw(`/v2/images/${target.notActiveImageId}`)).json();
      expect(noData).toMatchObject({ size: null, virtual_size: null, checksum: null, os_hash_algo: null, os_hash_value: null });
      expect(noData).not.toHaveProperty('stores');
    });

    it('looks images up in batches with id=in:', async () => {
      const found = await lookupImages(target.imagesUrl, [target.activeImageId, target.unknownImageId], { http: net.http, session: target.session, scrub: noSecrets });
      expect([...found.keys()]).toEqual([target.activeImageId]);
      expect(found.get(target.activeImageId)!.status).toBe('active');
    });
  });
}
