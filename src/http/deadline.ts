import { formatDuration } from '../core/units.js';

/**
 * A signal that aborts with a TimeoutError after `ms`, or as soon as `parent` aborts. Node 20's
 * AbortSignal.timeout, once combined through AbortSignal.any, can be garbage-collected before it fires,
 * and then never fires: seen holding a 100-node listing with one hung node forever. A plain timer,
 * cleared when the work is done, cannot be collected.
 */
export interface Deadline {
  signal: AbortSignal;
  /** Stops the timer: call it once the guarded work has settled. */
  clear(): void;
}

/** The reason a deadline aborts with: a TimeoutError whose message says how long was waited. */
export class DeadlineExceeded extends DOMException {
  constructor(readonly ms: number) {
    super(`timed out after ${formatDuration(ms)}`, 'TimeoutError');
  }
}

/** setTimeout's limit (about 24.8 days); a longer deadline is as good as none. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function deadline(ms: number, parent?: AbortSignal): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineExceeded(ms)), Math.min(Math.max(0, Math.round(ms)), MAX_TIMER_MS));
  return {
    signal: parent ? AbortSignal.any([parent, controller.signal]) : controller.signal,
    clear: () => clearTimeout(timer),
  };
}
