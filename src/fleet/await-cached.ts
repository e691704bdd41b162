/**
 * `queue --wait`: follow each node until the images queued there are cached. Only reads: every node's
 * cache listing, polled with a growing pause, until all its images are cached or the wait's deadline
 * passes. What was seen so far survives the deadline. An image listed as neither cached nor queued is not
 * taken as given up: while a node writes it, it sits in the incomplete dir, which no listing shows.
 */
import type { ApiInfo } from '../core/model.js';
import type { NodeClient } from '../glance/node-client.js';
import { toFailure } from '../http/client.js';
import { deadline } from '../http/deadline.js';
import { fanOut } from './fanout.js';

export interface CacheWait {
  node: string;
  client: NodeClient;
  api: ApiInfo;
  /** One listing call may take this long before it counts as a failed poll. */
  callTimeoutMs: number;
  images: readonly string[];
}

export interface WaitState {
  node: string;
  total: number;
  cached: Set<string>;
  /** Still queued at the last answer; the others not cached were in neither list. */
  queued: Set<string>;
  /** The last poll's failure, cleared by the next answer. */
  error: string | null;
}

export interface WaitOptions {
  timeoutMs: number;
  fanout: number;
  signal: AbortSignal;
  now: () => number;
  onProgress?: (states: readonly WaitState[]) => void;
}

const FIRST_PAUSE_MS = 250;
const MAX_PAUSE_MS = 5_000;

export async function awaitCached(waits: readonly CacheWait[], options: WaitOptions): Promise<WaitState[]> {
  const states = waits.map((wait): WaitState => ({ node: wait.node, total: wait.images.length, cached: new Set(), queued: new Set(), error: null }));
  await fanOut(
    waits.map((wait, index) => ({ wait, state: states[index]! })),
    async ({ wait, state }, signal) => {
      for (let pause = FIRST_PAUSE_MS; ; pause = Math.min(pause * 2, MAX_PAUSE_MS)) {
        const call = deadline(wait.callTimeoutMs, signal);
        try {
          const cache = await wait.client.listCache(wait.api, call.signal);
          const cached = new Set(cache.cached.map((entry) => entry.id));
          state.queued = new Set(wait.images.filter((image) => !cached.has(image) && cache.queued.includes(image)));
          for (const image of wait.images) if (cached.has(image)) state.cached.add(image);
          state.error = null;
        } catch (error) {
          if (signal.aborted) throw error;
          state.error = toFailure(error).message;
        } finally {
          call.clear();
        }
        options.onProgress?.(states);
        if (state.cached.size >= state.total) return;
        await sleep(pause, signal);
      }
    },
    { concurrency: options.fanout, signal: options.signal, timeoutMsOf: () => options.timeoutMs, now: options.now },
  );
  return states;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
