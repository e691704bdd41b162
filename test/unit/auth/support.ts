/**
 * Shared wiring for the auth tests: the secrets they use, a recorder of every error and debug line they
 * see (so each file can prove no secret leaked), a MockAgent-backed client and a Keystone stub.
 */
import { inspect } from 'node:util';
import { expect } from 'vitest';
import { MockAgent } from 'undici';
import { createHttpClient, type HttpClient } from '../../../src/http/client.js';

export const SECRETS = {
  password: 'pw-Sup3r-s3cret-0123',
  appSecret: 'appcred-s3cret-Zq9',
  token: 'gAAAAA-issued-token-one',
  renewedToken: 'gAAAAA-issued-token-two',
  fixedToken: 'gAAAAA-fixed-env-token',
};

/** Everything a user could see during a test file: thrown errors (fully serialised) and debug lines. */
export class Seen {
  readonly lines: string[] = [];

  readonly debug = (line: string): void => {
    this.lines.push(line);
  };

  error(error: unknown): Error {
    this.lines.push(inspect(error, { depth: 10 }), JSON.stringify(error), String(error));
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }

  /** Runs fn, expecting it to throw; records and returns the error. */
  throws(fn: () => unknown): Error {
    try {
      fn();
    } catch (error) {
      return this.error(error);
    }
    throw new Error('expected an error, nothing was thrown');
  }

  async rejects(promise: Promise<unknown>): Promise<Error> {
    try {
      await promise;
    } catch (error) {
      return this.error(error);
    }
    throw new Error('expected a rejection, the promise resolved');
  }
}

/** The lines that contain one of the test secrets. */
export function leaks(lines: readonly string[]): string[] {
  return lines.filter((line) => Object.values(SECRETS).some((secret) => line.includes(secret)));
}

export function expectNoLeaks(seen: Seen, atLeast: number): void {
  expect(seen.lines.length).toBeGreaterThanOrEqual(atLeast);
  expect(leaks(seen.lines)).toEqual([]);
}

export const KEYSTONE = 'http://keystone.test:5000';

export function mockHttp(seen: Seen): { agent: MockAgent; http: HttpClient } {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const http = createHttpClient({ dispatcher: agent, debug: seen.debug, now: () => 0, sleep: async () => {}, maxBodyBytes: 1 << 20, timeoutMs: 10_000, userAgent: 'glance-cache-test' });
  return { agent, http };
}

export const CATALOG = [
  { type: 'identity', name: 'keystone', endpoints: [{ interface: 'public', region_id: 'RegionOne', region: 'RegionOne', url: `${KEYSTONE}/v3` }] },
  {
    type: 'image',
    name: 'glance',
    endpoints: [
      { interface: 'public', region_id: 'RegionOne', region: 'RegionOne', url: 'https://glance.r1.example.net:9292/' },
      { interface: 'internal', region_id: 'RegionOne', region: 'RegionOne', url: 'http://10.0.0.10:9292' },
      { interface: 'public', region_id: 'RegionTwo', region: 'RegionTwo', url: 'https://glance.r2.example.net:9292' },
    ],
  },
];

/** Keystone's 201 for POST /v3/auth/tokens. */
export function tokenReply(token: string, catalog: unknown[] = CATALOG): { statusCode: number; data: string; responseOptions: { headers: Record<string, string> } } {
  return {
    statusCode: 201,
    data: JSON.stringify({ token: { expires_at: '2030-01-01T00:00:00.000000Z', methods: ['password'], catalog } }),
    responseOptions: { headers: { 'content-type': 'application/json', 'x-subject-token': token } },
  };
}

/** Stubs `times` token requests, answering each with the next of `tokens`; collects the request bodies. */
export function stubTokens(agent: MockAgent, path: string, ...tokens: string[]): unknown[] {
  const bodies: unknown[] = [];
  agent
    .get(KEYSTONE)
    .intercept({ path, method: 'POST' })
    .reply((request) => {
      bodies.push(JSON.parse(String(request.body)));
      return tokenReply(tokens[bodies.length - 1] ?? 'unexpected');
    })
    .times(tokens.length);
  return bodies;
}
