import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DispatcherPool } from '../../../src/http/dispatcher.js';
import { IDLE_ORIGINS } from '../../../src/http/idle-origins.js';

/** Loopback servers, each its own origin (as each node is), counting the connections open to them. */
interface Origins {
  urls: string[];
  open(): number;
  accepted(): number;
  /** Ends the body of the calls to /slow, which otherwise stay in flight. */
  release(): void;
  close(): Promise<void>;
}

async function startOrigins(count: number): Promise<Origins> {
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const waiting: (() => void)[] = [];
  let accepted = 0;
  for (let index = 0; index < count; index++) {
    const server = createServer((request, response) => {
      if (request.url === '/slow') {
        response.write('[');
        waiting.push(() => response.end(']'));
        return;
      }
      response.end('{}');
    });
    server.on('connection', (socket: Socket) => {
      accepted++;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
  }
  return {
    urls: servers.map((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    open: () => sockets.size,
    accepted: () => accepted,
    release: () => {
      for (const end of waiting.splice(0)) end();
    },
    async close() {
      for (const server of servers) server.closeAllConnections();
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    },
  };
}

/** One GET, its body read to the end, as the HTTP client does. */
async function get(pool: DispatcherPool, origin: string, path = '/'): Promise<string> {
  const response = await pool.get({ connectTimeoutMs: 1000 }).request({ origin, path, method: 'GET' });
  return response.body.text();
}

/** Waits for the sockets' FINs to reach the servers. */
async function settled(origins: Origins, expected: number): Promise<number> {
  for (let tries = 0; tries < 200 && origins.open() !== expected; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
  return origins.open();
}

let origins: Origins | undefined;
let pool: DispatcherPool | undefined;
afterEach(async () => {
  await pool?.close();
  await origins?.close();
  pool = undefined;
  origins = undefined;
});

describe('DispatcherPool', () => {
  it('keeps the connections of at most IDLE_ORIGINS idle origins, whatever the number of origins called', async () => {
    origins = await startOrigins(IDLE_ORIGINS * 3);
    pool = new DispatcherPool();
    for (const url of origins.urls) expect(await get(pool, url)).toBe('{}');
    expect(origins.accepted()).toBe(IDLE_ORIGINS * 3);
    expect(await settled(origins, IDLE_ORIGINS)).toBe(IDLE_ORIGINS);
  });

  it('keeps the most recently used origins, and calls to one of them reuse its connection', async () => {
    origins = await startOrigins(IDLE_ORIGINS + 1);
    pool = new DispatcherPool();
    for (const url of origins.urls) await get(pool, url);
    const last = origins.urls.at(-1)!;
    await get(pool, last);
    await get(pool, last);
    expect(origins.accepted()).toBe(IDLE_ORIGINS + 1);
    // The first origin was the least recently used: its connection went when the last one went idle.
    await settled(origins, IDLE_ORIGINS);
    await get(pool, origins.urls[0]!);
    expect(origins.accepted()).toBe(IDLE_ORIGINS + 2);
  });

  it('never closes an origin with a call in flight, and counts it idle once its body is read', async () => {
    origins = await startOrigins(IDLE_ORIGINS + 2);
    pool = new DispatcherPool();
    const [slow, ...others] = origins.urls;
    const body = get(pool, slow!, '/slow');
    for (const url of others) await get(pool, url);
    // The slow call's origin is busy and the other IDLE_ORIGINS + 1 idle: one of them is closed.
    expect(await settled(origins, IDLE_ORIGINS + 1)).toBe(IDLE_ORIGINS + 1);
    origins.release();
    expect(await body).toBe('[]');
    // Now idle, the slow origin is the most recent: the oldest of the others goes.
    expect(await settled(origins, IDLE_ORIGINS)).toBe(IDLE_ORIGINS);
    await get(pool, slow!);
    expect(origins.accepted()).toBe(IDLE_ORIGINS + 2);
  });

  it('close() ends every connection, idle or not', async () => {
    origins = await startOrigins(3);
    pool = new DispatcherPool();
    for (const url of origins.urls) await get(pool, url);
    const body = get(pool, origins.urls[0]!, '/slow');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await pool.close();
    await expect(body).rejects.toThrow();
    expect(await settled(origins, 0)).toBe(0);
  });
});
