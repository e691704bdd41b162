/** Credentials once flags, OS_* environment, clouds.yaml and the inventory are merged (flag > env > file). */
export type Credentials =
  | { type: 'none' }
  | { type: 'token'; token: string; authUrl?: string | undefined; common: CommonAuth }
  | {
      type: 'password';
      authUrl: string;
      username?: string | undefined;
      userId?: string | undefined;
      password: string;
      userDomainName?: string | undefined;
      userDomainId?: string | undefined;
      projectName?: string | undefined;
      projectId?: string | undefined;
      projectDomainName?: string | undefined;
      projectDomainId?: string | undefined;
      systemScope?: string | undefined;
      common: CommonAuth;
    }
  | {
      type: 'v3applicationcredential';
      authUrl: string;
      id?: string | undefined;
      name?: string | undefined;
      /** A credential given by name belongs to a user, named by ID or by name and domain. */
      userId?: string | undefined;
      username?: string | undefined;
      userDomainName?: string | undefined;
      userDomainId?: string | undefined;
      secret: string;
      common: CommonAuth;
    };

/** One identifying value and the setting it came from, for -v: `user "admin"` from `OS_USERNAME`. */
export interface AuthFact {
  what: string;
  /** Absent for a secret: only its source is ever named. */
  value?: string | undefined;
  /** "--os-username", "OS_USERNAME", "/etc/openstack/clouds.yaml:4: clouds.prod.auth.username", "built-in default". */
  from: string;
}

export interface CommonAuth {
  /** In the order -v prints them; resolveCredentials always sets them, credentials built by hand need not. */
  facts?: readonly AuthFact[] | undefined;
  regionName?: string | undefined;
  /** public, internal or admin: which catalog endpoint to use for the images API. */
  interface: string;
  cacert?: string | undefined;
  /** Keystone's TLS verification off; the nodes' is --insecure's (cli/factory.ts). */
  insecure?: boolean | undefined;
  /** The setting that gave `insecure`, for its warning: "--os-insecure", "OS_INSECURE", "clouds.yaml:7: clouds.prod.verify". */
  insecureFrom?: string | undefined;
  /** Where the credentials came from, for messages: "clouds.yaml cloud 'prod' (/etc/openstack/clouds.yaml)". */
  origin: string;
}

/** One token per run, shared by every node (docs/architecture.md, "Authentication"). */
export interface Session {
  /** The current token, fetching it once on first use; null for noauth. Concurrent callers share one fetch. */
  token(signal?: AbortSignal): Promise<string | null>;
  /**
   * Called after a 401 with the token that was refused: fetches a new one once per run and returns it;
   * callers that got 401 with an already replaced token get the replacement without a second fetch.
   * Throws AuthError when re-authentication is impossible (a fixed OS_AUTH_TOKEN) or already used.
   */
  renew(refused: string | null, signal?: AbortSignal): Promise<string | null>;
  /** The image endpoint from the token's catalog, when Keystone gave one. */
  imageEndpoint(): string | undefined;
}
