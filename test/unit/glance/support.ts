/** Shared wiring for the glance client tests: a MockAgent-backed HTTP client and a scripted session. */
import { MockAgent } from 'undici';
import { createHttpClient, type HttpClient } from '../../../src/http/client.js';
import type { Session } from '../../../src/auth/types.js';
import type { NodeSpec } from '../../../src/inventory/types.js';

export function mockHttp(maxBodyBytes = 1 << 20): { agent: MockAgent; http: HttpClient } {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const http = createHttpClient({ dispatcher: agent, debug: () => {}, now: () => 0, sleep: async () => {}, maxBodyBytes, timeoutMs: 10_000, userAgent: 'glance-cache-test' });
  return { agent, http };
}

export interface ScriptedSession extends Session {
  renewals: (string | null)[];
}

/** Hands out `first`; each renew() records the refused token and hands out the next of `renewed`. */
export function scriptedSession(first: string | null, ...renewed: string[]): ScriptedSession {
  const renewals: (string | null)[] = [];
  return {
    renewals,
    token: async () => first,
    renew: async (refused) => {
      renewals.push(refused);
      const next = renewed[renewals.length - 1];
      if (next === undefined) throw new Error('no more tokens');
      return next;
    },
    imageEndpoint: () => undefined,
  };
}

/** The scrubbing of a run that knows no secrets. */
export const noSecrets = (text: string): string => text;

export function nodeSpec(url: string, name = 'glance01'): NodeSpec {
  return { name, url, labels: {}, timeoutMs: 10_000, connectTimeoutMs: 1_000, at: { file: 'inventory.yaml', line: 1 } };
}

export const JSON_HEADERS = { headers: { 'content-type': 'application/json' } };

export const ZED_VERSIONS = {
  versions: [
    { id: 'v2.16', status: 'CURRENT', links: [{ rel: 'self', href: 'http://node/v2/' }] },
    { id: 'v2.15', status: 'SUPPORTED', links: [] },
    { id: 'v2.14', status: 'SUPPORTED', links: [] },
    { id: 'v2.13', status: 'SUPPORTED', links: [] },
    { id: 'v2.9', status: 'SUPPORTED', links: [] },
    { id: 'v2.0', status: 'SUPPORTED', links: [] },
  ],
};

export const IDS = {
  a: '0b7a1f9e-3c55-4b7e-9a8e-1d2f3a4b5c6d',
  b: '1c8b2f0f-4d66-4c8f-8b9f-2e3f4a5b6c7e',
  c: '2d9c3a1a-5e77-4d9a-9cab-3f4a5b6c7d8f',
};
