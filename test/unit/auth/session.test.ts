import { afterEach, describe, expect, it } from 'vitest';
import type { MockAgent } from 'undici';
import { AuthError } from '../../../src/errors.js';
import { REDACTED, SecretScrubber } from '../../../src/http/redact.js';
import { DeadlineExceeded } from '../../../src/http/deadline.js';
import { createSession } from '../../../src/auth/session.js';
import type { Credentials } from '../../../src/auth/types.js';
import { KEYSTONE, SECRETS, Seen, expectNoLeaks, mockHttp, stubTokens } from './support.js';

const seen = new Seen();
const common = { interface: 'public', regionName: 'RegionOne', origin: 'clouds.yaml cloud "prod" (/etc/openstack/clouds.yaml)' };
const password: Credentials = { type: 'password', authUrl: `${KEYSTONE}/v3`, username: 'cache-admin', userDomainId: 'default', password: SECRETS.password, projectId: 'p-1', common };
const appCred: Credentials = { type: 'v3applicationcredential', authUrl: KEYSTONE, id: 'ac-1', secret: SECRETS.appSecret, common };

let agent: MockAgent | undefined;
afterEach(async () => {
  agent?.assertNoPendingInterceptors();
  await agent?.close();
  agent = undefined;
});

function setup(creds: Credentials): { session: ReturnType<typeof createSession>; scrubber: SecretScrubber; agent: MockAgent } {
  const mocked = mockHttp(seen);
  agent = mocked.agent;
  const scrubber = new SecretScrubber();
  return { session: createSession(creds, { http: mocked.http, scrubber }), scrubber, agent: mocked.agent };
}

describe('a Keystone session', () => {
  it('fetches one token for ten concurrent callers', async () => {
    const { session, agent } = setup(password);
    const bodies = stubTokens(agent, '/v3/auth/tokens', SECRETS.token);
    const tokens = await Promise.all(Array.from({ length: 10 }, () => session.token()));
    expect(tokens).toEqual(Array(10).fill(SECRETS.token));
    expect(await session.token()).toBe(SECRETS.token);
    expect(bodies).toHaveLength(1);
    expect(session.imageEndpoint()).toBe('https://glance.r1.example.net:9292');
  });

  it('registers the secret and every token with the scrubber', async () => {
    const { session, scrubber, agent } = setup(appCred);
    expect(scrubber.scrub(`secret=${SECRETS.appSecret}`)).toBe(`secret=${REDACTED}`);
    stubTokens(agent, '/v3/auth/tokens', SECRETS.token, SECRETS.renewedToken);
    await session.renew(await session.token());
    expect(scrubber.scrub(`${SECRETS.token} ${SECRETS.renewedToken}`)).toBe(`${REDACTED} ${REDACTED}`);
  });

  it('renews once after a 401, sharing the renewal between callers refused the same token', async () => {
    const { session, agent } = setup(password);
    const bodies = stubTokens(agent, '/v3/auth/tokens', SECRETS.token, SECRETS.renewedToken);
    const first = await session.token();
    const renewed = await Promise.all(Array.from({ length: 5 }, () => session.renew(first)));
    expect(renewed).toEqual(Array(5).fill(SECRETS.renewedToken));
    // A caller still holding the first token gets the replacement without another fetch.
    expect(await session.renew(first)).toBe(SECRETS.renewedToken);
    expect(await session.token()).toBe(SECRETS.renewedToken);
    expect(bodies).toHaveLength(2);
  });

  it('gives up when the renewed token is refused too', async () => {
    const { session, agent } = setup(password);
    stubTokens(agent, '/v3/auth/tokens', SECRETS.token, SECRETS.renewedToken);
    const renewed = await session.renew(await session.token());
    const error = await seen.rejects(session.renew(renewed));
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toBe(`token refused after re-authentication with Keystone ${KEYSTONE}/v3 (${common.origin})`);
  });

  it('asks Keystone once when it refuses the credentials, giving every caller the same AuthError', async () => {
    const { session, agent } = setup(password);
    agent.get(KEYSTONE).intercept({ path: '/v3/auth/tokens', method: 'POST' }).reply(401, { error: { message: 'The request you have made requires authentication.' } });
    const errors = await Promise.all(Array.from({ length: 3 }, () => seen.rejects(session.token())));
    expect(new Set(errors).size).toBe(1);
    expect(errors[0]).toBeInstanceOf(AuthError);
    expect(errors[0]!.message).toContain(`Keystone ${KEYSTONE}/v3 refused the credentials (user "cache-admin", from ${common.origin})`);
    expect(session.imageEndpoint()).toBeUndefined();
  });

  it("stops one caller's wait on its own signal without cancelling the shared fetch, blaming Keystone", async () => {
    const { session, agent } = setup(password);
    const bodies = stubTokens(agent, '/v3/auth/tokens', SECRETS.token);
    const impatient = new AbortController();
    const waiting = session.token(impatient.signal);
    const patient = session.token();
    impatient.abort(new DeadlineExceeded(10_000));
    const error = await seen.rejects(waiting);
    // The caller's node was never asked: the line names Keystone, as a refused connection to it would.
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toBe(`cannot reach Keystone ${KEYSTONE}/v3: no token before the node's 10s timeout (user "cache-admin", from ${common.origin})`);
    expect(await patient).toBe(SECRETS.token);
    expect(bodies).toHaveLength(1);
  });
});

describe('a fixed token (OS_AUTH_TOKEN)', () => {
  it('is used as is, and cannot be renewed', async () => {
    const scrubber = new SecretScrubber();
    const session = createSession({ type: 'token', token: SECRETS.fixedToken, common: { interface: 'public', origin: 'OS_* environment' } }, { http: mockHttp(seen).http, scrubber });
    expect(await session.token()).toBe(SECRETS.fixedToken);
    expect(scrubber.scrub(SECRETS.fixedToken)).toBe(REDACTED);
    const error = await seen.rejects(session.renew(SECRETS.fixedToken));
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toMatch(/^the token was refused \(expired\?\); the token from OS_\* environment cannot be renewed/);
    expect(session.imageEndpoint()).toBeUndefined();
  });
});

describe('noauth', () => {
  it('sends no token, and says so when a node asks for one', async () => {
    const session = createSession({ type: 'none' }, { http: mockHttp(seen).http, scrubber: new SecretScrubber() });
    expect(await session.token()).toBeNull();
    const error = await seen.rejects(session.renew(null));
    expect(error).toBeInstanceOf(AuthError);
    expect(error.message).toContain('authentication is off');
  });
});

describe('secrets', () => {
  it('never appear in an error or debug line of this file', () => {
    expectNoLeaks(seen, 20);
  });
});
