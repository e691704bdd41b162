/**
 * A decoding thread: cache listings in, checked listings out as columns (see decode-pool.ts). It does
 * exactly what the main thread would (parse-json, then parseNodeCache), so failures read the same.
 */
import { parentPort } from 'node:worker_threads';
import { decodeBody } from '../http/client.js';
import { RequestFailure } from '../http/failure.js';
import { parseJsonBody } from '../http/json.js';
import { toColumns } from './cache-columns.js';
import type { DecodeReply, DecodeRequest } from './decode-pool.js';
import { parseNodeCache } from './parse.js';

const port = parentPort;
/** Every image ID sent to the main thread, by index; its copy there grows in the same order (cache-columns.ts). */
const sentIds = new Map<string, number>();
if (!port) throw new Error('decode-worker.js runs as a worker thread of glance-cache, not on its own');

port.on('message', ({ id, bytes, status }: DecodeRequest) => {
  let reply: DecodeReply;
  try {
    const columns = toColumns(parseNodeCache(parseJsonBody(decodeBody(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)), status)), sentIds);
    reply = { id, columns };
    port.postMessage(reply, [columns.ids.buffer, columns.numbers.buffer]);
    return;
  } catch (error) {
    const failure = error instanceof RequestFailure ? error : new RequestFailure('bad-response', error instanceof Error ? error.message : String(error));
    reply = { id, failure: { kind: failure.kind, message: failure.message, status: failure.status } };
  }
  port.postMessage(reply);
});
