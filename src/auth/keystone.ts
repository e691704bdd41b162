/**
 * Keystone v3: issuing a token for a password or an application credential, and finding the image
 * endpoint in its catalog. The request body holds the secret: it is sent, never logged or echoed.
 */
import type { Dispatcher } from 'undici';
import { AuthError, InterruptedError } from '../errors.js';
import { headerValue, type HttpClient } from '../http/client.js';
import type { FailureKind } from '../core/model.js';
import { RequestFailure } from '../http/failure.js';
import { expectJson } from '../http/json.js';
import { redactUrl, scrubErrorBodies, SecretScrubber } from '../http/redact.js';
import type { Credentials } from './types.js';

export type IssuingCredentials = Extract<Credentials, { type: 'password' | 'v3applicationcredential' }>;

export interface CatalogEndpoint {
  interface: string;
  region?: string | undefined;
  url: string;
}

export interface CatalogService {
  type: string;
  endpoints: CatalogEndpoint[];
}

export interface IssuedToken {
  token: string;
  expiresAt?: string | undefined;
  catalog: CatalogService[];
}

export interface IssueOptions {
  signal?: AbortSignal | undefined;
  /** The pool honouring the credentials' cacert/insecure. */
  dispatcher?: Dispatcher | undefined;
  /** The run's scrubber; the secret is added to it before the request goes out. */
  scrubber?: SecretScrubber | undefined;
}

/** The version segment ending an auth URL ("v3", "v2.0"), if any. */
export function identityVersion(authUrl: string): string | undefined {
  const last = new URL(authUrl).pathname.replace(/\/+$/, '').split('/').pop() ?? '';
  return /^v\d+(\.\d+)?$/.test(last) ? last : undefined;
}

/** Operators write auth URLs with and without `/v3`; both mean the v3 API. */
export function tokensUrl(authUrl: string): string {
  const base = authUrl.replace(/\/+$/, '');
  return `${identityVersion(authUrl) ? base : `${base}/v3`}/auth/tokens`;
}

const UNREACHABLE = new Set<FailureKind>(['refused', 'dns', 'connect-timeout', 'timeout', 'reset', 'tls']);

export async function issueToken(creds: IssuingCredentials, http: HttpClient, options: IssueOptions = {}): Promise<IssuedToken> {
  const shown = redactUrl(creds.authUrl);
  const from = `${describeIdentity(creds)}, from ${creds.common.origin}`;
  // Keystone's validation messages may quote the submitted values: its error answers come back scrubbed.
  const scrubber = options.scrubber ?? new SecretScrubber();
  scrubber.add(...secretOf(creds));

  let body: unknown;
  let token: string | undefined;
  try {
    const response = await scrubErrorBodies(http, scrubber).send({
      method: 'POST',
      url: tokensUrl(creds.authUrl),
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(requestBody(creds)),
      signal: options.signal,
      dispatcher: options.dispatcher,
    });
    body = expectJson(response, [200, 201]);
    token = headerValue(response.headers, 'x-subject-token');
  } catch (error) {
    if (!(error instanceof RequestFailure)) throw error;
    if (error.kind === 'aborted') throw new InterruptedError();
    if (error.kind === 'unauthorized') throw new AuthError(`Keystone ${shown} refused the credentials (${from})`);
    if (UNREACHABLE.has(error.kind)) throw new AuthError(`cannot reach Keystone ${shown}: ${error.message} (${from})`);
    throw new AuthError(`Keystone ${shown}: ${error.message} (${from})`);
  }
  if (!token) throw new AuthError(`Keystone ${shown} issued no token: its answer lacks the X-Subject-Token header (${from})`);
  const issued = isRecord(body) && isRecord(body.token) ? body.token : {};
  return {
    token,
    expiresAt: typeof issued.expires_at === 'string' ? issued.expires_at : undefined,
    catalog: catalogFrom(issued.catalog),
  };
}

/** The secret sent to Keystone, and how a warning names it. */
export function secretOf(creds: IssuingCredentials): [string, string] {
  return creds.type === 'password' ? [creds.password, `the password from ${creds.common.origin}`] : [creds.secret, `the application credential secret from ${creds.common.origin}`];
}

/** The image service's URL for this interface (and region, when set), without a trailing slash. */
export function imageEndpointFrom(catalog: CatalogService[], iface: string, region?: string): string | undefined {
  for (const service of catalog) {
    if (service.type !== 'image') continue;
    const endpoint = service.endpoints.find((e) => e.interface === iface && (!region || e.region === region));
    if (endpoint) return endpoint.url.replace(/\/+$/, '');
  }
  return undefined;
}

/** Who is authenticating, for messages; names and IDs only, never a secret. */
export function describeIdentity(creds: IssuingCredentials): string {
  const user = creds.userId ? `user ${creds.userId}` : creds.username ? `user "${creds.username}"` : undefined;
  if (creds.type === 'password') return user ?? 'unknown user';
  const credential = creds.id ? `application credential ${creds.id}` : `application credential "${creds.name ?? ''}"`;
  return creds.id || !user ? credential : `${credential} of ${user}`;
}

type DomainRef = { id: string } | { name: string } | undefined;

function domainRef(id: string | undefined, name: string | undefined): DomainRef {
  if (id) return { id };
  return name ? { name } : undefined;
}

function userRef(userId: string | undefined, username: string | undefined, domain: DomainRef): Record<string, unknown> {
  return userId ? { id: userId } : { name: username, ...(domain ? { domain } : {}) };
}

function requestBody(creds: IssuingCredentials): unknown {
  if (creds.type === 'v3applicationcredential') {
    const credential = creds.id
      ? { id: creds.id, secret: creds.secret }
      : { name: creds.name, secret: creds.secret, user: userRef(creds.userId, creds.username, domainRef(creds.userDomainId, creds.userDomainName)) };
    // An application credential carries its own scope: Keystone rejects one in the request.
    return { auth: { identity: { methods: ['application_credential'], application_credential: credential } } };
  }
  const user = { ...userRef(creds.userId, creds.username, domainRef(creds.userDomainId, creds.userDomainName)), password: creds.password };
  const scope = creds.projectId
    ? { project: { id: creds.projectId } }
    : creds.projectName
      ? { project: { name: creds.projectName, domain: domainRef(creds.projectDomainId, creds.projectDomainName) } }
      : creds.systemScope
        ? { system: { all: true } }
        : undefined;
  return { auth: { identity: { methods: ['password'], password: { user } }, ...(scope ? { scope } : {}) } };
}

function catalogFrom(raw: unknown): CatalogService[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isRecord).map((service) => ({
    type: String(service.type ?? ''),
    endpoints: (Array.isArray(service.endpoints) ? service.endpoints : []).filter(isRecord).flatMap((endpoint) =>
      typeof endpoint.url === 'string'
        ? [{ interface: String(endpoint.interface ?? ''), region: stringOr(endpoint.region_id) ?? stringOr(endpoint.region), url: endpoint.url }]
        : [],
    ),
  }));
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
