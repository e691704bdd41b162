import { describe, expect, it } from 'vitest';
import { awaitCached, type CacheWait } from '../../../src/fleet/await-cached.js';
import type { NodeClient } from '../../../src/glance/node-client.js';
import type { NodeCache } from '../../../src/core/model.js';
import { RequestFailure } from '../../../src/http/failure.js';

const API = { flavor: 'cache' as const, version: 'v2.16', serverSidePrune: false };

/** A node whose successive listings are scripted; the last one repeats. */
function scripted(answers: (NodeCache | Error)[]): { client: NodeClient; polls: () => number } {
  let polls = 0;
  const client = {
    async listCache() {
      const answer = answers[Math.min(polls++, answers.length - 1)]!;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as NodeClient;
  return { client, polls: () => polls };
}

const cached = (...ids: string[]): NodeCache => ({ cached: ids.map((id) => ({ id, hits: 0, lastAccessed: null, lastModified: null, size: 1 })), queued: [] });
const queued = (...ids: string[]): NodeCache => ({ cached: [], queued: ids });
const wait = (node: string, client: NodeClient, images: string[]): CacheWait => ({ node, client, api: API, callTimeoutMs: 1_000, images });
const options = (timeoutMs: number) => ({ timeoutMs, fanout: 4, signal: new AbortController().signal, now: Date.now });

describe('awaitCached', () => {
  it('polls each node until its images are cached', async () => {
    const slow = scripted([queued('a', 'b'), { cached: cached('a').cached, queued: ['b'] }, cached('a', 'b')]);
    const fast = scripted([cached('a')]);
    const states = await awaitCached([wait('slow', slow.client, ['a', 'b']), wait('fast', fast.client, ['a'])], options(10_000));
    expect(states.map((state) => [state.node, [...state.cached].sort(), state.error])).toEqual([
      ['slow', ['a', 'b'], null],
      ['fast', ['a'], null],
    ]);
    expect(slow.polls()).toBe(3);
    expect(fast.polls()).toBe(1);
  });

  it('keeps what it saw when the deadline passes: cached so far, and what was still queued', async () => {
    const node = scripted([{ cached: cached('a').cached, queued: ['b'] }]);
    const [state] = await awaitCached([wait('n', node.client, ['a', 'b', 'c'])], options(300));
    expect([...state!.cached]).toEqual(['a']);
    expect([...state!.queued]).toEqual(['b']);
  });

  it('retries a failed poll and reports the last failure while it lasts', async () => {
    const node = scripted([new RequestFailure('refused', 'connection refused'), cached('a')]);
    const progress: (string | null)[] = [];
    const states = await awaitCached([wait('n', node.client, ['a'])], { ...options(10_000), onProgress: (current) => progress.push(current[0]!.error) });
    expect(progress).toEqual(['connection refused', null]);
    expect([...states[0]!.cached]).toEqual(['a']);
  });
});
