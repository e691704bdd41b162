import { describe, it, expect, afterEach } from 'vitest';
import type { MockAgent } from 'undici';
import { findImagesByName, lookupImages } from '../../../src/glance/images-client.js';
import { JSON_HEADERS, IDS, mockHttp, noSecrets, scriptedSession } from './support.js';

let agent: MockAgent;

function setup(session = scriptedSession('tok')) {
  const mocked = mockHttp();
  agent = mocked.agent;
  return { deps: { http: mocked.http, session, scrub: noSecrets }, agent };
}

function uuid(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

const image = (id: string, name: string | null = `image-${id.slice(-4)}`) => ({ id, name, status: 'active', size: 1024, visibility: 'public' });

afterEach(() => {
  agent.assertNoPendingInterceptors();
});

describe('lookupImages', () => {
  it('asks for 250 IDs in 3 batched requests and maps what Glance returned', async () => {
    const { deps, agent } = setup();
    const ids = Array.from({ length: 250 }, (_, n) => uuid(n));
    const asked: string[][] = [];
    agent
      .get('http://images:9292')
      .intercept({ path: (path) => decodeURIComponent(path).startsWith('/v2/images?id=in:') })
      .reply((request) => {
        const query = new URL(request.path, 'http://x').searchParams;
        const batch = query.get('id')!.slice('in:'.length).split(',');
        asked.push(batch);
        expect(query.get('limit')).toBe(String(batch.length + 1));
        // Glance leaves out what it does not know: here, every tenth image is gone.
        const known = batch.filter((id) => parseInt(id.slice(-4), 16) % 10 !== 0);
        return { statusCode: 200, data: JSON.stringify({ images: known.map((id) => image(id)) }), responseOptions: JSON_HEADERS };
      })
      .times(3);
    const found = await lookupImages('http://images:9292', ids, deps);
    expect(asked.map((batch) => batch.length).sort((a, b) => a - b)).toEqual([50, 100, 100]);
    expect(new Set(asked.flat())).toEqual(new Set(ids));
    expect(found.size).toBe(225);
    expect(found.get(uuid(1))).toEqual({ id: uuid(1), name: 'image-0001', status: 'active', size: 1024 });
    expect(found.has(uuid(10))).toBe(false);
  });

  it('never puts IDs that are not UUIDs into the query, and asks once per ID', async () => {
    const { deps, agent } = setup();
    agent
      .get('http://images:9292')
      .intercept({ path: `/v2/images?id=in:${IDS.a},${IDS.b}&limit=3` })
      .reply(200, { images: [image(IDS.a), image(IDS.b, null)] }, JSON_HEADERS);
    const found = await lookupImages('http://images:9292', [IDS.a, 'x,y&limit=1', IDS.b, IDS.a, '\u001b[31m'], deps);
    expect([...found.keys()]).toEqual([IDS.a, IDS.b]);
    expect(found.get(IDS.b)!.name).toBeNull();
  });

  it('sends nothing when there is nothing to look up', async () => {
    const { deps } = setup();
    expect((await lookupImages('http://images:9292', ['not-an-id'], deps)).size).toBe(0);
  });

  it('follows next links under the base URL prefix, ignoring their host', async () => {
    const { deps, agent } = setup();
    const pool = agent.get('https://lb.example.net');
    pool
      .intercept({ path: `/image/v2/images?id=in:${IDS.a},${IDS.b}&limit=3` })
      .reply(200, { images: [image(IDS.a)], next: `https://evil.example.com/v2/images?marker=${IDS.a}&limit=1` }, JSON_HEADERS);
    pool.intercept({ path: `/image/v2/images?marker=${IDS.a}&limit=1` }).reply(200, { images: [image(IDS.b)], next: `/v2/images?marker=${IDS.b}&limit=1` }, JSON_HEADERS);
    pool.intercept({ path: `/image/v2/images?marker=${IDS.b}&limit=1` }).reply(200, { images: [] }, JSON_HEADERS);
    const found = await lookupImages('https://lb.example.net/image/', [IDS.a, IDS.b], deps);
    expect([...found.keys()].sort()).toEqual([IDS.a, IDS.b].sort());
  });

  it('renews the token on 401 like every other call', async () => {
    const session = scriptedSession('old', 'new');
    const { deps, agent } = setup(session);
    const pool = agent.get('http://images:9292');
    pool.intercept({ path: (path) => path.startsWith('/v2/images'), headers: { 'x-auth-token': 'old' } }).reply(401, '');
    pool.intercept({ path: (path) => path.startsWith('/v2/images'), headers: { 'x-auth-token': 'new' } }).reply(200, { images: [image(IDS.a)] }, JSON_HEADERS);
    expect((await lookupImages('http://images:9292', [IDS.a], deps)).size).toBe(1);
    expect(session.renewals).toEqual(['old']);
  });

  it('fails with the node reason when the images API refuses', async () => {
    const { deps, agent } = setup();
    agent.get('http://images:9292').intercept({ path: (path) => path.startsWith('/v2/images') }).reply(403, { message: 'You are not authorized.' }, JSON_HEADERS);
    await expect(lookupImages('http://images:9292', [IDS.a], deps)).rejects.toMatchObject({ kind: 'forbidden', message: 'HTTP 403: You are not authorized.' });
  });
});

describe('findImagesByName', () => {
  it('asks by URL-encoded exact name and returns every match', async () => {
    const { deps, agent } = setup();
    agent
      .get('http://images:9292')
      .intercept({ path: '/v2/images?name=Ubuntu%2022.04%20%26%20co%2F%C3%A9&limit=100' })
      .reply(200, { images: [image(IDS.a, 'Ubuntu 22.04 & co/é'), image(IDS.b, 'Ubuntu 22.04 & co/é')] }, JSON_HEADERS);
    const found = await findImagesByName('http://images:9292', 'Ubuntu 22.04 & co/é', deps);
    expect(found.exact.map((info) => info.id)).toEqual([IDS.a, IDS.b]);
    expect(found.ignored).toBe(0);
  });

  it('keeps only images of exactly that name with a UUID, each once, whatever the server filtered', async () => {
    const { deps, agent } = setup();
    agent
      .get('http://images:9292')
      .intercept({ path: '/v2/images?name=golden&limit=100' })
      .reply(
        200,
        {
          images: [
            image(IDS.a, 'scratch'),
            image(IDS.b, 'golden'),
            image(IDS.c, 'Golden'),
            image(IDS.a, 'golden '),
            image('../../v2/cache', 'golden'),
            image(IDS.b.toUpperCase(), 'golden'),
            image(IDS.c, null),
          ],
        },
        JSON_HEADERS,
      );
    const found = await findImagesByName('http://images:9292', 'golden', deps);
    expect(found.exact).toEqual([{ id: IDS.b, name: 'golden', status: 'active', size: 1024 }]);
    expect(found.ignored).toBe(5);
  });
});
