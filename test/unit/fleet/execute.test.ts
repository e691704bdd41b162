import { describe, expect, it } from 'vitest';
import { executePlan, type ExecuteOptions } from '../../../src/fleet/execute.js';
import { RequestFailure } from '../../../src/http/failure.js';

interface Item {
  node: string;
  image: string;
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 1));
const never = () => new Promise<never>(() => {});

function options(overrides: Partial<ExecuteOptions<Item>> = {}): ExecuteOptions<Item> {
  return { fanout: 8, perNode: 2, interrupt: new AbortController().signal, timeoutMsOf: () => 10_000, now: () => 0, ...overrides };
}

const plan = (nodes: string[], perNode: number): Item[] => nodes.flatMap((node) => Array.from({ length: perNode }, (_, index) => ({ node, image: `img${index}` })));

describe('executePlan', () => {
  it('runs every action exactly once and reports in plan order, whatever order they finish in', async () => {
    const items = plan(['a', 'b', 'c'], 4);
    const ran: Item[] = [];
    const outcomes = await executePlan(
      items,
      async (item) => {
        ran.push(item);
        for (let wait = Number(item.image.slice(3)); wait < 4; wait++) await tick();
        return item.image === 'img3' ? 'already' : 'done';
      },
      options(),
    );
    expect(ran).toHaveLength(items.length);
    expect(new Set(ran).size).toBe(items.length);
    expect(outcomes.map((outcome) => outcome.action)).toEqual(items);
    expect(outcomes.map((outcome) => outcome.result)).toEqual(items.map((item) => (item.image === 'img3' ? 'already' : 'done')));
    expect(outcomes.every((outcome) => outcome.sent && outcome.error === null)).toBe(true);
  });

  it('keeps at most perNode actions in flight on one node and at most fanout nodes busy, and uses both', async () => {
    const inFlight = new Map<string, number>();
    let mostPerNode = 0;
    let mostNodes = 0;
    await executePlan(
      plan(['a', 'b', 'c', 'd', 'e'], 6),
      async (item) => {
        inFlight.set(item.node, (inFlight.get(item.node) ?? 0) + 1);
        mostPerNode = Math.max(mostPerNode, inFlight.get(item.node)!);
        mostNodes = Math.max(mostNodes, [...inFlight.values()].filter((count) => count > 0).length);
        await tick();
        inFlight.set(item.node, inFlight.get(item.node)! - 1);
        return 'done';
      },
      options({ fanout: 2, perNode: 3 }),
    );
    expect(mostPerNode).toBe(3);
    expect(mostNodes).toBe(2);
  });

  it('reports a failing action with the node\'s reason and carries on with the rest', async () => {
    const outcomes = await executePlan(
      plan(['a'], 3),
      async (item) => {
        if (item.image === 'img1') throw new RequestFailure('http', 'HTTP 500: boom', 500);
        return 'done';
      },
      options(),
    );
    expect(outcomes.map((outcome) => [outcome.result, outcome.error, outcome.errorKind])).toEqual([
      ['done', null, null],
      ['failed', 'HTTP 500: boom', 'http'],
      ['done', null, null],
    ]);
  });

  it('reports unanswered what may have reached the node, failed what cannot have', async () => {
    const failures: Record<string, RequestFailure> = {
      img0: new RequestFailure('reset', 'connection reset'),
      img1: new RequestFailure('refused', 'connection refused'),
      img2: new RequestFailure('timeout', 'timed out'),
    };
    const outcomes = await executePlan(plan(['a'], 3), async (item) => Promise.reject(failures[item.image]!), options());
    expect(outcomes.map((outcome) => [outcome.action.image, outcome.result, outcome.sent])).toEqual([
      ['img0', 'unknown', true],
      ['img1', 'failed', true],
      ['img2', 'unknown', true],
    ]);
  });

  it('on interrupt starts nothing new, lets in-flight actions finish, and marks the rest skipped and not sent', async () => {
    const controller = new AbortController();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const started: Item[] = [];
    const running = executePlan(
      plan(['a', 'b'], 3),
      async (item) => {
        started.push(item);
        await gate;
        return 'done';
      },
      options({ perNode: 1, interrupt: controller.signal }),
    );
    await tick();
    controller.abort(new Error('interrupted'));
    release();
    const outcomes = await running;
    expect(started.map((item) => `${item.node}:${item.image}`)).toEqual(['a:img0', 'b:img0']);
    expect(outcomes.map((outcome) => `${outcome.action.node}:${outcome.action.image} ${outcome.result} ${outcome.sent}`)).toEqual([
      'a:img0 done true',
      'a:img1 skipped false',
      'a:img2 skipped false',
      'b:img0 done true',
      'b:img1 skipped false',
      'b:img2 skipped false',
    ]);
    expect(outcomes.filter((outcome) => outcome.result === 'skipped').every((outcome) => outcome.error === 'not sent: interrupted')).toBe(true);
  });

  it('ends a hung node at its deadline (in flight: unknown, it may have been done; not started: failed, not sent) while the other nodes finish', async () => {
    const outcomes = await executePlan(plan(['hung', 'ok'], 3), (item) => (item.node === 'hung' ? never() : Promise.resolve('done' as const)), options({ perNode: 1, timeoutMsOf: (node) => (node === 'hung' ? 30 : 10_000) }));
    expect(outcomes.map((outcome) => `${outcome.action.node}:${outcome.action.image} ${outcome.result} ${outcome.sent} ${outcome.error}`)).toEqual([
      'hung:img0 unknown true timed out after 30ms',
      'hung:img1 failed false not sent: timed out after 30ms',
      'hung:img2 failed false not sent: timed out after 30ms',
      'ok:img0 done true null',
      'ok:img1 done true null',
      'ok:img2 done true null',
    ]);
  });

  it('keeps the deadline\'s verdict when a late answer arrives after it', async () => {
    const outcomes = await executePlan(
      [{ node: 'slow', image: 'img0' }],
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 60));
        return 'done';
      },
      options({ timeoutMsOf: () => 20 }),
    );
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(outcomes[0]).toMatchObject({ result: 'unknown', sent: true, errorKind: 'timeout' });
  });

  it('sends nothing for an empty plan', async () => {
    expect(await executePlan([], async () => 'done', options())).toEqual([]);
  });
});
