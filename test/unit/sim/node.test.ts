import { describe, it, expect } from 'vitest';
import { request } from 'undici';
import { SimCatalog } from '../../../src/sim/catalog.js';
import { startSimNode, type SimNode } from '../../../src/sim/node.js';
import { simNodesPerTest } from '../../helpers/sim-nodes.js';
import { lookupImages, findImagesByName } from '../../../src/glance/images-client.js';
import { RequestFailure } from '../../../src/http/failure.js';
import { eventually, fixedSession, noSecrets, wire } from '../../contract/wire.js';

const ADMIN = 'admin-token-0123456789';
const MEMBER = 'member-token-0123456789';

const sims = simNodesPerTest();
const start = sims.start;

async function raw(url: string, options: { method?: 'GET' | 'PUT' | 'DELETE' | 'POST'; headers?: Record<string, string> } = {}) {
  const response = await request(url, { method: options.method ?? 'GET', headers: options.headers, dispatcher: sims.net.agent });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

async function failureOf(promise: Promise<unknown>): Promise<RequestFailure> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RequestFailure);
  return error as RequestFailure;
}

function catalogWith(...statuses: ('active' | 'queued')[]): { catalog: SimCatalog; ids: string[] } {
  const catalog = new SimCatalog({ seed: 5 });
  return { catalog, ids: statuses.map((status, n) => catalog.add({ name: `img-${n}`, status, size: status === 'active' ? 1000 * (n + 1) : null }).id) };
}

describe('versions', () => {
  it('answers /versions with 200 and / with 300, without a token', async () => {
    const node = await start({ tokens: { admin: [ADMIN], member: [] } });
    const versions = await raw(`${node.url}/versions`);
    expect(versions.status).toBe(200);
    expect(JSON.parse(versions.text).versions[0]).toEqual({ id: 'v2.16', status: 'CURRENT', links: [{ rel: 'self', href: `${node.url}/v2/` }] });
    expect((await raw(`${node.url}/`)).status).toBe(300);
  });

  it('lists what the flavor and version imply', async () => {
    const zed = await start();
    const legacy = await start({ flavor: 'legacy' });
    const master = await start({ apiVersion: 'v2.18' });
    expect(await sims.net.client(zed.url).discover()).toEqual({ flavor: 'cache', version: 'v2.16', serverSidePrune: false });
    expect(await sims.net.client(legacy.url).discover()).toEqual({ flavor: 'legacy', version: 'v2.13', serverSidePrune: false });
    expect(await sims.net.client(master.url).discover()).toEqual({ flavor: 'cache', version: 'v2.18', serverSidePrune: true });
  });

  it('refuses versions that contradict the flavor', async () => {
    await expect(startSimNode({ flavor: 'legacy', apiVersion: 'v2.16' })).rejects.toThrow('the legacy flavor stops below v2.14');
    await expect(startSimNode({ apiVersion: 'v2.9' })).rejects.toThrow('needs apiVersion v2.14 or later');
    await expect(startSimNode({ apiVersion: '2.16' })).rejects.toThrow('is not of the form v2.N');
  });
});

describe('auth and policies', () => {
  it('answers 401 with a pointer to Keystone without a valid token', async () => {
    const node = await start({ tokens: { admin: [ADMIN], member: [MEMBER] } });
    for (const headers of [{}, { 'x-auth-token': 'bogus' }] as Record<string, string>[]) {
      const response = await raw(`${node.url}/v2/cache`, { headers: { ...headers, accept: 'application/json' } });
      expect(response.status).toBe(401);
      expect(JSON.parse(response.text)).toMatchObject({ code: '401 Unauthorized', title: 'Unauthorized' });
      expect(response.headers['www-authenticate']).toMatch(/^Keystone uri=/);
    }
  });

  it('gives members 403 on the cache API, as JSON, HTML or text by Accept, but lets them read images', async () => {
    const { catalog } = catalogWith('active');
    const node = await start({ catalog, tokens: { admin: [ADMIN], member: [MEMBER] } });
    const json = await raw(`${node.url}/v2/cache`, { headers: { 'x-auth-token': MEMBER, accept: 'application/json' } });
    expect(json.status).toBe(403);
    expect(JSON.parse(json.text)).toEqual({ message: 'You are not authorized to complete cache_list action.<br /><br />\n\n\n', code: '403 Forbidden', title: 'Forbidden' });
    const html = await raw(`${node.url}/v2/cache`, { headers: { 'x-auth-token': MEMBER, accept: 'text/html,*/*;q=0.8' } });
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.text).toContain('<h1>403 Forbidden</h1>');
    const plain = await raw(`${node.url}/v2/cache`, { headers: { 'x-auth-token': MEMBER } });
    expect([plain.headers['content-type'], plain.text]).toEqual(['text/plain; charset=UTF-8', '403 Forbidden\n\nYou are not authorized to complete cache_list action.\n\n   ']);
    expect((await raw(`${node.url}/v2/images`, { headers: { 'x-auth-token': MEMBER } })).status).toBe(200);
    expect((await failureOf(sims.net.client(node.url, fixedSession(MEMBER)).clear({ flavor: 'cache', version: 'v2.16', serverSidePrune: false }, 'both'))).kind).toBe('forbidden');
  });

  it('looks the image up before the policy, as Glance does: unknown IDs are 404 even for members', async () => {
    const { catalog, ids } = catalogWith('active');
    const node = await start({ catalog, tokens: { admin: [ADMIN], member: [MEMBER] } });
    const unknown = '00000000-0000-4000-8000-000000000000';
    const member = { 'x-auth-token': MEMBER };
    expect((await raw(`${node.url}/v2/cache/${unknown}`, { method: 'PUT', headers: member })).status).toBe(404);
    expect((await raw(`${node.url}/v2/cache/${ids[0]}`, { method: 'PUT', headers: member })).status).toBe(403);
    expect((await raw(`${node.url}/v2/cache/${unknown}`, { method: 'DELETE', headers: member })).status).toBe(404);
    expect((await raw(`${node.url}/v2/cache/${ids[0]}`, { method: 'DELETE', headers: member })).status).toBe(403);
    expect(node.state().queued).toEqual([]);
  });

  it('records requests with the token redacted', async () => {
    const node = await start({ tokens: { admin: [ADMIN], member: [] } });
    await sims.net.client(node.url, fixedSession(ADMIN)).listCache({ flavor: 'cache', version: 'v2.16', serverSidePrune: false });
    expect(node.requests).toHaveLength(1);
    expect(node.requests[0]).toMatchObject({ method: 'GET', path: '/v2/cache', headers: { 'x-auth-token': '<redacted>', accept: 'application/json' } });
    expect(JSON.stringify(node.requests)).not.toContain(ADMIN);
  });
});

describe('cache API', () => {
  const api = { flavor: 'cache' as const, version: 'v2.16', serverSidePrune: false };

  it('queues then caches after cacheDelayMs', async () => {
    const { catalog, ids } = catalogWith('active');
    const node = await start({ catalog, cacheDelayMs: 50 });
    const client = sims.net.client(node.url);
    await client.queueImage(api, ids[0]!);
    expect((await client.listCache(api)).queued).toEqual([ids[0]]);
    await eventually(async () => (await client.listCache(api)).cached.length === 1, 'the queued image gets cached');
    expect((await client.listCache(api)).queued).toEqual([]);
  });

  it('refuses to queue an image that is not active', async () => {
    const { catalog, ids } = catalogWith('queued');
    const node = await start({ catalog });
    const error = await failureOf(sims.net.client(node.url).queueImage(api, ids[0]!));
    expect(error.message).toBe('HTTP 400: Only images with status active can be targeted for queueing');
  });

  it('deletes orphans: images Glance deleted but the node still caches', async () => {
    const { catalog, ids } = catalogWith('active');
    const node = await start({ catalog });
    node.readImage(ids[0]!);
    catalog.delete(ids[0]!);
    const client = sims.net.client(node.url);
    expect(await client.dequeueOrDelete(api, ids[0]!)).toBe('deleted');
    expect(node.state().cached).toEqual([]);
    expect(await client.dequeueOrDelete(api, ids[0]!)).toBe('absent');
  });

  it('counts hits on reads served from the cache', async () => {
    let now = 1_700_000_000_000;
    const { catalog, ids } = catalogWith('active');
    const node = await start({ catalog, now: () => now });
    node.readImage(ids[0]!);
    now += 5_000;
    node.readImage(ids[0]!);
    expect(node.state().cached).toEqual([{ id: ids[0], size: 1000, hits: 1, lastAccessed: 1_700_000_005, lastModified: 1_700_000_000 }]);
    expect(() => node.readImage('00000000-0000-4000-8000-000000000000')).toThrow('not an active image');
  });

  it('prunes server-side on v2.18, least recently accessed first, down to the max size', async () => {
    const { catalog, ids } = catalogWith('active', 'active', 'active');
    const node = await start({ catalog, apiVersion: 'v2.18', maxSizeBytes: 5000 });
    ids.forEach((id, n) => node.putCacheEntry({ id, lastAccessed: 1_700_000_000 + n }));
    expect(await sims.net.client(node.url).prune()).toEqual({ filesPruned: 1, bytesPruned: 1000 });
    expect(node.state().cached.map((entry) => entry.id).sort()).toEqual([ids[1], ids[2]].sort());
  });

  it('answers 405 to a prune before v2.18, which the client reports as unsupported', async () => {
    const node = await start();
    expect((await raw(`${node.url}/v2/cache/prune`, { method: 'POST' })).status).toBe(405);
    expect((await failureOf(sims.net.client(node.url).prune())).kind).toBe('unsupported');
  });

  it('serves under a path prefix, and nothing outside it', async () => {
    const node = await start({ prefix: '/glance/' });
    expect(node.url).toMatch(/\/glance$/);
    const client = sims.net.client(node.url);
    expect((await client.listCache(await client.discover())).cached).toEqual([]);
    expect((await raw(node.url.replace(/\/glance$/, '/v2/cache'))).status).toBe(404);
  });
});

describe('legacy middleware', () => {
  const api = { flavor: 'legacy' as const, version: 'v2.13', serverSidePrune: false };

  it('has no /v2/cache, lists each list on its own, and only queues until the prefetcher runs', async () => {
    const { catalog, ids } = catalogWith('active', 'active');
    const node = await start({ catalog, flavor: 'legacy' });
    expect((await raw(`${node.url}/v2/cache`)).status).toBe(404);
    const client = sims.net.client(node.url);
    node.readImage(ids[0]!);
    await client.queueImage(api, ids[1]!);
    expect(await client.listCache(api)).toMatchObject({ cached: [{ id: ids[0] }], queued: [ids[1]] });
    expect(node.runPrefetcher()).toBe(1);
    expect((await client.listCache(api)).cached.map((image) => image.id).sort()).toEqual([...ids].sort());
  });

  it('answers bulk deletes with num_deleted and single ones with null', async () => {
    const { catalog, ids } = catalogWith('active', 'active');
    const node = await start({ catalog, flavor: 'legacy' });
    ids.forEach((id) => node.readImage(id));
    const single = await raw(`${node.url}/v2/cached_images/${ids[0]}`, { method: 'DELETE' });
    expect([single.status, single.text]).toEqual([200, 'null']);
    const bulk = await raw(`${node.url}/v2/cached_images`, { method: 'DELETE' });
    expect(JSON.parse(bulk.text)).toEqual({ num_deleted: 1 });
    node.queueImage(ids[0]!);
    await sims.net.client(node.url).clear(api, 'queue');
    expect(node.state()).toEqual({ cached: [], queued: [] });
  });
});

describe('images API', () => {
  it('answers batched id=in: lookups in one request per batch', async () => {
    const catalog = new SimCatalog({ seed: 9 });
    const ids = Array.from({ length: 120 }, (_, n) => catalog.add({ name: `img-${n}` }).id);
    catalog.delete(ids[7]!);
    const node = await start({ catalog });
    const found = await lookupImages(node.url, ids, { http: sims.net.http, session: fixedSession(null), scrub: noSecrets });
    expect(found.size).toBe(119);
    expect(found.has(ids[7]!)).toBe(false);
    expect(found.get(ids[3]!)).toEqual({ id: ids[3], name: 'img-3', status: 'active', size: 1024 * 1024 });
    expect(node.requests.filter((seen) => seen.path.startsWith('/v2/images?id=in:'))).toHaveLength(2);
  });

  it('pages with next links and filters by name', async () => {
    const catalog = new SimCatalog({ seed: 9 });
    for (let n = 0; n < 5; n++) catalog.add({ name: n < 3 ? 'same' : `other-${n}` });
    const node = await start({ catalog });
    const first = JSON.parse((await raw(`${node.url}/v2/images?limit=2`)).text);
    expect(first.images).toHaveLength(2);
    expect(first.first).toBe('/v2/images?limit=2');
    expect(first.next).toBe(`/v2/images?limit=2&marker=${first.images[1].id}`);
    const second = JSON.parse((await raw(`${node.url}${first.next}`)).text);
    expect(second.images.map((image: { id: string }) => image.id)).not.toContain(first.images[1].id);
    // The node applies the filter itself: nothing comes back for the client to ignore.
    const byName = await findImagesByName(node.url, 'same', { http: sims.net.http, session: fixedSession(null), scrub: noSecrets });
    expect([byName.exact.length, byName.ignored]).toEqual([3, 0]);
    expect((await raw(`${node.url}/v2/images?limit=x`)).status).toBe(400);
  });
});

describe('faults', () => {
  const api = { flavor: 'cache' as const, version: 'v2.16', serverSidePrune: false };

  it('answers every call with a status, as a proxy HTML page, retried by GETs', async () => {
    const node = await start({ faults: { status: 503, htmlErrors: true } });
    const error = await failureOf(sims.net.client(node.url).listCache(api));
    expect(error.message).toBe('HTTP 503: 503 Service Unavailable nginx');
    expect(node.requests).toHaveLength(3);
  });

  it('does not carry out a call it fails with a status', async () => {
    const { catalog, ids } = catalogWith('active');
    const node = await start({ catalog, faults: { status: 500 } });
    expect((await failureOf(sims.net.client(node.url).queueImage(api, ids[0]!))).message).toMatch(/^HTTP 500: The server has either erred/);
    expect(node.state()).toEqual({ cached: [], queued: [] });
  });

  it('fails after n good calls, and setFaults changes the faults at runtime', async () => {
    const node = await start({ faults: { failAfter: 1, status: 500 } });
    const client = sims.net.client(node.url);
    await client.discover();
    expect((await failureOf(client.listCache(api))).kind).toBe('http');
    node.setFaults({});
    expect((await client.listCache(api)).cached).toEqual([]);
  });

  it('truncates, reshapes, inflates', async () => {
    const node = await start({ faults: { truncate: true } });
    const client = sims.net.client(node.url);
    expect((await failureOf(client.discover())).message).toMatch(/truncated JSON/);
    node.setFaults({ wrongShape: true });
    expect((await failureOf(client.discover())).message).toBe('versions is not a list (got a string)');
    expect((await failureOf(client.listCache(api))).message).toBe('cached_images is not a list (got an object)');
    node.setFaults({ hugeBody: 2 * 1024 * 1024 });
    const small = wire(1024 * 1024);
    try {
      expect((await failureOf(small.client(node.url).listCache(api))).kind).toBe('too-large');
    } finally {
      await small.close();
    }
    const bigEnough = await raw(`${node.url}/v2/cache`);
    expect(bigEnough.text).toHaveLength(2 * 1024 * 1024);
    expect(JSON.parse(bigEnough.text).cached_images).toEqual([]);
  });

  it('hangs before headers, after headers and mid-body, which clients see as timeouts', async () => {
    const node = await start();
    const client = sims.net.client(node.url);
    for (const hang of ['before-headers', 'after-headers', 'mid-body'] as const) {
      node.setFaults({ hang });
      expect((await failureOf(client.discover(AbortSignal.timeout(300)))).kind).toBe('timeout');
    }
  });

  it('resets the connection mid-body', async () => {
    const node = await start({ faults: { reset: true } });
    expect((await failureOf(sims.net.client(node.url).discover())).kind).toBe('reset');
    expect(node.requests).toHaveLength(3);
  });

  it('drips the body but delivers all of it, after the latency', async () => {
    const node = await start({ faults: { drip: 200_000, latencyMs: 20 } });
    expect((await sims.net.client(node.url).discover()).version).toBe('v2.16');
  });

  it('closes even while a request hangs', async () => {
    const node = await startSimNode({ faults: { hang: 'before-headers' } });
    // A PUT, so the client does not retry against the closed port.
    const pending = failureOf(sims.net.client(node.url).queueImage(api, '00000000-0000-4000-8000-000000000000'));
    await eventually(() => node.requests.length === 1, 'the request arrives');
    await node.close();
    expect((await pending).kind).toBe('reset');
  });
});

describe('Epoxy (centralized_db)', () => {
  const api = { flavor: 'cache' as const, version: 'v2.17', serverSidePrune: false };

  it('lists v2.17 as CURRENT, and entries with their row id, a null checksum and a last access just before last_modified', async () => {
    const now = 1_750_000_000_123;
    const { catalog, ids } = catalogWith('active', 'active');
    // No worker delay: the PUT's row comes first in the sequence.
    const node = await start({ catalog, release: 'epoxy', now: () => now, cacheDelayMs: 0 });
    const versions = JSON.parse((await raw(`${node.url}/versions`)).text).versions as { id: string; status: string }[];
    // Glance 30 lists its CURRENT v2.17 between v2.8 and v2.7 (seen).
    expect(versions.map((version) => version.id).slice(8, 11)).toEqual(['v2.8', 'v2.17', 'v2.7']);
    expect(versions.filter((version) => version.status === 'CURRENT').map((version) => version.id)).toEqual(['v2.17']);
    await sims.net.client(node.url).queueImage(api, ids[1]!);
    node.readImage(ids[0]!);
    const [first, second] = JSON.parse((await raw(`${node.url}/v2/cache`)).text).cached_images as Record<string, unknown>[];
    expect(Object.keys(first!).sort()).toEqual(['checksum', 'hits', 'id', 'image_id', 'last_accessed', 'last_modified', 'size']);
    const byImage = new Map([first, second].map((entry) => [entry!.image_id, entry!]));
    // Cached by the PUT first, then by the read: rows 1 and 2 of the database's sequence.
    expect(byImage.get(ids[1])).toMatchObject({ id: 1, hits: 0, last_modified: 1_750_000_000.123, last_accessed: 1_750_000_000.122996 });
    expect(byImage.get(ids[0])).toMatchObject({ id: 2, hits: 0 });
    // Glance 30 writes no checksum into the row (seen).
    expect(byImage.get(ids[0])!.checksum).toBeNull();
    const parsed = (await sims.net.client(node.url).listCache(api)).cached.find((entry) => entry.id === ids[1])!;
    expect(parsed.lastAccessed).toBeLessThan(parsed.lastModified!);
  });

  it('numbers rows from one sequence across the nodes of a catalog, and gives a copy cached again a new row', async () => {
    const { catalog, ids } = catalogWith('active');
    const [a, b] = [await start({ catalog, release: 'epoxy' }), await start({ catalog, release: 'epoxy' })];
    a.readImage(ids[0]!);
    b.readImage(ids[0]!);
    a.readImage(ids[0]!);
    expect([a.state().cached[0]!.rowId, b.state().cached[0]!.rowId]).toEqual([1, 2]);
    expect(await sims.net.client(a.url).dequeueOrDelete(api, ids[0]!)).toBe('deleted');
    a.readImage(ids[0]!);
    expect(a.state().cached[0]).toMatchObject({ rowId: 3, hits: 0 });
  });

  it('keeps Zed entries without row id or checksum, and refuses centralized_db on Zed', async () => {
    const { catalog, ids } = catalogWith('active');
    const zed = await start({ catalog });
    zed.readImage(ids[0]!);
    expect(Object.keys(JSON.parse((await raw(`${zed.url}/v2/cache`)).text).cached_images[0]).sort()).toEqual(['hits', 'image_id', 'last_accessed', 'last_modified', 'size']);
    await expect(startSimNode({ driver: 'centralized_db' })).rejects.toThrow('use release epoxy');
    await expect(startSimNode({ selfReferenceUrl: 'http://x' })).rejects.toThrow('needs the centralized_db driver');
  });

  it('lists the same rows on two nodes started with one worker_self_reference_url; a delete through either drops the row', async () => {
    const { catalog, ids } = catalogWith('active', 'active');
    const first = await start({ catalog, release: 'epoxy' });
    const second = await start({ catalog, release: 'epoxy', selfReferenceUrl: first.url });
    const other = await start({ catalog, release: 'epoxy' });
    first.readImage(ids[0]!);
    second.readImage(ids[1]!);
    other.readImage(ids[0]!);
    const listing = async (node: SimNode) => (await raw(`${node.url}/v2/cache`)).text;
    expect(await listing(second)).toBe(await listing(first));
    expect(JSON.parse(await listing(first)).cached_images.map((entry: { id: number }) => entry.id)).toHaveLength(2);
    expect(await listing(other)).not.toBe(await listing(first));
    expect(await sims.net.client(second.url).dequeueOrDelete(api, ids[0]!)).toBe('deleted');
    expect(first.state().cached.map((entry) => entry.id)).toEqual([ids[1]]);
    expect(other.state().cached.map((entry) => entry.id)).toEqual([ids[0]]);
  });
});
