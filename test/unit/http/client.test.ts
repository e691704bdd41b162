import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpClient, type HttpClientDeps, type HttpRequest } from '../../../src/http/client.js';
import { RequestFailure } from '../../../src/http/failure.js';

const ORIGIN = 'http://glance01:9292';
let agent: MockAgent;

beforeEach(() => {
  agent = new MockAgent({ enableCallHistory: true });
  agent.disableNetConnect();
});

afterEach(async () => {
  agent.assertNoPendingInterceptors();
  await agent.close();
});

function setup(overrides: Partial<HttpClientDeps> = {}) {
  const debug: string[] = [];
  const sleeps: number[] = [];
  const client = createHttpClient({
    dispatcher: agent,
    debug: (line) => debug.push(line),
    now: () => 0,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    maxBodyBytes: 1024,
    timeoutMs: 10_000,
    userAgent: 'glance-cache/test',
    ...overrides,
  });
  return { client, debug, sleeps };
}

async function failure(promise: Promise<unknown>): Promise<RequestFailure> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(RequestFailure);
  return error as RequestFailure;
}

const requests = () => agent.getCallHistory()?.calls() ?? [];

describe('createHttpClient', () => {
  it('returns status, headers and body, sending the user agent and the given headers', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: '/v2/cache', method: 'GET', headers: { 'user-agent': 'glance-cache/test', accept: 'application/json' } })
      .reply(200, '{"cached_images":[]}', { headers: { 'content-type': 'application/json' } });
    const response = await setup().client.send({ method: 'GET', url: `${ORIGIN}/v2/cache`, headers: { accept: 'application/json' } });
    expect(response).toMatchObject({ status: 200, text: '{"cached_images":[]}' });
    expect(response.headers['content-type']).toBe('application/json');
  });

  it('keeps a path prefix and the query string', async () => {
    agent.get(ORIGIN).intercept({ path: '/image/v2/images?id=in:a,b', method: 'GET' }).reply(200, '{}');
    expect((await setup().client.send({ method: 'GET', url: `${ORIGIN}/image/v2/images?id=in:a,b` })).status).toBe(200);
  });

  it.each([
    ['ECONNREFUSED', 'refused'],
    ['ENOTFOUND', 'dns'],
    ['EAI_AGAIN', 'dns'],
    ['UND_ERR_CONNECT_TIMEOUT', 'connect-timeout'],
    ['ETIMEDOUT', 'connect-timeout'],
    ['ECONNRESET', 'reset'],
    ['UND_ERR_SOCKET', 'reset'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'],
    ['EHOSTUNREACH', 'refused'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'],
    ['EMFILE', 'local'],
  ])('maps transport error %s to %s', async (code, kind) => {
    agent.get(ORIGIN).intercept({ path: '/v2/cache', method: 'GET' }).replyWithError(Object.assign(new Error('x'), { code }));
    const { client, debug } = setup();
    const error = await failure(client.send({ method: 'GET', url: `${ORIGIN}/v2/cache` }));
    expect(error.kind).toBe(kind);
    expect(debug).toHaveLength(1);
    expect(debug[0]).toContain(`GET ${ORIGIN}/v2/cache -> ${kind}`);
  });

  it('finds an error code in the cause chain', async () => {
    const cause = Object.assign(new Error('inner'), { code: 'ENOTFOUND' });
    agent.get(ORIGIN).intercept({ path: '/', method: 'GET' }).replyWithError(new Error('fetch failed', { cause }));
    expect((await failure(setup().client.send({ method: 'GET', url: `${ORIGIN}/` }))).kind).toBe('dns');
  });

  it('refuses a body larger than maxBodyBytes', async () => {
    agent.get(ORIGIN).intercept({ path: '/v2/cache', method: 'GET' }).reply(200, 'x'.repeat(1025));
    const error = await failure(setup().client.send({ method: 'GET', url: `${ORIGIN}/v2/cache` }));
    expect(error.kind).toBe('too-large');
    expect(error.message).toContain('1024 bytes');
  });

  it('accepts a body of exactly maxBodyBytes', async () => {
    agent.get(ORIGIN).intercept({ path: '/v2/cache', method: 'GET' }).reply(200, 'x'.repeat(1024));
    expect((await setup().client.send({ method: 'GET', url: `${ORIGIN}/v2/cache` })).text).toHaveLength(1024);
  });

  it.each([301, 302, 303, 307, 308])('does not follow a %d redirect', async (status) => {
    agent.get(ORIGIN).intercept({ path: '/v2/cache', method: 'GET' }).reply(status, '', { headers: { location: 'http://attacker.example/steal?token=abc123' } });
    const error = await failure(setup().client.send({ method: 'GET', url: `${ORIGIN}/v2/cache`, headers: { 'x-auth-token': 'tok' }, retries: 2 }));
    expect(error.kind).toBe('redirect');
    expect(error.status).toBe(status);
    expect(error.message).toContain('attacker.example');
    expect(error.message).not.toContain('abc123');
    expect(requests().map((call) => call.fullUrl)).toEqual([`${ORIGIN}/v2/cache`]);
  });

  it('returns a 300 (the version list at /) as a response', async () => {
    agent.get(ORIGIN).intercept({ path: '/', method: 'GET' }).reply(300, '{"versions":[]}');
    expect((await setup().client.send({ method: 'GET', url: `${ORIGIN}/` })).status).toBe(300);
  });

  it('retries a GET on 503 and returns the later success', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v2/cache', method: 'GET' }).reply(503, 'busy');
    pool.intercept({ path: '/v2/cache', method: 'GET' }).reply(200, '{}');
    const { client, sleeps } = setup();
    const response = await client.send({ method: 'GET', url: `${ORIGIN}/v2/cache`, retries: 2 });
    expect(response.status).toBe(200);
    expect(requests()).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
  });

  it('retries a GET after a refused connection', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v2/cache', method: 'GET' }).replyWithError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }));
    pool.intercept({ path: '/v2/cache', method: 'GET' }).reply(200, '{}');
    expect((await setup().client.send({ method: 'GET', url: `${ORIGIN}/v2/cache`, retries: 1 })).status).toBe(200);
    expect(requests()).toHaveLength(2);
  });

  it('gives up after its retries and returns the last 503', async () => {
    agent.get(ORIGIN).intercept({ path: '/v2/cache', method: 'GET' }).reply(503, 'busy').times(3);
    const { client, sleeps } = setup();
    expect((await client.send({ method: 'GET', url: `${ORIGIN}/v2/cache`, retries: 2 })).status).toBe(503);
    expect(requests()).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it('does not retry a GET without retries, nor on a 404 or 500', async () => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/a', method: 'GET' }).reply(503, '');
    pool.intercept({ path: '/b', method: 'GET' }).reply(404, '');
    pool.intercept({ path: '/c', method: 'GET' }).reply(500, '');
    const { client } = setup();
    expect((await client.send({ method: 'GET', url: `${ORIGIN}/a` })).status).toBe(503);
    expect((await client.send({ method: 'GET', url: `${ORIGIN}/b`, retries: 3 })).status).toBe(404);
    expect((await client.send({ method: 'GET', url: `${ORIGIN}/c`, retries: 3 })).status).toBe(500);
    expect(requests()).toHaveLength(3);
  });

  it.each<HttpRequest['method']>(['PUT', 'DELETE', 'POST'])('never retries a %s', async (method) => {
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/v2/cache/img', method }).reply(503, '');
    pool.intercept({ path: '/v2/cache/other', method }).replyWithError(Object.assign(new Error('x'), { code: 'ECONNRESET' }));
    const { client, sleeps } = setup();
    expect((await client.send({ method, url: `${ORIGIN}/v2/cache/img`, retries: 3 })).status).toBe(503);
    expect((await failure(client.send({ method, url: `${ORIGIN}/v2/cache/other`, retries: 3 }))).kind).toBe('reset');
    expect(requests()).toHaveLength(2);
    expect(sleeps).toEqual([]);
  });

  it('logs method, redacted URL and status, never the token, userinfo or secret query values', async () => {
    const token = 'gAAAAABsecret-token-value';
    agent
      .get(ORIGIN)
      .intercept({ path: '/v2/cache?token=query-secret-1&limit=5', method: 'GET', headers: { 'x-auth-token': token } })
      .reply(200, '{}');
    agent.get(ORIGIN).intercept({ path: '/v2/cache/img', method: 'DELETE' }).replyWithError(Object.assign(new Error(`failed with ${token}`), { code: 'ECONNRESET' }));
    const { client, debug } = setup();
    await client.send({ method: 'GET', url: `http://admin:hunter2pass@glance01:9292/v2/cache?token=query-secret-1&limit=5`, headers: { 'X-Auth-Token': token } });
    await failure(client.send({ method: 'DELETE', url: `${ORIGIN}/v2/cache/img`, headers: { 'X-Auth-Token': token } }));
    expect(debug).toHaveLength(2);
    expect(debug[0]).toMatch(/^GET http:\/\/.*glance01:9292\/v2\/cache\?.*limit=5.* -> 200 /);
    expect(debug[1]).toMatch(/^DELETE http:\/\/glance01:9292\/v2\/cache\/img -> reset /);
    for (const line of debug) {
      for (const secret of [token, 'hunter2pass', 'admin', 'query-secret-1']) expect(line).not.toContain(secret);
    }
  });

  it('reads an abort with a TimeoutError reason as a timeout', async () => {
    agent.get(ORIGIN).intercept({ path: '/v2/cache', method: 'GET' }).reply(200, '{}').delay(60_000);
    const error = await failure(setup().client.send({ method: 'GET', url: `${ORIGIN}/v2/cache`, signal: AbortSignal.timeout(20) }));
    expect(error.kind).toBe('timeout');
  });

  it('reads any other abort as an interruption', async () => {
    agent.get(ORIGIN).intercept({ path: '/v2/cache', method: 'GET' }).reply(200, '{}').delay(60_000);
    const controller = new AbortController();
    const sent = setup().client.send({ method: 'GET', url: `${ORIGIN}/v2/cache`, signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    expect((await failure(sent)).kind).toBe('aborted');
  });

  it('reads the reason of a signal aborted before the call', async () => {
    const timedOut = AbortSignal.abort(new DOMException('deadline', 'TimeoutError'));
    const { client } = setup();
    expect((await failure(client.send({ method: 'GET', url: `${ORIGIN}/v2/cache`, signal: timedOut }))).kind).toBe('timeout');
    expect((await failure(client.send({ method: 'PUT', url: `${ORIGIN}/v2/cache/x`, signal: AbortSignal.abort() }))).kind).toBe('aborted');
  });

  it('stops retrying when interrupted during the back-off', async () => {
    agent.get(ORIGIN).intercept({ path: '/v2/cache', method: 'GET' }).reply(503, '');
    const controller = new AbortController();
    const { client } = setup({
      sleep: async () => {
        controller.abort();
        throw new DOMException('aborted', 'AbortError');
      },
    });
    expect((await failure(client.send({ method: 'GET', url: `${ORIGIN}/v2/cache`, retries: 3, signal: controller.signal }))).kind).toBe('aborted');
    expect(requests()).toHaveLength(1);
  });
});

describe('the total timeout (timeoutMs)', () => {
  let server: Server;
  let origin: string;
  let drip: NodeJS.Timeout | undefined;
  beforeEach(async () => {
    // GET /hang never answers; GET /drip sends its headers, then a byte every 20 ms, never ending.
    server = createServer((request, response) => {
      if (request.url === '/hang') return;
      response.writeHead(200, { 'content-type': 'application/json' });
      drip = setInterval(() => response.write(' '), 20);
      response.on('close', () => clearInterval(drip));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    clearInterval(drip);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each(['/hang', '/drip'])('ends a call to %s as a timeout, whatever its own signal allows', async (path) => {
    const real = new Agent();
    try {
      const { client } = setup({ dispatcher: real, timeoutMs: 300 });
      const error = await failure(client.send({ method: 'GET', url: `${origin}${path}`, signal: new AbortController().signal }));
      expect(error.kind).toBe('timeout');
      expect(error.message).toBe('timed out after 300ms');
    } finally {
      await real.destroy();
    }
  });

  it('covers the retries too: a back-off still waiting at the timeout ends the call', async () => {
    agent.get(ORIGIN).intercept({ path: '/v2/cache', method: 'GET' }).reply(503, '');
    const { client } = setup({ timeoutMs: 100, sleep: sleepUntilAborted });
    const error = await failure(client.send({ method: 'GET', url: `${ORIGIN}/v2/cache`, retries: 5 }));
    expect(error.kind).toBe('timeout');
    expect(requests()).toHaveLength(1);
  });
});

/** A back-off that lasts until the call's signal ends it. */
function sleepUntilAborted(_ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((_resolve, reject) => signal!.addEventListener('abort', () => reject(signal!.reason), { once: true }));
}
