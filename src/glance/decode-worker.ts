/**
 * A decoding thread: cache listings in, checked listings out as columns (see decode-pool.ts). It runs
 * the main thread's own reading, readCacheListing, so failures read the same. Synchronous on purpose: the
 * replies must leave in the order their new IDs were numbered (cache-columns.ts).
 */
import { parentPort } from 'node:worker_threads';
import { responseOf } from '../http/client.js';
import { RequestFailure } from '../http/failure.js';
import { toColumns } from './cache-columns.js';
import { readCacheListing, type DecodeReply, type DecodeRequest } from './decode-pool.js';

const port = parentPort;
/** Every image ID sent to the main thread, by index; its copy there grows in the same order (cache-columns.ts). */
const sentIds = new Map<string, number>();
if (!port) throw new Error('decode-worker.js runs as a worker thread of glance-cache, not on its own');

port.on('message', ({ id, bytes, status }: DecodeRequest) => {
  let reply: DecodeReply;
  try {
    const columns = toColumns(readCacheListing(responseOf(status, {}, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))), sentIds);
    reply = { id, columns };
    port.postMessage(reply, [columns.ids.buffer, columns.numbers.buffer]);
    return;
  } catch (error) {
    const failure = error instanceof RequestFailure ? error : new RequestFailure('bad-response', error instanceof Error ? error.message : String(error));
    reply = { id, failure: { kind: failure.kind, message: failure.message, status: failure.status } };
  }
  port.postMessage(reply);
});
