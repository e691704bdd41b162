/**
 * A recording proxy between the peer clients and a glance-api node, simulated or real: it passes every
 * request through untouched and keeps, for each, what shape.ts keeps. Headers are forwarded, never kept,
 * so the token the clients send is never recorded.
 */
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bodyShape, pathTemplate, type RecordedRequest } from './shape.js';

export interface RecordingProxy {
  /** Where the clients connect instead of the node. */
  readonly url: string;
  /** The requests recorded since the last take, oldest first. */
  take(): RecordedRequest[];
  close(): Promise<void>;
}

export async function startRecordingProxy(target: string, placeholders: Record<string, string>): Promise<RecordingProxy> {
  const upstream = new URL(target);
  const base = upstream.pathname.replace(/\/+$/, '');
  let recorded: RecordedRequest[] = [];
  const server = createServer((incoming, outgoing) => {
    void (async () => {
      const body = await readAll(incoming);
      const reply = await forward(incoming, body);
      const type = String(reply.headers['content-type'] ?? '');
      recorded.push({
        method: incoming.method ?? 'GET',
        path: pathTemplate(incoming.url ?? '/', placeholders),
        status: reply.statusCode ?? 0,
        type,
        shape: bodyShape(type, reply.body.toString('utf8')),
      });
      outgoing.writeHead(reply.statusCode ?? 502, reply.headers);
      outgoing.end(reply.body);
    })().catch((error: unknown) => {
      // A node that cannot be reached is a row too: the clients see a 502 and the table says so.
      recorded.push({ method: incoming.method ?? 'GET', path: pathTemplate(incoming.url ?? '/', placeholders), status: 502, type: '', shape: `proxy: ${String(error)}` });
      outgoing.writeHead(502).end();
    });
  });

  function forward(incoming: IncomingMessage, body: Buffer): Promise<IncomingMessage & { body: Buffer }> {
    return new Promise((resolve, reject) => {
      const headers = { ...incoming.headers, host: upstream.host };
      const out = httpRequest({ host: upstream.hostname, port: upstream.port, method: incoming.method, path: `${base}${incoming.url ?? '/'}`, headers }, (reply) => {
        readAll(reply).then((data) => resolve(Object.assign(reply, { body: data })), reject);
      });
      out.on('error', reject);
      out.end(body);
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    take: () => {
      const taken = recorded;
      recorded = [];
      return taken;
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
