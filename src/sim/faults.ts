/**
 * Fault injection: the ways real nodes and the networks in front of them fail, applied to whatever
 * reply the simulated node would have sent.
 */
import type { ServerResponse } from 'node:http';
import { glanceError, proxyErrorPage, type Reply } from './replies.js';

export interface SimFaults {
  /** Added before every answer (faults or not). */
  latencyMs?: number;
  /** Every call answers this status (500, 502, 503...). */
  status?: number;
  /** With `status`: a proxy's HTML page instead of Glance's own error body. */
  htmlErrors?: boolean;
  /** Send half the body, then end the response cleanly (a proxy cut it short). */
  truncate?: boolean;
  hang?: 'before-headers' | 'after-headers' | 'mid-body';
  /** Send the body at this many bytes per second. */
  drip?: number;
  /** Destroy the socket half-way through the body. */
  reset?: boolean;
  /** Successful JSON answers come back in a shape no Glance API uses. */
  wrongShape?: boolean;
  /** Successful answers carry a valid JSON body of this many bytes. */
  hugeBody?: number;
  /** This many calls are answered normally (latency aside), then the faults apply. */
  failAfter?: number;
  /** Every call answers 307 to this origin, same path: a hijacked or misconfigured proxy. */
  redirectTo?: string;
  /** Listings name every cached and queued image twice: a driver glitch seen mid-rewrite of the cache dir. */
  duplicateIds?: boolean;
}

/** One body that every parser rejects: each key a Glance answer needs, with the wrong type. */
const WRONG_SHAPE = Buffer.from(JSON.stringify({ versions: 'v2.16', cached_images: { image_id: 'x' }, queued_images: 'none', images: {}, total_files_pruned: 'many' }));
const DRIP_INTERVAL_MS = 50;
const HUGE_CHUNK = Buffer.alloc(64 * 1024, 'x');

/**
 * The reply after the status and shape faults, before the transport faults. A status fault stands for a
 * node that failed, so the call is not carried out at all: `produce` is not run.
 */
export function faultedReply(produce: () => Reply, faults: SimFaults, accept: string | undefined, path: string): Reply {
  if (faults.redirectTo !== undefined) return { status: 307, headers: { location: `${faults.redirectTo.replace(/\/+$/, '')}${path}` }, body: Buffer.alloc(0) };
  if (faults.status !== undefined) return faults.htmlErrors ? proxyErrorPage(faults.status) : glanceError(faults.status, accept);
  const reply = produce();
  if (!isJsonSuccess(reply)) return reply;
  if (faults.wrongShape) return { ...reply, body: WRONG_SHAPE };
  return faults.duplicateIds ? { ...reply, body: doubled(reply.body) } : reply;
}

/** The body with each entry of its cached_images and queued_images lists repeated once. */
function doubled(body: Buffer): Buffer {
  const document = JSON.parse(body.toString()) as Record<string, unknown>;
  for (const key of ['cached_images', 'queued_images']) {
    const list = document[key];
    if (Array.isArray(list)) document[key] = list.flatMap((entry: unknown) => [entry, entry]);
  }
  return Buffer.from(JSON.stringify(document));
}

/** Writes the reply through the transport faults: hangs, truncation, resets, dripping, huge bodies. */
export function deliver(res: ServerResponse, reply: Reply, faults: SimFaults): void {
  if (faults.hang === 'before-headers') return;
  if (faults.hugeBody !== undefined && reply.status < 300) {
    sendHuge(res, faults.hugeBody);
    return;
  }
  const half = reply.body.subarray(0, Math.floor(reply.body.length / 2));
  if (faults.hang === 'after-headers') {
    res.writeHead(reply.status, reply.headers);
    res.flushHeaders();
    return;
  }
  if (faults.truncate) {
    // Chunked, so the client sees a well-formed response whose JSON simply stops.
    res.writeHead(reply.status, reply.headers);
    res.end(half);
    return;
  }
  res.writeHead(reply.status, { ...reply.headers, 'content-length': String(reply.body.length) });
  if (faults.hang === 'mid-body') {
    res.write(half);
    return;
  }
  if (faults.reset) {
    res.write(half, () => res.socket?.destroy());
    return;
  }
  if (faults.drip !== undefined && faults.drip > 0) {
    drip(res, reply.body, faults.drip);
    return;
  }
  res.end(reply.body);
}

function drip(res: ServerResponse, body: Buffer, bytesPerSecond: number): void {
  const step = Math.max(1, Math.round((bytesPerSecond * DRIP_INTERVAL_MS) / 1000));
  let sent = 0;
  const timer = setInterval(() => {
    const chunk = body.subarray(sent, sent + step);
    sent += chunk.length;
    if (sent >= body.length) {
      clearInterval(timer);
      res.end(chunk);
    } else {
      res.write(chunk);
    }
  }, DRIP_INTERVAL_MS);
  res.on('close', () => clearInterval(timer));
}

/** A valid JSON object of exactly `bytes` bytes (at least its frame), streamed so the sim never holds it. */
function sendHuge(res: ServerResponse, bytes: number): void {
  const head = Buffer.from('{"cached_images":[],"queued_images":[],"images":[],"padding":"');
  const tail = Buffer.from('"}');
  let remaining = Math.max(0, bytes - head.length - tail.length);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(head.length + remaining + tail.length) });
  res.write(head);
  const pump = () => {
    while (remaining > 0) {
      const chunk = HUGE_CHUNK.subarray(0, Math.min(remaining, HUGE_CHUNK.length));
      remaining -= chunk.length;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end(tail);
  };
  pump();
}

function isJsonSuccess(reply: Reply): boolean {
  return reply.status < 300 && reply.body.length > 0 && (reply.headers['content-type'] ?? '').startsWith('application/json');
}
