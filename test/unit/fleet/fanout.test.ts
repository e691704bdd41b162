import { describe, expect, it } from 'vitest';
import { fanOut, type FanoutOptions, type NodeOutcome } from '../../../src/fleet/fanout.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));
const never = () => new Promise<never>(() => {});

function options(overrides: Partial<FanoutOptions<string>> = {}): FanoutOptions<string> {
  return { concurrency: 4, signal: new AbortController().signal, timeoutMsOf: () => 10_000, now: () => 0, ...overrides };
}

const kinds = (outcomes: NodeOutcome<string, unknown>[]) => outcomes.map((outcome) => (outcome.ok ? 'ok' : outcome.failure.kind));

describe('fanOut', () => {
  it('never runs more than `concurrency` tasks at once, and does use that many', async () => {
    let inFlight = 0;
    let most = 0;
    const nodes = Array.from({ length: 12 }, (_, index) => `glance${index}`);
    await fanOut(
      nodes,
      async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        await tick();
        await tick();
        inFlight--;
      },
      options({ concurrency: 3 }),
    );
    expect(most).toBe(3);
    expect(inFlight).toBe(0);
  });

  it('gives one outcome per node, in input order, whatever order they finish in', async () => {
    const nodes = ['a', 'b', 'c', 'd'];
    const settled: string[] = [];
    const outcomes = await fanOut(
      nodes,
      async (node) => {
        for (let wait = nodes.length - nodes.indexOf(node); wait > 0; wait--) await tick();
        return node.toUpperCase();
      },
      options({ onSettled: (outcome) => settled.push(outcome.node) }),
    );
    expect(outcomes.map((outcome) => outcome.node)).toEqual(nodes);
    expect(outcomes.map((outcome) => (outcome.ok ? outcome.value : null))).toEqual(['A', 'B', 'C', 'D']);
    expect(settled).toEqual(['d', 'c', 'b', 'a']);
  });

  it('measures each node with the injected clock', async () => {
    let clock = 0;
    const outcomes = await fanOut(['a', 'b'], async () => 'x', options({ concurrency: 1, now: () => (clock += 10) }));
    expect(outcomes.map((outcome) => outcome.ms)).toEqual([10, 10]);
  });

  it('reports a node that never answers (and ignores its signal) as a timeout at its own deadline, while the others finish', async () => {
    const outcomes = await fanOut(['hung', 'b', 'c'], (node) => (node === 'hung' ? never() : Promise.resolve(node)), options({ concurrency: 1, timeoutMsOf: (node) => (node === 'hung' ? 50 : 10_000) }));
    expect(kinds(outcomes)).toEqual(['timeout', 'ok', 'ok']);
    expect(outcomes[0]).toMatchObject({ node: 'hung', ok: false });
  });

  it('hands each task a signal that fires at the node’s deadline', async () => {
    let reason: unknown;
    const outcomes = await fanOut(
      ['slow'],
      (_node, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject((reason = signal.reason)))),
      options({ timeoutMsOf: () => 50 }),
    );
    expect((reason as Error).name).toBe('TimeoutError');
    expect(kinds(outcomes)).toEqual(['timeout']);
  });

  it('reports in-flight and not-started nodes as aborted when the run is interrupted', async () => {
    const run = new AbortController();
    const started: string[] = [];
    const outcomes = await fanOut(
      ['a', 'b', 'c', 'd', 'e'],
      (node) => {
        started.push(node);
        if (started.length === 2) queueMicrotask(() => run.abort());
        return never();
      },
      options({ concurrency: 2, signal: run.signal }),
    );
    expect(started).toEqual(['a', 'b']);
    expect(kinds(outcomes)).toEqual(['aborted', 'aborted', 'aborted', 'aborted', 'aborted']);
  });

  it('keeps finished results when the run is interrupted', async () => {
    const run = new AbortController();
    const outcomes = await fanOut(
      ['done', 'hung', 'later'],
      (node) => {
        if (node === 'done') return Promise.resolve(1);
        queueMicrotask(() => run.abort());
        return never();
      },
      options({ concurrency: 1, signal: run.signal }),
    );
    expect(kinds(outcomes)).toEqual(['ok', 'aborted', 'aborted']);
  });

  it('starts nothing when the run is already interrupted', async () => {
    const run = new AbortController();
    run.abort();
    let calls = 0;
    const outcomes = await fanOut(['a', 'b'], async () => calls++, options({ signal: run.signal }));
    expect(calls).toBe(0);
    expect(kinds(outcomes)).toEqual(['aborted', 'aborted']);
  });

  it('turns a throwing or rejecting task into that node’s failure, never a rejection', async () => {
    const outcomes = await fanOut(
      ['sync', 'async', 'refused', 'fine'],
      (node) => {
        if (node === 'sync') throw new Error('boom');
        if (node === 'async') return Promise.reject(new Error('bad answer'));
        if (node === 'refused') return Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
        return Promise.resolve('ok');
      },
      options(),
    );
    expect(kinds(outcomes)).toEqual(['bad-response', 'bad-response', 'refused', 'ok']);
    expect(outcomes[0]?.ok === false && outcomes[0].failure.message).toBe('boom');
  });

  it('accepts deadlines beyond a timer’s range or with fractions', async () => {
    const outcomes = await fanOut(['a', 'b'], async (node) => node, options({ timeoutMsOf: (node) => (node === 'a' ? 60 * 86_400_000 : 1500.5) }));
    expect(kinds(outcomes)).toEqual(['ok', 'ok']);
  });

  it('returns nothing for no nodes', async () => {
    let calls = 0;
    expect(await fanOut([], async () => calls++, options())).toEqual([]);
    expect(calls).toBe(0);
  });
});
