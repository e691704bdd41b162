/**
 * Every auth setting under each of its names: the --os-* flag, the OS_* variables and the clouds.yaml /
 * inventory key. The CLI builds its options, help and man page from AUTH_FLAG_SPECS, so names live only here.
 */

/** Parsed auth flags, named as commander names them (`--os-auth-url` -> `osAuthUrl`). */
export interface AuthFlags {
  osAuthUrl?: string | undefined;
  osAuthType?: string | undefined;
  osUsername?: string | undefined;
  osUserId?: string | undefined;
  osPassword?: string | undefined;
  osProjectName?: string | undefined;
  osProjectId?: string | undefined;
  osUserDomainName?: string | undefined;
  osUserDomainId?: string | undefined;
  osProjectDomainName?: string | undefined;
  osProjectDomainId?: string | undefined;
  osDomainName?: string | undefined;
  osDomainId?: string | undefined;
  osDefaultDomain?: string | undefined;
  osSystemScope?: string | undefined;
  osApplicationCredentialId?: string | undefined;
  osApplicationCredentialName?: string | undefined;
  osApplicationCredentialSecret?: string | undefined;
  osToken?: string | undefined;
  osRegionName?: string | undefined;
  osInterface?: string | undefined;
  osCacert?: string | undefined;
  osInsecure?: boolean | undefined;
  osCloud?: string | undefined;
  /** False after `--no-auth`: commander turns a `--no-x` option into `x: false`. */
  auth?: boolean | undefined;
}

export type SettingKey =
  | 'auth_url'
  | 'auth_type'
  | 'username'
  | 'user_id'
  | 'password'
  | 'project_name'
  | 'project_id'
  | 'user_domain_name'
  | 'user_domain_id'
  | 'project_domain_name'
  | 'project_domain_id'
  | 'domain_name'
  | 'domain_id'
  | 'default_domain'
  | 'system_scope'
  | 'application_credential_id'
  | 'application_credential_name'
  | 'application_credential_secret'
  | 'token'
  | 'region_name'
  | 'interface'
  | 'cacert'
  | 'insecure'
  | 'cloud';

export interface AuthSetting {
  /** The name in clouds.yaml (under `auth:` or at the cloud's top level) and in an inventory's `auth:` block. */
  key: SettingKey;
  /** Older or alternative spellings of `key` in those files. */
  fileAliases: readonly string[];
  option: Exclude<keyof AuthFlags, 'auth'>;
  /** The flag with its value placeholder, as commander takes it. */
  flag: string;
  /** The documented variable first, then older spellings still honoured. */
  env: readonly [string, ...string[]];
  /** Holds a password, secret or token: never echoed, and a file holding it must not be readable by others. */
  secret: boolean;
  description: string;
}

function setting(
  key: SettingKey,
  option: AuthSetting['option'],
  flag: string,
  env: AuthSetting['env'],
  description: string,
  extra: { fileAliases?: readonly string[]; secret?: boolean } = {},
): AuthSetting {
  return { key, option, flag, env, description, fileAliases: extra.fileAliases ?? [], secret: extra.secret ?? false };
}

const ON_COMMAND_LINE = 'a command line is visible to other local users: prefer';

export const AUTH_SETTINGS: readonly AuthSetting[] = [
  setting('cloud', 'osCloud', '--os-cloud <name>', ['OS_CLOUD'], 'the clouds.yaml entry to use'),
  setting('auth_url', 'osAuthUrl', '--os-auth-url <url>', ['OS_AUTH_URL'], 'Keystone v3 URL, e.g. https://keystone.example.net:5000/v3'),
  setting('auth_type', 'osAuthType', '--os-auth-type <type>', ['OS_AUTH_TYPE'], 'password, v3applicationcredential, token or none (default: inferred from what is set)', { fileAliases: ['auth_plugin', 'type'] }),
  setting('username', 'osUsername', '--os-username <name>', ['OS_USERNAME'], 'Keystone user name'),
  setting('user_id', 'osUserId', '--os-user-id <id>', ['OS_USER_ID'], 'Keystone user ID'),
  setting('password', 'osPassword', '--os-password <password>', ['OS_PASSWORD'], `the user's password (${ON_COMMAND_LINE} OS_PASSWORD or clouds.yaml)`, { secret: true }),
  setting('project_name', 'osProjectName', '--os-project-name <name>', ['OS_PROJECT_NAME', 'OS_TENANT_NAME'], 'project to scope the token to', { fileAliases: ['tenant_name'] }),
  setting('project_id', 'osProjectId', '--os-project-id <id>', ['OS_PROJECT_ID', 'OS_TENANT_ID'], 'project ID to scope the token to', { fileAliases: ['tenant_id'] }),
  setting('user_domain_name', 'osUserDomainName', '--os-user-domain-name <name>', ['OS_USER_DOMAIN_NAME'], "the user's domain"),
  setting('user_domain_id', 'osUserDomainId', '--os-user-domain-id <id>', ['OS_USER_DOMAIN_ID'], "the user's domain ID"),
  setting('project_domain_name', 'osProjectDomainName', '--os-project-domain-name <name>', ['OS_PROJECT_DOMAIN_NAME'], "the project's domain"),
  setting('project_domain_id', 'osProjectDomainId', '--os-project-domain-id <id>', ['OS_PROJECT_DOMAIN_ID'], "the project's domain ID"),
  setting('domain_name', 'osDomainName', '--os-domain-name <name>', ['OS_DOMAIN_NAME'], 'domain of both user and project, unless set apart'),
  setting('domain_id', 'osDomainId', '--os-domain-id <id>', ['OS_DOMAIN_ID'], 'domain ID of both user and project, unless set apart'),
  setting('default_domain', 'osDefaultDomain', '--os-default-domain <id>', ['OS_DEFAULT_DOMAIN', 'OS_DEFAULT_DOMAIN_ID'], 'domain ID used when no other domain is set (default: default)', { fileAliases: ['default_domain_id'] }),
  setting('system_scope', 'osSystemScope', '--os-system-scope <all>', ['OS_SYSTEM_SCOPE'], 'scope the token to the system instead of a project'),
  setting('application_credential_id', 'osApplicationCredentialId', '--os-application-credential-id <id>', ['OS_APPLICATION_CREDENTIAL_ID'], 'application credential ID (the way for cron jobs)'),
  setting('application_credential_name', 'osApplicationCredentialName', '--os-application-credential-name <name>', ['OS_APPLICATION_CREDENTIAL_NAME'], 'application credential name (needs the user too)'),
  setting('application_credential_secret', 'osApplicationCredentialSecret', '--os-application-credential-secret <secret>', ['OS_APPLICATION_CREDENTIAL_SECRET'], `application credential secret (${ON_COMMAND_LINE} the variable or clouds.yaml)`, { secret: true }),
  setting('token', 'osToken', '--os-token <token>', ['OS_AUTH_TOKEN', 'OS_TOKEN'], 'an existing Keystone token, used as is', { fileAliases: ['auth_token'], secret: true }),
  setting('region_name', 'osRegionName', '--os-region-name <region>', ['OS_REGION_NAME'], 'region of the image endpoint in the catalog'),
  setting('interface', 'osInterface', '--os-interface <interface>', ['OS_INTERFACE', 'OS_ENDPOINT_TYPE'], 'catalog interface: public, internal or admin (default: public)', { fileAliases: ['endpoint_type'] }),
  setting('cacert', 'osCacert', '--os-cacert <path>', ['OS_CACERT'], 'CA bundle to verify Keystone with'),
  setting('insecure', 'osInsecure', '--os-insecure', ['OS_INSECURE'], 'do not verify Keystone TLS certificates'),
];

/** Which source gives each setting, as resolve.ts applies it: shown by `glance-cache help auth` and the man page. */
export const AUTH_PRECEDENCE =
  "Each setting comes from the first of: its --os-* flag; its OS_* variable, unless the cloud was named with --os-cloud; the clouds.yaml entry named by --os-cloud, OS_CLOUD or the inventory's auth.cloud; the inventory's auth: block. A cloud named with --os-cloud stands alone, as openstacksdk keeps a named cloud apart from the OS_* variables: an admin openrc left in the shell does not leak into it. A cloud named by OS_CLOUD is merged under the OS_* variables, as in openstackclient. -v prints who the run authenticates as and where each value came from.";

export interface AuthFlagSpec {
  flag: string;
  /** The parsed-flags property (see AuthFlags). */
  option: keyof AuthFlags;
  env?: string | undefined;
  description: string;
}

export const AUTH_FLAG_SPECS: readonly AuthFlagSpec[] = [
  ...AUTH_SETTINGS.map(({ flag, option, env, description }) => ({ flag, option, env: env[0], description })),
  { flag: '--no-auth', option: 'auth', description: 'send no token (glance deployed without Keystone)' },
];
