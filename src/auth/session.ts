/**
 * One token per run, shared by every node (docs/architecture.md, "Authentication"): fetched once on first use, renewed at most
 * once after a 401, and every secret registered with the scrubber before anything can print it.
 */
import type { Dispatcher } from 'undici';
import { AuthError } from '../errors.js';
import { toFailure, type HttpClient } from '../http/client.js';
import { deadline, DeadlineExceeded } from '../http/deadline.js';
import { formatDuration } from '../core/units.js';
import { redactUrl, type SecretScrubber } from '../http/redact.js';
import { describeIdentity, imageEndpointFrom, issueToken, secretOf, type IssuedToken, type IssuingCredentials } from './keystone.js';
import type { Credentials, Session } from './types.js';

export interface SessionDeps {
  http: HttpClient;
  scrubber: SecretScrubber;
  /** Budget for one Keystone request; DEFAULT_KEYSTONE_TIMEOUT_MS when unset. */
  timeoutMs?: number | undefined;
  /** The whole run's interruption; a single caller's signal only stops that caller's wait. */
  signal?: AbortSignal | undefined;
  /** The pool honouring the credentials' cacert/insecure. */
  dispatcher?: Dispatcher | undefined;
}

/** Long enough for a Keystone hashing passwords slowly, short enough that a cron job notices a hang. */
export const DEFAULT_KEYSTONE_TIMEOUT_MS = 30_000;

export function createSession(creds: Credentials, deps: SessionDeps): Session {
  switch (creds.type) {
    case 'none':
      return {
        token: async () => null,
        renew: async () => {
          throw new AuthError('a node asked for a token but authentication is off (--no-auth or auth type none); configure credentials');
        },
        imageEndpoint: () => undefined,
      };
    case 'token':
      deps.scrubber.add(creds.token, `the token from ${creds.common.origin}`);
      return {
        token: async () => creds.token,
        renew: async () => {
          throw new AuthError(`the token was refused (expired?); the token from ${creds.common.origin} cannot be renewed: get a new one, or use a password or application credential`);
        },
        imageEndpoint: () => undefined,
      };
    default:
      return keystoneSession(creds, deps);
  }
}

function keystoneSession(creds: IssuingCredentials, deps: SessionDeps): Session {
  deps.scrubber.add(...secretOf(creds));
  let current: Promise<IssuedToken> | undefined;
  let latest: IssuedToken | undefined;
  let renewed = false;
  // A caller whose deadline passes while Keystone is still thinking never reached its node: say whose fault it is.
  const slow = (reason: unknown) => {
    const waited = reason instanceof DeadlineExceeded ? `${formatDuration(reason.ms)} ` : '';
    return new AuthError(`cannot reach Keystone ${redactUrl(creds.authUrl)}: no token before the node's ${waited}timeout (${describeIdentity(creds)}, from ${creds.common.origin})`);
  };

  function issue(): Promise<IssuedToken> {
    const { signal, clear } = deadline(deps.timeoutMs ?? DEFAULT_KEYSTONE_TIMEOUT_MS, deps.signal);
    // A failure is kept too: every node waiting on Keystone gets the same answer, and Keystone one request.
    return issueToken(creds, deps.http, { signal, dispatcher: deps.dispatcher, scrubber: deps.scrubber })
      .then((issued) => {
        deps.scrubber.add(issued.token, `the token Keystone ${redactUrl(creds.authUrl)} issued`);
        latest = issued;
        return issued;
      })
      .finally(clear);
  }

  return {
    async token(signal) {
      current ??= issue();
      return (await within(current, signal, slow)).token;
    },
    async renew(refused, signal) {
      const seen = (current ??= issue());
      const issued = await within(seen, signal, slow);
      // Another caller renewed while we waited, or our token was already replaced: use the newer one.
      if (current !== seen) return (await within(current, signal, slow)).token;
      if (issued.token !== refused) return issued.token;
      if (renewed) throw new AuthError(`token refused after re-authentication with Keystone ${redactUrl(creds.authUrl)} (${creds.common.origin})`);
      renewed = true;
      current = issue();
      return (await within(current, signal, slow)).token;
    },
    imageEndpoint: () => (latest ? imageEndpointFrom(latest.catalog, creds.common.interface, creds.common.regionName) : undefined),
  };
}

/** Waits for a shared promise, giving up when this caller's own signal aborts; `timedOut` says why on a deadline. */
function within<T>(promise: Promise<T>, signal: AbortSignal | undefined, timedOut: (reason: unknown) => Error): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => {
      const failure = toFailure(signal.reason, signal);
      reject(failure.kind === 'timeout' ? timedOut(signal.reason) : failure);
    };
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
