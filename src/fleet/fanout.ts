/**
 * Runs one task per node with bounded concurrency. Each node gets its own deadline (its total timeout),
 * so a slow node costs its timeout, not the run's sum; the run's signal (Ctrl-C) aborts everything.
 * Never throws: every node yields exactly one outcome, in input order.
 */
import { RequestFailure } from '../http/failure.js';
import { toFailure } from '../http/client.js';
import { deadline } from '../http/deadline.js';

export type NodeOutcome<N, T> =
  | { node: N; ok: true; value: T; ms: number }
  | { node: N; ok: false; failure: RequestFailure; ms: number };

export interface FanoutOptions<N> {
  concurrency: number;
  /** The run's signal: aborted on Ctrl-C. */
  signal: AbortSignal;
  timeoutMsOf: (node: N) => number;
  now: () => number;
  /** Called as each node finishes, for progress display. */
  onSettled?: (outcome: NodeOutcome<N, unknown>) => void;
}

export async function fanOut<N, T>(nodes: readonly N[], task: (node: N, signal: AbortSignal) => Promise<T>, options: FanoutOptions<N>): Promise<NodeOutcome<N, T>[]> {
  const outcomes = new Array<NodeOutcome<N, T>>(nodes.length);
  let next = 0;

  async function runOne(index: number): Promise<void> {
    const node = nodes[index]!;
    const started = options.now();
    let outcome: NodeOutcome<N, T>;
    if (options.signal.aborted) {
      outcome = { node, ok: false, failure: new RequestFailure('aborted', 'interrupted before start'), ms: 0 };
    } else {
      const { signal, clear } = deadline(options.timeoutMsOf(node), options.signal);
      try {
        outcome = { node, ok: true, value: await withAbort(task(node, signal), signal), ms: options.now() - started };
      } catch (error) {
        outcome = { node, ok: false, failure: toFailure(error, signal), ms: options.now() - started };
      } finally {
        clear();
      }
    }
    outcomes[index] = outcome;
    options.onSettled?.(outcome);
  }

  async function worker(): Promise<void> {
    while (next < nodes.length) await runOne(next++);
  }

  const workers = Math.max(1, Math.min(options.concurrency, nodes.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return outcomes;
}

/**
 * A task that ignores its signal (a hung body read, a retry sleep) must still end at the deadline:
 * race it against the signal so the node's slot is freed on time. A task that heeds its signal gets
 * until the next turn of the event loop to settle, so its own reason (Keystone never answered) wins
 * over a bare "timed out".
 */
function withAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => setImmediate(() => reject(signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
