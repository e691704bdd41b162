/**
 * Cache listings decoded on other threads. A 1000-node listing is 150 MB of JSON: parsing and checking
 * it on the thread that also drives a thousand connections made the run CPU-bound on one core while
 * the others idled. Small answers (the common case) are decoded in place: handing them over would cost
 * more than it saves. Threads start at the first large answer, so a run whose answers are all small (200
 * nodes of a hundred images) never starts one; cli/factory.ts only makes a pool for runs of a few dozen
 * nodes and more.
 */
import { Worker } from 'node:worker_threads';
import type { HttpResponse } from '../http/client.js';
import { RequestFailure } from '../http/failure.js';
import { expectJson, expectStatus } from '../http/json.js';
import { fromColumns, type CacheColumns } from './cache-columns.js';
import { parseNodeCache } from './parse.js';
import type { FailureKind, NodeCache } from '../core/model.js';

/** A GET /v2/cache answer to a checked listing; rejects with the same RequestFailure wherever it runs. */
export type CacheDecoder = (response: HttpResponse) => Promise<NodeCache>;

/** What every decoder does, here or on a thread: the status, the JSON, then the shape. */
export function readCacheListing(response: HttpResponse): NodeCache {
  return parseNodeCache(expectJson(response));
}

export const decodeHere: CacheDecoder = async (response) => readCacheListing(response);

export interface DecodeRequest {
  id: number;
  bytes: Uint8Array;
  status: number;
}

export type DecodeReply = { id: number; columns: CacheColumns } | { id: number; failure: { kind: FailureKind; message: string; status: number | undefined } };

export interface DecodePoolOptions {
  /** The worker's file (dist/decode-worker.js). */
  script: URL;
  threads: number;
  /** Answers smaller than this are decoded on the calling thread. */
  minBytes: number;
  /** For --debug: when threads start, and why one is given up. */
  debug?: ((line: string) => void) | undefined;
}

export interface DecodePool {
  decode: CacheDecoder;
  /** Stops the threads; decodes still pending reject as interrupted. */
  close(): Promise<void>;
}

interface Pending {
  response: HttpResponse;
  resolve(cache: NodeCache): void;
  reject(error: unknown): void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
  /** The image IDs this thread has sent, by index (cache-columns.ts). */
  receivedIds: string[];
}

export function createDecodePool(options: DecodePoolOptions): DecodePool {
  let threads: Thread[] | undefined;
  let broken = false;
  let closed = false;
  let nextId = 0;

  function start(): Thread[] {
    const count = Math.max(1, options.threads);
    options.debug?.(`decoding large cache listings on ${count} thread${count === 1 ? '' : 's'}`);
    return Array.from({ length: count }, () => {
      const thread: Thread = { worker: new Worker(options.script), pending: new Map(), receivedIds: [] };
      // Idle threads must not keep a finished run alive; one with work must (see decode()).
      thread.worker.unref();
      thread.worker.on('message', (reply: DecodeReply) => {
        // Decoded even when nobody waits any more: the dictionary must take in every reply's new IDs.
        const cache = 'columns' in reply ? fromColumns(reply.columns, thread.receivedIds) : undefined;
        const pending = thread.pending.get(reply.id);
        if (!pending) return;
        thread.pending.delete(reply.id);
        if (thread.pending.size === 0) thread.worker.unref();
        if ('failure' in reply) pending.reject(new RequestFailure(reply.failure.kind, reply.failure.message, reply.failure.status));
        else if (cache) pending.resolve(cache);
      });
      // A thread that cannot start or dies is a bug or a starved machine, not the node's fault: what it
      // held, and everything after, is decoded here instead.
      const fallBack = (why: string) => {
        if (!broken) options.debug?.(`decoding thread ${why}; decoding every listing here instead`);
        broken = true;
        for (const pending of thread.pending.values()) decodeHere(pending.response).then(pending.resolve, pending.reject);
        thread.pending.clear();
      };
      thread.worker.on('error', (error) => fallBack(`failed: ${error.message}`));
      thread.worker.on('exit', (code) => {
        if (!closed) fallBack(`exited (${code})`);
      });
      return thread;
    });
  }

  return {
    async decode(response) {
      expectStatus(response, [200]);
      if (broken || closed || response.bytes.length < options.minBytes) return decodeHere(response);
      threads ??= start();
      const thread = threads.reduce((least, candidate) => (candidate.pending.size < least.pending.size ? candidate : least));
      const id = nextId++;
      return new Promise<NodeCache>((resolve, reject) => {
        thread.pending.set(id, { response, resolve, reject });
        // An answer still being decoded keeps the run alive, whatever else is left running.
        if (thread.pending.size === 1) thread.worker.ref();
        const request: DecodeRequest = { id, bytes: response.bytes, status: response.status };
        thread.worker.postMessage(request);
      });
    },
    async close() {
      closed = true;
      for (const thread of threads ?? []) {
        for (const pending of thread.pending.values()) pending.reject(new RequestFailure('aborted', 'interrupted'));
        thread.pending.clear();
      }
      await Promise.all((threads ?? []).map((thread) => thread.worker.terminate()));
    },
  };
}
