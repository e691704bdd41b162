import { describe, it, expect, afterEach } from 'vitest';
import type { MockAgent } from 'undici';
import { createNodeClient } from '../../../src/glance/node-client.js';
import type { ApiInfo } from '../../../src/core/model.js';
import { RequestFailure } from '../../../src/http/failure.js';
import { SecretScrubber } from '../../../src/http/redact.js';
import { IDS, JSON_HEADERS, ZED_VERSIONS, mockHttp, noSecrets, nodeSpec, scriptedSession } from './support.js';

const ORIGIN = 'http://glance01:9292';
const CACHE_API: ApiInfo = { flavor: 'cache', version: 'v2.16', serverSidePrune: false };
const LEGACY_API: ApiInfo = { flavor: 'legacy', version: 'v2.13', serverSidePrune: false };
const CACHE_BODY = {
  cached_images: [{ image_id: IDS.a, hits: 3, last_accessed: 1700000100, last_modified: 1700000000, size: 1024 }],
  queued_images: [IDS.b],
};

let agent: MockAgent;

function setup(url = ORIGIN, session = scriptedSession('tok-1')) {
  const mocked = mockHttp();
  agent = mocked.agent;
  return { client: createNodeClient(nodeSpec(url), { http: mocked.http, session, scrub: noSecrets }), pool: agent.get(new URL(url).origin), session };
}

async function rejection(promise: Promise<unknown>): Promise<RequestFailure> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RequestFailure);
  return error as RequestFailure;
}

afterEach(() => {
  agent.assertNoPendingInterceptors();
});

describe('discover', () => {
  it('reads GET /versions with Accept: application/json and the token', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: '/versions', headers: { accept: 'application/json', 'x-auth-token': 'tok-1' } }).reply(200, ZED_VERSIONS, JSON_HEADERS);
    expect(await client.discover()).toEqual(CACHE_API);
  });

  it('falls back to GET / (300 Multiple Choices) when /versions is 404', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: '/versions' }).reply(404, 'Not Found');
    pool.intercept({ path: '/' }).reply(300, ZED_VERSIONS, JSON_HEADERS);
    expect((await client.discover()).flavor).toBe('cache');
  });

  it('keeps the path prefix of the node URL', async () => {
    const { client, pool } = setup('https://cache.dc1:9393/glance');
    pool.intercept({ path: '/glance/versions' }).reply(200, ZED_VERSIONS, JSON_HEADERS);
    pool.intercept({ path: '/glance/v2/cache' }).reply(200, CACHE_BODY, JSON_HEADERS);
    const api = await client.discover();
    expect((await client.listCache(api)).cached).toHaveLength(1);
  });

  it('reports an HTML 500 page by status and title, not as a JSON parse error', async () => {
    const { client, pool } = setup();
    const html = '<html><head><title>500 Internal Server Error</title></head><body><h1>500 Internal Server Error</h1>oops</body></html>';
    pool.intercept({ path: '/versions' }).reply(500, html, { headers: { 'content-type': 'text/html' } });
    const error = await rejection(client.discover());
    expect(error.kind).toBe('http');
    expect(error.message).toMatch(/^HTTP 500: 500 Internal Server Error/);
  });

  it('retries a GET that met a transient 503', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: '/versions' }).reply(503, 'busy').times(2);
    pool.intercept({ path: '/versions' }).reply(200, ZED_VERSIONS, JSON_HEADERS);
    expect((await client.discover()).version).toBe('v2.16');
  });
});

describe('listCache', () => {
  it('reads /v2/cache on the cache flavor', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: '/v2/cache', headers: { accept: 'application/json' } }).reply(200, CACHE_BODY, JSON_HEADERS);
    expect(await client.listCache(CACHE_API)).toEqual({
      cached: [{ id: IDS.a, hits: 3, lastAccessed: 1700000100, lastModified: 1700000000, size: 1024 }],
      queued: [IDS.b],
    });
  });

  it('reads the two legacy lists, each from its own call', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: '/v2/cached_images' }).reply(200, { cached_images: CACHE_BODY.cached_images }, JSON_HEADERS);
    pool.intercept({ path: '/v2/queued_images' }).reply(200, { queued_images: [IDS.b] }, JSON_HEADERS);
    const cache = await client.listCache(LEGACY_API);
    expect(cache.cached.map((image) => image.id)).toEqual([IDS.a]);
    expect(cache.queued).toEqual([IDS.b]);
  });

  it('says the node has no cache API when the legacy middleware is missing too', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: '/v2/cached_images' }).reply(404, { message: 'not found' }, JSON_HEADERS);
    pool.intercept({ path: '/v2/queued_images' }).reply(404, { message: 'not found' }, JSON_HEADERS);
    const error = await rejection(client.listCache(LEGACY_API));
    expect(error.kind).toBe('unsupported');
    expect(error.message).toContain('no cachemanagement middleware');
  });

  it('reports truncated JSON as a bad response', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: '/v2/cache' }).reply(200, '{"cached_images": [{"image_id": "', JSON_HEADERS);
    const error = await rejection(client.listCache(CACHE_API));
    expect(error.kind).toBe('bad-response');
    expect(error.message).toMatch(/truncated JSON/);
  });

  it('reports a wrong shape by field', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: '/v2/cache' }).reply(200, { cached_images: 'none', queued_images: [] }, JSON_HEADERS);
    expect((await rejection(client.listCache(CACHE_API))).message).toBe('cached_images is not a list (got a string)');
  });

  it('refuses a body above the size cap', async () => {
    const mocked = mockHttp(1000);
    agent = mocked.agent;
    const client = createNodeClient(nodeSpec(ORIGIN), { http: mocked.http, session: scriptedSession(null), scrub: noSecrets });
    agent.get(ORIGIN).intercept({ path: '/v2/cache' }).reply(200, JSON.stringify({ cached_images: [], queued_images: [], pad: 'x'.repeat(5000) }), JSON_HEADERS);
    expect((await rejection(client.listCache(CACHE_API))).kind).toBe('too-large');
  });
});

describe('auth', () => {
  it('renews the token once after a 401 and retries with the new one', async () => {
    const session = scriptedSession('old', 'new');
    const { client, pool } = setup(ORIGIN, session);
    pool.intercept({ path: '/v2/cache', headers: { 'x-auth-token': 'old' } }).reply(401, { error: { code: 401, message: 'The request you have made requires authentication.' } }, JSON_HEADERS);
    pool.intercept({ path: '/v2/cache', headers: { 'x-auth-token': 'new' } }).reply(200, CACHE_BODY, JSON_HEADERS);
    expect((await client.listCache(CACHE_API)).queued).toEqual([IDS.b]);
    expect(session.renewals).toEqual(['old']);
  });

  it('gives up after the renewed token is refused too', async () => {
    const session = scriptedSession('old', 'new', 'newer');
    const { client, pool } = setup(ORIGIN, session);
    pool.intercept({ path: '/v2/cache' }).reply(401, { error: { message: 'The request you have made requires authentication.' } }, JSON_HEADERS).times(2);
    const error = await rejection(client.listCache(CACHE_API));
    expect(error.kind).toBe('unauthorized');
    expect(error.message).toBe('HTTP 401: The request you have made requires authentication.');
    expect(session.renewals).toEqual(['old']);
  });

  it('reports 403 with the node reason', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: '/v2/cache' }).reply(403, { message: 'Access was denied to this resource.', code: '403 Forbidden', title: 'Forbidden' }, JSON_HEADERS);
    const error = await rejection(client.listCache(CACHE_API));
    expect(error.kind).toBe('forbidden');
    expect(error.message).toBe('HTTP 403: Access was denied to this resource.');
  });

  it('sends no token header without auth', async () => {
    const { client, pool } = setup(ORIGIN, scriptedSession(null));
    pool.intercept({ path: '/v2/cache', headers: (headers) => !('x-auth-token' in headers) }).reply(200, CACHE_BODY, JSON_HEADERS);
    expect((await client.listCache(CACHE_API)).cached).toHaveLength(1);
  });
});

describe('queueImage', () => {
  it('PUTs /v2/cache/{id} on the cache flavor and /v2/queued_images/{id} on legacy', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: `/v2/cache/${IDS.a}`, method: 'PUT' }).reply(202, '');
    pool.intercept({ path: `/v2/queued_images/${IDS.a}`, method: 'PUT' }).reply(200, 'null', JSON_HEADERS);
    await client.queueImage(CACHE_API, IDS.a);
    await client.queueImage(LEGACY_API, IDS.a);
  });

  it('reports an unknown image (404) and an inactive one (400)', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: `/v2/cache/${IDS.a}`, method: 'PUT' }).reply(404, { message: `Image ${IDS.a} not found.<br /><br />\n\n\n`, code: '404 Not Found', title: 'Not Found' }, JSON_HEADERS);
    pool.intercept({ path: `/v2/cache/${IDS.b}`, method: 'PUT' }).reply(400, { message: 'Only images with status active can be targeted for queueing', code: '400 Bad Request', title: 'Bad Request' }, JSON_HEADERS);
    expect((await rejection(client.queueImage(CACHE_API, IDS.a))).kind).toBe('not-found');
    const inactive = await rejection(client.queueImage(CACHE_API, IDS.b));
    expect(inactive.kind).toBe('http');
    expect(inactive.message).toBe('HTTP 400: Only images with status active can be targeted for queueing');
  });

  it('never puts an ID that is not a UUID into a URL', async () => {
    const { client } = setup();
    for (const id of ['../../v2/images', `${IDS.a}/../x`, '\u001b[2J\u001b[31mboom']) {
      const error = await rejection(client.queueImage(CACHE_API, id));
      expect(error.kind).toBe('unsupported');
      expect(error.message).toMatch(/ is not an image ID \(UUID\), so it is not sent to the node$/);
      await expect(client.dequeueOrDelete(LEGACY_API, id)).rejects.toMatchObject({ kind: 'unsupported' });
    }
    // Kept as data: the message is escaped where it is printed.
    expect((await rejection(client.queueImage(CACHE_API, '\u001b[2J'))).message).toBe('"\u001b[2J" is not an image ID (UUID), so it is not sent to the node');
  });

  it('scrubs a token from an ID that is not one before cutting it for the message', async () => {
    const token = 'gAAAAA-echoed-token-0123456789abcdef';
    const scrubber = new SecretScrubber();
    scrubber.add(token);
    const client = createNodeClient(nodeSpec(ORIGIN), { http: mockHttp().http, session: scriptedSession('tok'), scrub: (text) => scrubber.scrub(text) });
    // A node listed it: the cut at 80 characters falls 14 characters into the token.
    const id = `${'x'.repeat(65)}${token}${'x'.repeat(100)}`;
    for (const attempt of [client.queueImage(CACHE_API, id), client.dequeueOrDelete(CACHE_API, id)]) {
      const error = await rejection(attempt);
      expect(error.message).toBe(`"${'x'.repeat(65)}<redacted>${'x'.repeat(4)}…" is not an image ID (UUID), so it is not sent to the node`);
    }
  });
});

describe('dequeueOrDelete', () => {
  it('DELETEs /v2/cache/{id}: 204 deleted, 404 absent', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: `/v2/cache/${IDS.a}`, method: 'DELETE' }).reply(204, '');
    pool.intercept({ path: `/v2/cache/${IDS.b}`, method: 'DELETE' }).reply(404, { message: 'Image not found.' }, JSON_HEADERS);
    expect(await client.dequeueOrDelete(CACHE_API, IDS.a)).toBe('deleted');
    expect(await client.dequeueOrDelete(CACHE_API, IDS.b)).toBe('absent');
  });

  it('deletes from both legacy lists, where 404 means not there', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: `/v2/cached_images/${IDS.a}`, method: 'DELETE' }).reply(200, 'null', JSON_HEADERS);
    pool.intercept({ path: `/v2/queued_images/${IDS.a}`, method: 'DELETE' }).reply(404, '');
    pool.intercept({ path: `/v2/cached_images/${IDS.b}`, method: 'DELETE' }).reply(404, '');
    pool.intercept({ path: `/v2/queued_images/${IDS.b}`, method: 'DELETE' }).reply(404, '');
    expect(await client.dequeueOrDelete(LEGACY_API, IDS.a)).toBe('deleted');
    expect(await client.dequeueOrDelete(LEGACY_API, IDS.b)).toBe('absent');
  });

  it('reports other failures', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: `/v2/cache/${IDS.a}`, method: 'DELETE' }).reply(500, { message: 'database is locked' }, JSON_HEADERS);
    expect((await rejection(client.dequeueOrDelete(CACHE_API, IDS.a))).message).toBe('HTTP 500: database is locked');
  });
});

describe('clear', () => {
  it('sends the clear-target header Glance expects: cache, queue, or empty for both', async () => {
    const { client, pool } = setup();
    for (const value of ['cache', 'queue', '']) {
      pool.intercept({ path: '/v2/cache', method: 'DELETE', headers: (headers) => headers['x-image-cache-clear-target'] === value }).reply(204, '');
    }
    await client.clear(CACHE_API, 'cache');
    await client.clear(CACHE_API, 'queue');
    await client.clear(CACHE_API, 'both');
  });

  it('deletes the matching legacy lists', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: '/v2/cached_images', method: 'DELETE' }).reply(200, { num_deleted: 2 }, JSON_HEADERS).times(2);
    pool.intercept({ path: '/v2/queued_images', method: 'DELETE' }).reply(200, { num_deleted: 0 }, JSON_HEADERS);
    await client.clear(LEGACY_API, 'cache');
    await client.clear(LEGACY_API, 'both');
  });
});

describe('prune', () => {
  it('POSTs /v2/cache/prune and reads the totals', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: '/v2/cache/prune', method: 'POST' }).reply(200, { total_files_pruned: 2, total_bytes_pruned: 4096 }, JSON_HEADERS);
    expect(await client.prune()).toEqual({ filesPruned: 2, bytesPruned: 4096 });
  });

  it('says so when the node has no server-side prune', async () => {
    const { client, pool } = setup();
    pool.intercept({ path: '/v2/cache/prune', method: 'POST' }).reply(404, { message: 'The resource could not be found.' }, JSON_HEADERS);
    expect((await rejection(client.prune())).kind).toBe('unsupported');
  });
});
