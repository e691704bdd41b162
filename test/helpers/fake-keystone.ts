/**
 * A tiny Keystone on loopback for fault tests: POST /v3/auth/tokens answers 201 with X-Subject-Token and a
 * catalog, or whatever fault the test sets (a status, a delay, a catalog without an image endpoint). It
 * keeps every request body it received, so a test can count re-authentications.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeKeystoneOptions {
  /** Token issued by the nth request (0-based); default `fake-token-<n+1>`. */
  tokenFor?: (index: number) => string;
  /** The image service's public endpoint in the catalog; without it the catalog has no image service. */
  imageUrl?: string;
}

export interface FakeKeystoneFaults {
  /** Answer every request with this status and a Keystone-style JSON error. */
  status?: number;
  /** The error message. */
  message?: string;
  /** Put the submitted body into the error message, as Keystone's validation errors may. */
  echoBody?: boolean;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Never answer. */
  hang?: boolean;
}

export interface FakeKeystone {
  /** The auth URL, ending in /v3. */
  readonly url: string;
  readonly port: number;
  /** Parsed bodies of the token requests, oldest first. */
  readonly requests: unknown[];
  setFaults(faults: FakeKeystoneFaults): void;
  close(): Promise<void>;
}

export async function startFakeKeystone(options: FakeKeystoneOptions = {}): Promise<FakeKeystone> {
  const requests: unknown[] = [];
  let faults: FakeKeystoneFaults = {};
  let issued = 0;
  const timers = new Set<NodeJS.Timeout>();

  function answer(request: IncomingMessage, response: ServerResponse, body: string): void {
    if (request.method !== 'POST' || request.url !== '/v3/auth/tokens') {
      json(response, 404, { error: { code: 404, title: 'Not Found', message: 'The resource could not be found.' } });
      return;
    }
    if (faults.status !== undefined) {
      json(response, faults.status, { error: { code: faults.status, title: 'Error', message: faults.echoBody ? `Invalid input: ${body}` : (faults.message ?? 'The request you have made requires authentication.') } });
      return;
    }
    const token = (options.tokenFor ?? ((index) => `fake-token-${index + 1}`))(issued++);
    const catalog = [
      { type: 'identity', endpoints: [{ interface: 'public', region_id: 'RegionOne', url: `http://127.0.0.1:${port}/v3` }] },
      ...(options.imageUrl === undefined ? [] : [{ type: 'image', endpoints: [{ interface: 'public', region_id: 'RegionOne', url: options.imageUrl }] }]),
    ];
    response.setHeader('x-subject-token', token);
    json(response, 201, { token: { expires_at: '2099-01-01T00:00:00.000000Z', catalog } });
  }

  const server = createServer((request, response) => {
    response.on('error', () => {});
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v3/auth/tokens') requests.push(parseOrText(body));
      if (faults.hang) return;
      if (!faults.delayMs) return answer(request, response, body);
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!response.destroyed) answer(request, response, body);
      }, faults.delayMs);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v3`,
    port,
    requests,
    setFaults(next) {
      faults = { ...next };
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function parseOrText(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}
