import { afterEach, describe, expect, it } from 'vitest';
import type { MockAgent } from 'undici';
import { AuthError, InterruptedError } from '../../../src/errors.js';
import { imageEndpointFrom, issueToken, tokensUrl, type IssuingCredentials } from '../../../src/auth/keystone.js';
import { CATALOG, KEYSTONE, SECRETS, Seen, expectNoLeaks, mockHttp, stubTokens } from './support.js';

const seen = new Seen();
const common = { interface: 'public', origin: 'OS_* environment' };
const password: IssuingCredentials = {
  type: 'password',
  authUrl: `${KEYSTONE}/v3`,
  username: 'cache-admin',
  userDomainName: 'Default',
  password: SECRETS.password,
  projectName: 'admin',
  projectDomainId: 'default',
  common,
};
const appCred: IssuingCredentials = { type: 'v3applicationcredential', authUrl: KEYSTONE, id: 'ac-123', secret: SECRETS.appSecret, common };

let agent: MockAgent | undefined;
afterEach(async () => {
  agent?.assertNoPendingInterceptors();
  await agent?.close();
  agent = undefined;
});

function setup(): ReturnType<typeof mockHttp> {
  const mocked = mockHttp(seen);
  agent = mocked.agent;
  return mocked;
}

describe('tokensUrl', () => {
  it('appends /v3 only when the auth URL names no version', () => {
    expect(tokensUrl('http://ks:5000')).toBe('http://ks:5000/v3/auth/tokens');
    expect(tokensUrl('http://ks:5000/')).toBe('http://ks:5000/v3/auth/tokens');
    expect(tokensUrl('http://ks:5000/v3/')).toBe('http://ks:5000/v3/auth/tokens');
    expect(tokensUrl('https://cloud.example.net/identity')).toBe('https://cloud.example.net/identity/v3/auth/tokens');
    expect(tokensUrl('https://cloud.example.net/identity/v3')).toBe('https://cloud.example.net/identity/v3/auth/tokens');
  });
});

describe('issueToken', () => {
  it('sends a project-scoped password request and reads the token from X-Subject-Token', async () => {
    const { http, agent } = setup();
    const bodies = stubTokens(agent, '/v3/auth/tokens', SECRETS.token);
    const issued = await issueToken(password, http);
    expect(issued.token).toBe(SECRETS.token);
    expect(issued.expiresAt).toBe('2030-01-01T00:00:00.000000Z');
    expect(bodies).toEqual([
      {
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'cache-admin', domain: { name: 'Default' }, password: SECRETS.password } } },
          scope: { project: { name: 'admin', domain: { id: 'default' } } },
        },
      },
    ]);
    expect(imageEndpointFrom(issued.catalog, 'public', 'RegionOne')).toBe('https://glance.r1.example.net:9292');
  });

  it('names the user by ID and the project by ID when given, and asks for system scope', async () => {
    const { http, agent } = setup();
    const bodies = stubTokens(agent, '/v3/auth/tokens', SECRETS.token, SECRETS.renewedToken);
    await issueToken({ ...password, userId: 'u-1', username: undefined, projectName: undefined, projectId: 'p-1' }, http);
    await issueToken({ ...password, projectName: undefined, systemScope: 'all' }, http);
    expect(bodies).toEqual([
      { auth: { identity: { methods: ['password'], password: { user: { id: 'u-1', password: SECRETS.password } } }, scope: { project: { id: 'p-1' } } } },
      {
        auth: {
          identity: { methods: ['password'], password: { user: { name: 'cache-admin', domain: { name: 'Default' }, password: SECRETS.password } } },
          scope: { system: { all: true } },
        },
      },
    ]);
  });

  it('sends an application credential by ID without a scope, appending /v3 to the auth URL', async () => {
    const { http, agent } = setup();
    const bodies = stubTokens(agent, '/v3/auth/tokens', SECRETS.token);
    expect((await issueToken(appCred, http)).token).toBe(SECRETS.token);
    expect(bodies).toEqual([{ auth: { identity: { methods: ['application_credential'], application_credential: { id: 'ac-123', secret: SECRETS.appSecret } } } }]);
  });

  it('sends an application credential by name with its user', async () => {
    const { http, agent } = setup();
    const bodies = stubTokens(agent, '/v3/auth/tokens', SECRETS.token);
    await issueToken({ ...appCred, id: undefined, name: 'cron-cache', username: 'svc', userDomainId: 'default' }, http);
    expect(bodies).toEqual([
      {
        auth: {
          identity: {
            methods: ['application_credential'],
            application_credential: { name: 'cron-cache', secret: SECRETS.appSecret, user: { name: 'svc', domain: { id: 'default' } } },
          },
        },
      },
    ]);
  });

  it('turns a 401 into an AuthError naming Keystone, the user and where the credentials came from', async () => {
    const { http, agent } = setup();
    agent.get(KEYSTONE).intercept({ path: '/v3/auth/tokens', method: 'POST' }).reply(401, { error: { code: 401, message: 'The request you have made requires authentication.' } });
    const error = await seen.rejects(issueToken(password, http));
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toBe(`Keystone ${KEYSTONE}/v3 refused the credentials (user "cache-admin", from OS_* environment)`);
  });

  it('says Keystone cannot be reached, naming the URL and the cause', async () => {
    const { http, agent } = setup();
    agent.get(KEYSTONE).intercept({ path: '/v3/auth/tokens', method: 'POST' }).replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const error = await seen.rejects(issueToken(appCred, http));
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toBe(`cannot reach Keystone ${KEYSTONE}/: connection refused (application credential ac-123, from OS_* environment)`);
  });

  it("keeps Keystone's reason for other failures but scrubs a secret it echoes", async () => {
    const { http, agent } = setup();
    agent
      .get(KEYSTONE)
      .intercept({ path: '/v3/auth/tokens', method: 'POST' })
      .reply(400, { error: { code: 400, message: `Invalid input for field 'identity/password/user/password': '${SECRETS.password}' is too long` } });
    const error = await seen.rejects(issueToken(password, http));
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toMatch(/^Keystone http:\/\/keystone\.test:5000\/v3: HTTP 400: Invalid input for field 'identity\/password\/user\/password': '<redacted>' is too long \(user/);
  });

  it('reports an HTML answer and a missing X-Subject-Token header', async () => {
    const { http, agent } = setup();
    const pool = agent.get(KEYSTONE);
    pool.intercept({ path: '/v3/auth/tokens', method: 'POST' }).reply(200, '<html><title>Portal login</title></html>');
    pool.intercept({ path: '/v3/auth/tokens', method: 'POST' }).reply(201, { token: { catalog: [] } });
    expect((await seen.rejects(issueToken(password, http))).message).toContain(`Keystone ${KEYSTONE}/v3: answered 200 with HTML, not JSON (Portal login)`);
    expect((await seen.rejects(issueToken(password, http))).message).toContain('issued no token: its answer lacks the X-Subject-Token header');
  });

  it('reads an interrupted request as an interruption, not an auth failure', async () => {
    const { http } = setup();
    const controller = new AbortController();
    controller.abort();
    expect(await seen.rejects(issueToken(password, http, { signal: controller.signal }))).toBeInstanceOf(InterruptedError);
  });
});

describe('imageEndpointFrom', () => {
  const catalog = [{ type: 'image', endpoints: CATALOG[1]!.endpoints.map((e) => ({ interface: e.interface, region: e.region_id, url: e.url })) }];

  it('picks the endpoint of the interface, and of the region when one is set', () => {
    expect(imageEndpointFrom(catalog, 'public', 'RegionTwo')).toBe('https://glance.r2.example.net:9292');
    expect(imageEndpointFrom(catalog, 'internal')).toBe('http://10.0.0.10:9292');
    expect(imageEndpointFrom(catalog, 'public')).toBe('https://glance.r1.example.net:9292');
  });

  it('finds nothing for an absent interface or region, or without an image service', () => {
    expect(imageEndpointFrom(catalog, 'admin')).toBeUndefined();
    expect(imageEndpointFrom(catalog, 'public', 'RegionThree')).toBeUndefined();
    expect(imageEndpointFrom([], 'public')).toBeUndefined();
  });
});

describe('secrets', () => {
  it('never appear in an error or debug line of this file', () => {
    expectNoLeaks(seen, 15);
  });
});
