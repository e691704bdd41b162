/** Real HTTP to Glance nodes, simulated or real: the glance client as the CLI wires it, minus the CLI. */
import { Agent } from 'undici';
import { createHttpClient, type HttpClient } from '../../src/http/client.js';
import { createNodeClient, type NodeClient } from '../../src/glance/node-client.js';
import type { Session } from '../../src/auth/types.js';
import type { NodeSpec } from '../../src/inventory/types.js';

export interface Wire {
  http: HttpClient;
  agent: Agent;
  client(url: string, session?: Session): NodeClient;
  close(): Promise<void>;
}

export function fixedSession(token: string | null): Session {
  return {
    token: async () => token,
    renew: async () => {
      throw new Error('this test session cannot renew');
    },
    imageEndpoint: () => undefined,
  };
}

/** The scrubbing of a run that knows no secrets. */
export const noSecrets = (text: string): string => text;

export function nodeSpec(url: string, name = 'sim'): NodeSpec {
  return { name, url, labels: {}, timeoutMs: 10_000, connectTimeoutMs: 2_000, at: { file: 'test' } };
}

export function wire(maxBodyBytes = 8 * 1024 * 1024): Wire {
  const agent = new Agent({ keepAliveTimeout: 1_000 });
  const http = createHttpClient({
    dispatcher: agent,
    debug: () => {},
    now: () => performance.now(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    maxBodyBytes,
    timeoutMs: 30_000,
    userAgent: 'glance-cache-sim-test',
  });
  return {
    http,
    agent,
    client: (url, session = fixedSession(null)) => createNodeClient(nodeSpec(url), { http, session, scrub: noSecrets }),
    close: () => agent.close(),
  };
}

/** Polls until `check` holds; the bound only stops a broken test from hanging. */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, boundMs = 10_000): Promise<void> {
  const deadline = Date.now() + boundMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
