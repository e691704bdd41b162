/**
 * The single door to the network. Every peer call (Glance nodes, Keystone) goes through send(), which
 * turns transport errors into RequestFailure, caps response size, never follows redirects (a token must
 * not travel to another host) and logs each call for --debug with secrets redacted.
 */
import { isAscii } from 'node:buffer';
import type { Readable } from 'node:stream';
import type { FailureKind } from '../core/model.js';
import { RequestFailure } from './failure.js';
import { deadline, DeadlineExceeded } from './deadline.js';
import { formatDuration } from '../core/units.js';
import type { Requester } from './dispatcher.js';
import { redactUrl } from './redact.js';

export type HttpMethod = 'GET' | 'PUT' | 'DELETE' | 'POST' | 'HEAD';

export interface HttpRequest {
  method: HttpMethod;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Aborts the call: a TimeoutError reason reads as a timeout, anything else as an interruption. */
  signal?: AbortSignal;
  /** Extra attempts for transient failures; only honoured for GET, the one idempotent read. */
  retries?: number;
  /** The pool for this peer's TLS/connect profile; the client's default otherwise. */
  dispatcher?: Requester | undefined;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as received. */
  bytes: Buffer;
  /** The body decoded, on first read: a listing handed to a decoding thread is never decoded here. */
  readonly text: string;
}

export function responseOf(status: number, headers: HttpResponse['headers'], body: Buffer | string): HttpResponse {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  let text: string | undefined = typeof body === 'string' ? body : undefined;
  return {
    status,
    headers,
    bytes,
    get text() {
      return (text ??= decodeBody(bytes));
    },
  };
}

/** Latin-1 when every byte is ASCII: the same text, copied instead of UTF-8-decoded (150 MB for 1000 nodes). */
function decodeBody(bytes: Buffer): string {
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

export interface HttpClient {
  send(request: HttpRequest): Promise<HttpResponse>;
}

export interface HttpClientDeps {
  /** Keep-alive connections (a DispatcherPool's) in production, an undici MockAgent in tests. */
  dispatcher: Requester;
  /**
   * The longest one call may take, from sending it to its last body byte, retries included: the run's
   * --timeout. A total, not an idle timeout, so a peer dripping a byte now and then cannot hold a call
   * open; a call's own signal (its node's deadline, Ctrl-C) may end it sooner.
   */
  timeoutMs: number;
  debug: (line: string) => void;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Largest response body accepted, in bytes. */
  maxBodyBytes: number;
  userAgent: string;
}

const TRANSIENT_STATUS = new Set([502, 503, 504]);
const TRANSIENT_KINDS = new Set<FailureKind>(['reset', 'refused']);
const BACKOFF_BASE_MS = 100;

export function createHttpClient(deps: HttpClientDeps): HttpClient {
  async function attempt(request: HttpRequest): Promise<HttpResponse> {
    const started = deps.now();
    const target = redactUrl(request.url);
    const dispatcher = request.dispatcher ?? deps.dispatcher;
    try {
      const response = await dispatcher.request({
        ...splitUrl(request.url),
        method: request.method,
        headers: { 'user-agent': deps.userAgent, ...request.headers },
        body: request.body,
        signal: request.signal,
      });
      const bytes = await readCapped(response.body, deps.maxBodyBytes, target);
      deps.debug(`${request.method} ${target} -> ${response.statusCode} (${Math.round(deps.now() - started)} ms, ${bytes.length} B)`);
      if (response.statusCode >= 300 && response.statusCode < 400 && response.statusCode !== 300) {
        const location = headerValue(response.headers, 'location');
        throw new RequestFailure('redirect', `answered ${response.statusCode} redirect to ${location ? redactUrl(location) : '(no location)'}; redirects are not followed`, response.statusCode);
      }
      return responseOf(response.statusCode, response.headers, bytes);
    } catch (error) {
      const failure = toFailure(error, request.signal, dispatcher.connectTimeoutMs);
      if (!(error instanceof RequestFailure)) {
        deps.debug(`${request.method} ${target} -> ${failure.kind} (${Math.round(deps.now() - started)} ms): ${failure.message}`);
      }
      throw failure;
    }
  }

  return {
    async send(given) {
      const limit = deadline(deps.timeoutMs, given.signal);
      const request = { ...given, signal: limit.signal };
      try {
        return await sendWithin(request);
      } finally {
        limit.clear();
      }
    },
  };

  async function sendWithin(request: HttpRequest): Promise<HttpResponse> {
    const retries = request.method === 'GET' ? (request.retries ?? 0) : 0;
    for (let tried = 0; ; tried++) {
      try {
        const response = await attempt(request);
        if (tried < retries && TRANSIENT_STATUS.has(response.status)) {
          await backoff(tried, request.signal);
          continue;
        }
        return response;
      } catch (error) {
        if (tried < retries && error instanceof RequestFailure && TRANSIENT_KINDS.has(error.kind)) {
          await backoff(tried, request.signal);
          continue;
        }
        throw error;
      }
    }
  }

  async function backoff(tried: number, signal: AbortSignal | undefined): Promise<void> {
    const jitter = 0.5 + Math.random() / 2;
    try {
      await deps.sleep(BACKOFF_BASE_MS * 2 ** tried * jitter, signal);
    } catch (error) {
      throw toFailure(error, signal);
    }
  }
}

function splitUrl(url: string): { origin: string; path: string } {
  const parsed = new URL(url);
  return { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
}

export function headerValue(headers: HttpResponse['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The body, refused past maxBytes. Read through 'data' events rather than an async iterator: a 1000-node
 * listing reads 150 MB, and the iterator's per-chunk promises showed up in its profile.
 */
function readCapped(body: Readable, maxBytes: number, target: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        body.destroy();
        reject(new RequestFailure('too-large', `response from ${target} is larger than ${maxBytes} bytes; refused`));
        return;
      }
      chunks.push(chunk);
    });
    body.on('error', reject);
    body.on('end', () => {
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
  });
}

const CODE_KINDS: Record<string, FailureKind> = {
  ECONNREFUSED: 'refused',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_NODATA: 'dns',
  EAI_NONAME: 'dns',
  UND_ERR_CONNECT_TIMEOUT: 'connect-timeout',
  ETIMEDOUT: 'connect-timeout',
  ECONNRESET: 'reset',
  EPIPE: 'reset',
  UND_ERR_SOCKET: 'reset',
  UND_ERR_CLOSED: 'reset',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  EHOSTUNREACH: 'refused',
  ENETUNREACH: 'refused',
  EMFILE: 'local',
  ENFILE: 'local',
};

const KIND_TEXT: Record<FailureKind, string> = {
  refused: 'connection refused',
  dns: 'cannot resolve host',
  'connect-timeout': 'connect timed out',
  timeout: 'timed out',
  reset: 'connection reset',
  tls: 'TLS error',
  redirect: 'redirected',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  'not-found': 'not found',
  http: 'HTTP error',
  'bad-response': 'bad response',
  'too-large': 'response too large',
  aborted: 'interrupted',
  unsupported: 'unsupported',
  local: 'too many open files here (ulimit -n)',
};

/**
 * Maps whatever undici or Node threw to one RequestFailure with a short, human cause. A timeout says how
 * long was waited when that is known: a deadline's reason carries it, and connectTimeoutMs is the
 * dispatcher's own limit for undici's connect timeout.
 */
export function toFailure(error: unknown, signal?: AbortSignal, connectTimeoutMs?: number): RequestFailure {
  if (error instanceof RequestFailure) return error;
  if (signal?.aborted) {
    const reason = signal.reason as { name?: string } | undefined;
    if (reason instanceof DeadlineExceeded) return new RequestFailure('timeout', reason.message);
    return reason?.name === 'TimeoutError' ? new RequestFailure('timeout', KIND_TEXT.timeout) : new RequestFailure('aborted', 'interrupted');
  }
  const codes = errorCodes(error);
  for (const code of codes) {
    if (code === 'UND_ERR_CONNECT_TIMEOUT' && connectTimeoutMs !== undefined) {
      return new RequestFailure('connect-timeout', `${KIND_TEXT['connect-timeout']} after ${formatDuration(connectTimeoutMs)}`);
    }
    const kind = CODE_KINDS[code];
    if (kind) return new RequestFailure(kind, KIND_TEXT[kind]);
    if (/^(ERR_TLS|ERR_SSL|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_OSSL)/.test(code)) {
      return new RequestFailure('tls', `TLS error: ${code}`);
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  if (/other side closed|socket hang up/i.test(message)) return new RequestFailure('reset', KIND_TEXT.reset);
  return new RequestFailure('bad-response', message.split('\n')[0] ?? 'request failed');
}

function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const { code, errors } = current as { code?: unknown; errors?: unknown };
    if (typeof code === 'string') codes.push(code);
    if (Array.isArray(errors)) codes.push(...errors.flatMap(errorCodes));
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}
