import { describe, expect, it } from 'vitest';
import { deadline, DeadlineExceeded } from '../../../src/http/deadline.js';
import { toFailure } from '../../../src/http/client.js';

describe('deadline', () => {
  it('aborts with a TimeoutError that reads as a timeout', async () => {
    const { signal } = deadline(10);
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    expect((signal.reason as DOMException).name).toBe('TimeoutError');
    expect(toFailure(new Error('aborted'), signal).kind).toBe('timeout');
  });

  it('says how long was waited, in the units a timeout is written in', async () => {
    const { signal } = deadline(10);
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    expect(toFailure(new Error('aborted'), signal).message).toBe('timed out after 10ms');
    expect(new DeadlineExceeded(90_000).message).toBe('timed out after 1m30s');
  });

  it("names undici's connect timeout with the dispatcher's limit, and a bare timeout without one", () => {
    const connect = Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' });
    expect(toFailure(connect, undefined, 3000).message).toBe('connect timed out after 3s');
    expect(toFailure(connect).message).toBe('connect timed out');
    expect(toFailure(new Error('aborted'), AbortSignal.abort(new DOMException('elsewhere', 'TimeoutError'))).message).toBe('timed out');
  });

  it('follows its parent, whose reason reads as an interruption', () => {
    const parent = new AbortController();
    const { signal, clear } = deadline(60_000, parent.signal);
    parent.abort(new Error('SIGINT'));
    expect(signal.aborted).toBe(true);
    expect(toFailure(new Error('aborted'), signal).kind).toBe('aborted');
    clear();
  });

  it('never fires once cleared, and takes deadlines beyond the timer limit as none', async () => {
    const cleared = deadline(5);
    cleared.clear();
    const huge = deadline(2 ** 40);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(cleared.signal.aborted).toBe(false);
    expect(huge.signal.aborted).toBe(false);
    huge.clear();
  });
});
