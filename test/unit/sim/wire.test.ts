/**
 * The simulator's wire details, each as a real Glance node answers it (test/fleet/OBSERVED.md, "Wire
 * details"): headers, empty bodies, routing edge cases, the schemas, image records, asynchronous
 * queueing and the v2.18 cache endpoints of Glance's development branch.
 */
import { describe, expect, it } from 'vitest';
import { request } from 'undici';
import { SimCatalog } from '../../../src/sim/catalog.js';
import { simNodesPerTest } from '../../helpers/sim-nodes.js';
import { IMAGE_SCHEMA, IMAGES_SCHEMA } from '../../../src/sim/schemas.js';
import { eventually } from '../../contract/wire.js';

const ADMIN = 'admin-token-0123456789';
const MEMBER = 'member-token-0123456789';
const TOKENS = { admin: [ADMIN], member: [MEMBER] };
const REQUEST_ID = /^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const sims = simNodesPerTest();
const start = sims.start;

type Method = 'GET' | 'PUT' | 'DELETE' | 'POST' | 'HEAD';

async function raw(url: string, method: Method = 'GET', headers: Record<string, string> = {}) {
  const response = await request(url, { method, headers, dispatcher: sims.net.agent });
  const text = await response.body.text();
  const header = (name: string) => {
    const value = response.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  return { status: response.statusCode, type: header('content-type'), requestId: header('x-openstack-request-id'), allow: header('allow'), length: header('content-length'), text };
}

function withImages(): { catalog: SimCatalog; active: string; noData: string } {
  const catalog = new SimCatalog({ seed: 3 });
  return { catalog, active: catalog.add({ name: 'wire-active', size: 4096 }).id, noData: catalog.add({ name: 'wire-no-data', status: 'queued', size: null }).id };
}

describe('headers and empty bodies', () => {
  it('tags every answer past the token check with a request id, and none before it', async () => {
    const { catalog, active } = withImages();
    const node = await start({ catalog, tokens: TOKENS });
    const admin = { 'x-auth-token': ADMIN };
    for (const [path, method, headers] of [
      ['/v2/cache', 'GET', admin],
      [`/v2/cache/${active}`, 'PUT', admin],
      ['/v2/cache/7e57c0de-0000-4000-8000-000000000404', 'PUT', admin],
      ['/v2/cache', 'GET', { 'x-auth-token': MEMBER }],
    ] as const) {
      expect((await raw(`${node.url}${path}`, method, headers)).requestId).toMatch(REQUEST_ID);
    }
    for (const path of ['/versions', '/', '/healthcheck', '/v2/cache']) expect((await raw(`${node.url}${path}`)).requestId).toBeUndefined();
  });

  it('sends its empty 202 and 204 answers as text/html', async () => {
    const { catalog, active } = withImages();
    const node = await start({ catalog });
    for (const [method, path, status] of [
      ['PUT', `/v2/cache/${active}`, 202],
      ['DELETE', `/v2/cache/${active}`, 204],
      ['DELETE', '/v2/cache', 204],
    ] as const) {
      expect(await raw(`${node.url}${path}`, method)).toMatchObject({ status, type: 'text/html; charset=UTF-8', length: '0', text: '' });
    }
  });

  it('answers HEAD with its error as an empty text/html body, whatever was asked for; /versions with the list headers', async () => {
    const { catalog, active } = withImages();
    const node = await start({ catalog, flavor: 'cache', tokens: TOKENS });
    const admin = { 'x-auth-token': ADMIN };
    const empty = { type: 'text/html; charset=UTF-8', length: '0', text: '' };
    for (const accept of [{}, { accept: 'application/json' }] as Record<string, string>[]) {
      expect(await raw(`${node.url}/v2/cache`, 'HEAD', { ...admin, ...accept })).toMatchObject({ status: 405, allow: 'GET, DELETE', ...empty });
    }
    expect(await raw(`${node.url}/v2/images/${active}`, 'HEAD', admin)).toMatchObject({ status: 405, allow: 'GET, PATCH, DELETE', ...empty });
    expect(await raw(`${node.url}/v2/images`, 'HEAD', admin)).toMatchObject({ status: 405, allow: 'GET, POST', ...empty });
    expect(await raw(`${node.url}/v2/cached_images`, 'HEAD', admin)).toMatchObject({ status: 404, ...empty });
    expect(await raw(`${node.url}/v2/cache`, 'HEAD')).toMatchObject({ status: 401, ...empty });
    expect(await raw(`${node.url}/versions`, 'HEAD')).toMatchObject({ status: 200, type: 'application/json', text: '' });
  });
});

describe('routes outside the API', () => {
  it('answers /healthcheck with OK, and HEAD with 204, no token needed', async () => {
    const node = await start({ tokens: TOKENS });
    for (const method of ['GET', 'POST'] as const) expect(await raw(`${node.url}/healthcheck`, method)).toMatchObject({ status: 200, type: 'text/plain; charset=UTF-8', text: 'OK' });
    expect(await raw(`${node.url}/healthcheck`, 'HEAD')).toMatchObject({ status: 204, type: undefined, text: '' });
  });

  it('answers any method on /versions with 200 and the list', async () => {
    const node = await start();
    const posted = await raw(`${node.url}/versions`, 'POST');
    expect(posted.status).toBe(200);
    expect(posted.text).toBe((await raw(`${node.url}/versions`)).text);
  });
});

describe('routing edge cases', () => {
  it('finds no route for a trailing slash: GET /v2/cache/ is 404', async () => {
    const node = await start();
    expect(await raw(`${node.url}/v2/cache/`)).toMatchObject({ status: 404, text: '404 Not Found\n\nThe resource could not be found.\n\n   ' });
    expect((await raw(`${node.url}/v2/cache_images/`)).status).toBe(404);
  });

  it('keeps a malformed escape as sent, as Python\'s unquote does: DELETE /v2/cache/%ZZ is 404 for image %ZZ', async () => {
    const node = await start();
    expect(await raw(`${node.url}/v2/cache/%ZZ`, 'DELETE')).toMatchObject({ status: 404, text: '404 Not Found\n\nImage %ZZ not found.\n\n   ' });
    const json = await raw(`${node.url}/v2/cache/%ZZ`, 'DELETE', { accept: 'application/json' });
    expect(JSON.parse(json.text)).toEqual({ message: 'Image %ZZ not found.<br /><br />\n\n\n', code: '404 Not Found', title: 'Not Found' });
    expect((await raw(`${node.url}/v2/cached_images/%ZZ`, 'DELETE')).text).toBe('null');
  });

  it('escapes quotes in HTML error bodies as webob does, and strips tags from plain ones', async () => {
    const node = await start();
    const path = `${node.url}/v2/cache/a%22b'c%3Cd%3E&e`;
    const html = await raw(path, 'PUT', { accept: 'text/html' });
    expect(html.text).toBe('<html>\n <head>\n  <title>404 Not Found</title>\n </head>\n <body>\n  <h1>404 Not Found</h1>\n  Image a&quot;b&#x27;c&lt;d&gt;&amp;e not found.<br /><br />\n\n\n\n </body>\n</html>');
    expect((await raw(path, 'PUT')).text).toBe('404 Not Found\n\nImage a"b\'c&e not found.\n\n   ');
  });
});

describe('images API', () => {
  it('serves the image and images schemas that python-glanceclient fetches before images.list and images.get', async () => {
    const node = await start({ tokens: TOKENS });
    const image = await raw(`${node.url}/v2/schemas/image`, 'GET', { 'x-auth-token': MEMBER });
    expect([image.status, image.type]).toEqual([200, 'application/json']);
    expect(JSON.parse(image.text)).toEqual(IMAGE_SCHEMA);
    expect(Object.keys(IMAGE_SCHEMA.properties)).toEqual(expect.arrayContaining(['os_hash_algo', 'os_hash_value', 'stores', 'virtual_size']));
    expect(JSON.parse((await raw(`${node.url}/v2/schemas/images`, 'GET', { 'x-auth-token': MEMBER })).text)).toEqual(IMAGES_SCHEMA);
    expect((await raw(`${node.url}/v2/schemas/image`)).status).toBe(401);
    expect((await raw(`${node.url}/v2/schemas/members`, 'GET', { 'x-auth-token': ADMIN })).status).toBe(404);
  });

  it('shows hashes, virtual size and store for an image with data, nulls and no store without', async () => {
    const { catalog, active, noData } = withImages();
    const node = await start({ catalog });
    const withData = JSON.parse((await raw(`${node.url}/v2/images/${active}`)).text) as Record<string, unknown>;
    expect(withData).toMatchObject({ size: 4096, virtual_size: 4096, os_hash_algo: 'sha512', stores: 'fs' });
    expect(withData.checksum).toMatch(/^[0-9a-f]{32}$/);
    expect(withData.os_hash_value).toMatch(/^[0-9a-f]{128}$/);
    expect(withData.owner).toMatch(/^[0-9a-f]{32}$/);
    expect(Object.keys(withData).sort()).toEqual(Object.keys(IMAGE_SCHEMA.properties).filter((key) => key in withData).sort());
    const without = JSON.parse((await raw(`${node.url}/v2/images/${noData}`)).text) as Record<string, unknown>;
    expect(without).toMatchObject({ size: null, virtual_size: null, checksum: null, os_hash_algo: null, os_hash_value: null });
    expect('stores' in without).toBe(false);
  });
});

describe('the cache worker', () => {
  it('lists a PUT image as queued until the worker caches it, in /v2/cache and the legacy listing alike', async () => {
    const { catalog, active } = withImages();
    const slow = await start({ catalog, cacheDelayMs: 60_000 });
    expect((await raw(`${slow.url}/v2/cache/${active}`, 'PUT')).status).toBe(202);
    expect(JSON.parse((await raw(`${slow.url}/v2/cache`)).text)).toEqual({ cached_images: [], queued_images: [active] });
    expect(JSON.parse((await raw(`${slow.url}/v2/queued_images`)).text)).toEqual({ queued_images: [active] });
    const worker = await start({ catalog });
    expect((await raw(`${worker.url}/v2/cache/${active}`, 'PUT')).status).toBe(202);
    await eventually(() => worker.state().cached.some((entry) => entry.id === active), 'the worker caches the image');
    expect(worker.state().queued).toEqual([]);
  });

  it('records cache times with microseconds, as time.time() gives them', async () => {
    const { catalog, active } = withImages();
    const node = await start({ catalog, cacheDelayMs: 0 });
    node.readImage(active);
    const [entry] = node.state().cached;
    expect(Math.round(entry!.lastModified * 1000) / 1000).not.toBe(entry!.lastModified);
  });
});

describe('v2.18 (release next): clean, prune and the nodes holding an image', () => {
  it('lists the node_reference URLs whose rows hold the image, admin only', async () => {
    const { catalog, active } = withImages();
    const [first, second, third] = await Promise.all([0, 1, 2].map(() => start({ catalog, release: 'next', tokens: TOKENS })));
    first!.readImage(active);
    third!.readImage(active);
    const versions = JSON.parse((await raw(`${first!.url}/versions`)).text).versions as { id: string; status: string }[];
    expect(versions[0]).toMatchObject({ id: 'v2.18', status: 'CURRENT' });
    const listed = await raw(`${second!.url}/v2/cache/nodes/${active}`, 'GET', { 'x-auth-token': ADMIN });
    expect([listed.status, listed.type]).toEqual([200, 'application/json']);
    expect((JSON.parse(listed.text) as string[]).sort()).toEqual([first!.url, third!.url].sort());
    const member = await raw(`${first!.url}/v2/cache/nodes/${active}`, 'GET', { 'x-auth-token': MEMBER, accept: 'application/json' });
    expect(JSON.parse(member.text)).toMatchObject({ message: 'You are not authorized to complete list_cached_nodes action.<br /><br />\n\n\n' });
    expect((await raw(`${first!.url}/v2/cache/nodes/7e57c0de-0000-4000-8000-000000000404`, 'GET', { 'x-auth-token': ADMIN })).status).toBe(404);
    expect(await raw(`${first!.url}/v2/cache/nodes/${active}`, 'DELETE', { 'x-auth-token': ADMIN })).toMatchObject({ status: 405, allow: 'GET' });
  });

  it('answers 409 on a node whose driver is not centralized_db', async () => {
    const { catalog, active } = withImages();
    const node = await start({ catalog, apiVersion: 'v2.18' });
    const answer = await raw(`${node.url}/v2/cache/nodes/${active}`, 'GET', { accept: 'application/json' });
    expect(answer.status).toBe(409);
    expect(JSON.parse(answer.text)).toEqual({ message: 'Centralized caching is not enabled<br /><br />\n\n\n', code: '409 Conflict', title: 'Conflict' });
  });

  it('cleans with 200 and an empty body; other methods on /cache/clean are /cache/{image_id}', async () => {
    const node = await start({ release: 'next', tokens: TOKENS });
    expect(await raw(`${node.url}/v2/cache/clean`, 'POST', { 'x-auth-token': ADMIN })).toMatchObject({ status: 200, type: 'text/html; charset=UTF-8', text: '' });
    expect((await raw(`${node.url}/v2/cache/clean`, 'POST', { 'x-auth-token': MEMBER })).status).toBe(403);
    expect((await raw(`${node.url}/v2/cache/clean`, 'PUT', { 'x-auth-token': ADMIN })).text).toContain('Image clean not found.');
  });

  it('has none of them before v2.18: Epoxy answers 404 for nodes and 405 for a POST', async () => {
    const { catalog, active } = withImages();
    const node = await start({ catalog, release: 'epoxy' });
    expect((await raw(`${node.url}/v2/cache/nodes/${active}`)).status).toBe(404);
    for (const path of ['clean', 'prune']) expect(await raw(`${node.url}/v2/cache/${path}`, 'POST')).toMatchObject({ status: 405, allow: 'DELETE, PUT' });
  });
});
