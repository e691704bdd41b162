/**
 * One authenticated call to a Glance endpoint: our headers, the run's token, and a single token renewal
 * when the node answers 401 (a token can expire mid-run, or a node may reject a cached one).
 */
import type { HttpClient, HttpMethod, HttpResponse } from '../http/client.js';
import type { Requester } from '../http/dispatcher.js';
import type { CacheDecoder } from './decode-pool.js';

/** The run's token, as a Glance call needs it: auth's Session is one. */
export interface TokenSource {
  /** null when the deployment has no Keystone. */
  token(signal?: AbortSignal): Promise<string | null>;
  /** After a 401: a replacement for the refused token. */
  renew(refused: string | null, signal?: AbortSignal): Promise<string | null>;
}

export interface GlanceDeps {
  http: HttpClient;
  session: TokenSource;
  /** The keep-alive pool for this node's TLS profile; the HTTP client's default otherwise. */
  dispatcher?: Requester | undefined;
  /** How a cache listing is parsed and checked: on this thread unless a decoding pool is given. */
  decodeCache?: CacheDecoder | undefined;
  /** The run's secret scrubber: what a node sent passes it before any of it is cut short (see cappedText). */
  scrub: (text: string) => string;
}

export interface GlanceCall {
  method: HttpMethod;
  /** Appended to the base URL: "/v2/cache", "/v2/images?id=in:...". */
  path: string;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
}

export type GlanceRequester = (call: GlanceCall) => Promise<HttpResponse>;

/** Reads are retried on transient failures; writes never are (the client only retries GETs anyway). */
const GET_RETRIES = 2;

export function createGlanceRequester(baseUrl: string, deps: GlanceDeps): GlanceRequester {
  const base = baseUrl.replace(/\/+$/, '');
  return async ({ method, path, headers, signal }) => {
    const send = (token: string | null) =>
      deps.http.send({
        method,
        url: `${base}${path}`,
        // Without it Glance answers errors as HTML pages instead of {"message","code","title"}.
        headers: { accept: 'application/json', ...headers, ...(token === null ? {} : { 'x-auth-token': token }) },
        signal,
        retries: GET_RETRIES,
        dispatcher: deps.dispatcher,
      });
    const token = await deps.session.token(signal);
    const response = await send(token);
    if (response.status !== 401) return response;
    return send(await deps.session.renew(token, signal));
  };
}
