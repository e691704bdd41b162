/**
 * The decoding threads of a large listing, with the worker as built (dist/decode-worker.js): the same
 * answers and the same failures as decoding in place.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildDist } from '../../helpers/build.js';
import { responseOf } from '../../../src/http/client.js';
import { RequestFailure } from '../../../src/http/failure.js';
import { createDecodePool, decodeHere, type DecodePool } from '../../../src/glance/decode-pool.js';
import { IDS } from './support.js';

const script = new URL('../../../dist/decode-worker.js', import.meta.url);
const entry = (image_id: string, hits = 1) => ({ image_id, hits, last_accessed: 1_700_000_100.25, last_modified: 0, size: 13_267_968 });
const body = (document: unknown) => responseOf(200, {}, JSON.stringify(document));

async function failureOf(promise: Promise<unknown>): Promise<RequestFailure> {
  const error = await promise.then(() => undefined, (reason: unknown) => reason);
  expect(error).toBeInstanceOf(RequestFailure);
  return error as RequestFailure;
}

let pool: DecodePool | undefined;
beforeAll(buildDist);
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('decode pool', () => {
  it('answers what decoding in place answers, for listings that share images', async () => {
    pool = createDecodePool({ script, threads: 2, minBytes: 0 });
    const responses = [
      body({ cached_images: [entry(IDS.a), entry(IDS.b, 4)], queued_images: [IDS.c] }),
      body({ cached_images: [entry(IDS.b, 2), entry(IDS.c), entry(IDS.a, 0)], queued_images: [] }),
      body({ cached_images: [], queued_images: [IDS.a, IDS.a] }),
      body({ cached_images: [entry(IDS.c), entry(IDS.c, 9)], queued_images: [] }),
    ];
    const decoded = await Promise.all([...responses, ...responses].map((response) => pool!.decode(response)));
    const expected = await Promise.all([...responses, ...responses].map((response) => decodeHere(response)));
    expect(decoded).toEqual(expected);
    expect(decoded[1]!.cached.map((image) => image.hits)).toEqual([2, 1, 0]);
  });

  it('fails as decoding in place fails: the field, HTML, a cut body, an error status', async () => {
    pool = createDecodePool({ script, threads: 1, minBytes: 0 });
    const cases = [
      body({ cached_images: [entry(IDS.a), { ...entry(IDS.b), size: '12' }], queued_images: [] }),
      responseOf(200, {}, '<html><title>502 Bad Gateway</title></html>'),
      responseOf(200, {}, JSON.stringify({ cached_images: [entry(IDS.a)], queued_images: [] }).slice(0, 60)),
      responseOf(403, {}, '{"message": "Access was denied to this resource."}'),
    ];
    for (const response of cases) {
      const [there, here] = await Promise.all([failureOf(pool.decode(response)), failureOf(decodeHere(response))]);
      expect({ kind: there.kind, message: there.message, status: there.status }).toEqual({ kind: here.kind, message: here.message, status: here.status });
    }
  });

  it('starts no thread while every answer is smaller than minBytes', async () => {
    const debug: string[] = [];
    pool = createDecodePool({ script, threads: 1, minBytes: 1 << 20, debug: (line) => debug.push(line) });
    const response = body({ cached_images: [entry(IDS.a)], queued_images: [] });
    expect(await pool.decode(response)).toEqual(await decodeHere(response));
    expect(debug).toEqual([]);
  });

  it('decodes everything in place when the thread cannot start', async () => {
    const debug: string[] = [];
    pool = createDecodePool({ script: new URL('./no-such-worker.js', script), threads: 1, minBytes: 0, debug: (line) => debug.push(line) });
    const response = body({ cached_images: [entry(IDS.a)], queued_images: [] });
    expect(await pool.decode(response)).toEqual(await decodeHere(response));
    expect(await pool.decode(response)).toEqual(await decodeHere(response));
    expect(debug).toEqual(['decoding large cache listings on 1 thread', expect.stringMatching(/^decoding thread failed: .*; decoding every listing here instead$/)]);
  });

  it('rejects what is still pending when closed, as an interruption', async () => {
    pool = createDecodePool({ script, threads: 1, minBytes: 0 });
    const big = body({ cached_images: Array.from({ length: 5000 }, (_, i) => entry(`${IDS.a.slice(0, -4)}${String(i).padStart(4, '0')}`)), queued_images: [] });
    const pending = failureOf(pool.decode(big));
    await pool.close();
    expect((await pending).kind).toBe('aborted');
  });
});
