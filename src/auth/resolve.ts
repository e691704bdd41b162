/**
 * Merging credentials from every source, pure, setting by setting as openstackclient does: `--os-*` flag >
 * `OS_*` variable > clouds.yaml cloud > inventory `auth:` block. A cloud named by `--os-cloud` on the
 * command line stands alone: the `OS_*` variables are left out, as openstacksdk's loader keeps them in a
 * cloud of their own, so an admin openrc still sourced in the shell cannot turn `--os-cloud member` into an
 * admin run. A cloud named by OS_CLOUD or the inventory is merged under the variables (openstackclient reads
 * them as the flags' defaults). Settings that only make sense together (project ID or name, a domain's ID
 * or name) come as a group from the first source that has any, so `OS_PROJECT_NAME` overrides a cloud's
 * `project_id` instead of mixing with it.
 */
import { ConfigError, UsageError, formatLocation, type SourceLocation } from '../errors.js';
import type { InventoryAuth } from '../inventory/types.js';
import type { CloudChoice, CloudConfig } from './clouds.js';
import { identityVersion } from './keystone.js';
import { AUTH_SETTINGS, type AuthFlags, type AuthSetting, type SettingKey } from './settings.js';
import type { AuthFact, CommonAuth, Credentials } from './types.js';

export interface CredentialInput {
  flags: AuthFlags;
  env: Record<string, string | undefined>;
  inventoryAuth?: InventoryAuth | undefined;
  /** The cloud named by chooseCloud(), read by readCloud(). */
  cloud?: CloudConfig | undefined;
}

/** The clouds.yaml entry to read, if any: --os-cloud, OS_CLOUD, then the inventory's `auth.cloud`. */
export function chooseCloud(input: Omit<CredentialInput, 'cloud'>): CloudChoice | undefined {
  if (noAuthWanted(input)) return undefined;
  const found = lookup(sourcesOf(input), 'cloud');
  return found ? { name: text(found), from: found.label } : undefined;
}

/** One setting's value and the setting that gave it (a flag, a variable, a file path), as resolveCredentials picks it. */
export function resolveSetting(input: CredentialInput, key: SettingKey): { value: unknown; from: string } | undefined {
  const found = lookup(sourcesOf(input), key);
  return found ? { value: found.value, from: found.label } : undefined;
}

/**
 * --no-auth, or an inventory that declares its nodes noauth and no --os-* flag overriding it: a noauth
 * deployment takes no token, so an OS_CLOUD left in the operator's shell for another cloud must not
 * make the run depend on that cloud's Keystone.
 */
function noAuthWanted(input: Pick<CredentialInput, 'flags' | 'inventoryAuth'>): boolean {
  if (input.flags.auth === false) return true;
  const declared = input.inventoryAuth?.settings.type ?? input.inventoryAuth?.settings.auth_type;
  const flagGiven = Object.entries(input.flags).some(([key, value]) => key.startsWith('os') && value !== undefined);
  return (declared === 'none' || declared === 'noauth') && !flagGiven;
}

export function resolveCredentials(input: CredentialInput): Credentials {
  if (noAuthWanted(input)) return { type: 'none' };
  checkInventoryKeys(input.inventoryAuth);
  const sources = sourcesOf(input);
  const find = (key: SettingKey): Found | undefined => lookup(sources, key);
  // With --os-cloud the variables are not read: say so, or an exported OS_PASSWORD looks overlooked.
  const lacking = (key: SettingKey, what: string): never => missing(sources, key, present(input.flags.osCloud) ? `${what} (OS_* variables are not read with --os-cloud)` : what);
  const need = (key: SettingKey, what: string): Found => find(key) ?? lacking(key, what);

  const type = authTypeOf(find('auth_type')) ?? inferredType(sources, input.cloud !== undefined);
  if (type === 'none') return { type: 'none' };
  // What -v reports: each identifying value and the setting that gave it; secrets by source only.
  const facts: AuthFact[] = [];
  const note = (what: string, found: Found | undefined): void => {
    if (found) facts.push({ what, value: text(found), from: found.label });
  };
  if (input.cloud) note('cloud', find('cloud'));
  const common = (secret: Found): CommonAuth => {
    const insecure = find('insecure');
    facts.push({ what: type === 'token' ? 'token' : type === 'password' ? 'password' : 'secret', from: secret.label });
    note('region', find('region_name'));
    return {
      facts,
      interface: interfaceOf(find('interface')),
      regionName: optionalText(find('region_name')),
      cacert: optionalText(find('cacert')),
      insecure: insecure ? flagValue(insecure) : undefined,
      insecureFrom: insecure?.label,
      origin: secret.origin,
    };
  };

  if (type === 'token') {
    const token = need('token', 'token auth needs a token');
    const authUrl = find('auth_url');
    note('auth URL', authUrl);
    return { type, token: text(token), authUrl: authUrl ? authUrlOf(authUrl) : undefined, common: common(token) };
  }

  const authUrlFound = need('auth_url', `${type} auth needs the Keystone URL`);
  const authUrl = authUrlOf(authUrlFound);
  note('auth URL', authUrlFound);
  const domain = (idKey: SettingKey, nameKey: SettingKey, what: string): { id?: string; name?: string } => {
    const [id, name] = lookupGroup(sources, [idKey, nameKey]) ?? lookupGroup(sources, ['domain_id', 'domain_name']) ?? [];
    if (id) note(`${what} ID`, id);
    else note(what, name);
    if (id || name) return id ? { id: text(id) } : { name: optionalText(name) };
    // openstackclient's --os-default-domain, itself defaulting to the "default" domain.
    const fallback = find('default_domain');
    if (fallback) note(`${what} ID`, fallback);
    else facts.push({ what: `${what} ID`, value: 'default', from: 'built-in default' });
    return { id: optionalText(fallback) ?? 'default' };
  };
  const user = (what: string): { userId?: string; username?: string; userDomainId?: string; userDomainName?: string } => {
    const [userId, username] = lookupGroup(sources, ['user_id', 'username']) ?? lacking('username', what);
    if (userId) {
      note('user ID', userId);
      return { userId: text(userId) };
    }
    note('user', username);
    const userDomain = domain('user_domain_id', 'user_domain_name', 'user domain');
    return { username: optionalText(username), userDomainId: userDomain.id, userDomainName: userDomain.name };
  };

  if (type === 'v3applicationcredential') {
    const secret = need('application_credential_secret', 'application credential auth needs the secret');
    const [id, name] =
      lookupGroup(sources, ['application_credential_id', 'application_credential_name']) ??
      lacking('application_credential_id', 'application credential auth needs the credential ID (or its name and user)');
    if (id) note('application credential ID', id);
    else note('application credential', name);
    return {
      type,
      authUrl,
      ...(id ? { id: text(id) } : { name: optionalText(name), ...user('an application credential given by name needs its user (username or user_id)') }),
      secret: text(secret),
      common: common(secret),
    };
  }

  const password = need('password', 'password auth needs the password');
  const identity = user('password auth needs a user (username or user_id)');
  const [projectId, projectName, systemScope] = lookupGroup(sources, ['project_id', 'project_name', 'system_scope']) ?? [];
  if (systemScope && (projectId || projectName)) throw invalid(systemScope, 'a token is scoped to a project or to the system, not both');
  if (systemScope && text(systemScope) !== 'all') throw invalid(systemScope, 'the only system scope is "all"');
  if (projectId) note('project ID', projectId);
  else note('project', projectName);
  if (systemScope) note('system scope', systemScope);
  const projectDomain = projectName && !projectId ? domain('project_domain_id', 'project_domain_name', 'project domain') : {};
  return {
    type,
    authUrl,
    ...identity,
    password: text(password),
    projectId: optionalText(projectId),
    projectName: projectId ? undefined : optionalText(projectName),
    projectDomainId: projectDomain.id,
    projectDomainName: projectDomain.name,
    systemScope: systemScope ? 'all' : undefined,
    common: common(password),
  };
}

/** A value as one source gave it, and how to point at it. */
interface Found {
  value: unknown;
  /** "--os-auth-url", "OS_AUTH_URL", "/etc/openstack/clouds.yaml:4: clouds.prod.auth.auth_url". */
  label: string;
  /** Set for files, so errors carry file, line and field. */
  at?: SourceLocation | undefined;
  /** The source as a whole, e.g. `clouds.yaml cloud "prod" (/etc/openstack/clouds.yaml)`. */
  origin: string;
  /** clouds.yaml's `verify: false` means `insecure: true`. */
  inverted?: boolean | undefined;
}

interface Source {
  origin: string;
  find(setting: AuthSetting): Found | undefined;
  /** Where this source would hold the setting, for "looked at" messages. */
  place(setting: AuthSetting): string;
}

function sourcesOf(input: CredentialInput): Source[] {
  const sources: Source[] = present(input.flags.osCloud) ? [flagSource(input.flags)] : [flagSource(input.flags), envSource(input.env)];
  if (input.cloud) sources.push(cloudSource(input.cloud));
  if (input.inventoryAuth) sources.push(inventorySource(input.inventoryAuth));
  return sources;
}

function flagSource(flags: AuthFlags): Source {
  const origin = 'command-line flags';
  const name = (setting: AuthSetting): string => setting.flag.split(' ')[0] ?? setting.flag;
  return {
    origin,
    find: (setting) => (present(flags[setting.option]) ? { value: flags[setting.option], label: name(setting), origin } : undefined),
    place: name,
  };
}

function envSource(env: Record<string, string | undefined>): Source {
  const origin = 'OS_* environment';
  return {
    origin,
    find(setting) {
      const name = setting.env.find((variable) => present(env[variable]));
      return name ? { value: env[name], label: name, origin } : undefined;
    },
    place: (setting) => setting.env[0],
  };
}

function cloudSource(cloud: CloudConfig): Source {
  const origin = `clouds.yaml cloud "${cloud.name}" (${cloud.file})`;
  const auth = isRecord(cloud.entry.auth) ? cloud.entry.auth : {};
  const at = (path: string): SourceLocation => ({ file: cloud.file, line: cloud.lines[path], field: `clouds.${cloud.name}.${path}` });
  const found = (path: string, value: unknown, inverted?: boolean): Found => ({ value, label: locationLabel(at(path)), at: at(path), origin, inverted });
  return {
    origin,
    find(setting) {
      for (const key of [setting.key, ...setting.fileAliases]) {
        if (present(auth[key])) return found(`auth.${key}`, auth[key]);
        if (present(cloud.entry[key])) return found(key, cloud.entry[key]);
      }
      return setting.key === 'insecure' && present(cloud.entry.verify) ? found('verify', cloud.entry.verify, true) : undefined;
    },
    place: (setting) => `clouds.${cloud.name}.auth.${setting.key} in ${cloud.file}`,
  };
}

function inventorySource(auth: InventoryAuth): Source {
  const origin = `inventory auth (${auth.at.file})`;
  const at = (key: string): SourceLocation => ({ ...auth.at, field: `auth.${key}` });
  const found = (key: string, inverted?: boolean): Found => ({ value: auth.settings[key], label: locationLabel(at(key)), at: at(key), origin, inverted });
  return {
    origin,
    find(setting) {
      const key = [setting.key, ...setting.fileAliases].find((name) => present(auth.settings[name]));
      if (key) return found(key);
      return setting.key === 'insecure' && present(auth.settings.verify) ? found('verify', true) : undefined;
    },
    place: (setting) => `auth.${setting.key} in ${auth.at.file}`,
  };
}

const SETTINGS = new Map(AUTH_SETTINGS.map((setting) => [setting.key, setting]));
const INVENTORY_KEYS = new Set(['verify', ...AUTH_SETTINGS.flatMap((setting) => [setting.key, ...setting.fileAliases])]);

function settingFor(key: SettingKey): AuthSetting {
  return SETTINGS.get(key) as AuthSetting;
}

function lookup(sources: Source[], key: SettingKey): Found | undefined {
  const setting = settingFor(key);
  for (const source of sources) {
    const found = source.find(setting);
    if (found) return found;
  }
  return undefined;
}

/** The group's values, in `keys` order, from the first source holding any of them. */
function lookupGroup(sources: Source[], keys: SettingKey[]): (Found | undefined)[] | undefined {
  for (const source of sources) {
    const group = keys.map((key) => source.find(settingFor(key)));
    if (group.some(Boolean)) return group;
  }
  return undefined;
}

const IDENTITY_KEYS: SettingKey[] = ['auth_url', 'username', 'user_id', 'password', 'token', 'application_credential_id', 'application_credential_name', 'application_credential_secret'];

function inferredType(sources: Source[], cloudChosen: boolean): 'password' | 'v3applicationcredential' | 'token' {
  if (lookup(sources, 'token')) return 'token';
  if (lookup(sources, 'application_credential_secret') || lookup(sources, 'application_credential_id')) return 'v3applicationcredential';
  // A chosen cloud without credentials gets the precise "needs X" message instead.
  if (!cloudChosen && !IDENTITY_KEYS.some((key) => lookup(sources, key))) {
    throw new UsageError('no credentials: set OS_CLOUD, or OS_AUTH_URL/OS_USERNAME/OS_PASSWORD (or OS_APPLICATION_CREDENTIAL_ID/OS_APPLICATION_CREDENTIAL_SECRET), or an `auth:` block in the inventory, or use --no-auth');
  }
  return 'password';
}

const AUTH_TYPES: Record<string, 'password' | 'v3applicationcredential' | 'token' | 'none'> = {
  password: 'password',
  v3password: 'password',
  v3applicationcredential: 'v3applicationcredential',
  token: 'token',
  v3token: 'token',
  none: 'none',
  noauth: 'none',
};

function authTypeOf(found: Found | undefined): 'password' | 'v3applicationcredential' | 'token' | 'none' | undefined {
  if (!found) return undefined;
  const name = text(found).toLowerCase();
  const type = AUTH_TYPES[name];
  if (type) return type;
  if (name.startsWith('v2')) throw invalid(found, `"${name}": Keystone v2 is not supported; use the v3 equivalent`);
  throw invalid(found, `"${name}" is not supported; use one of ${Object.keys(AUTH_TYPES).join(', ')}`);
}

function authUrlOf(found: Found): string {
  const url = text(found);
  let version: string | undefined;
  try {
    if (!/^https?:$/.test(new URL(url).protocol)) throw new Error('scheme');
    version = identityVersion(url);
  } catch {
    throw invalid(found, `"${url}" is not an http(s) URL`);
  }
  if (version && !/^v3(\.\d+)?$/.test(version)) throw invalid(found, `"${url}" is a Keystone ${version} URL; only v3 is supported (…/v3)`);
  return url;
}

const INTERFACES = ['public', 'internal', 'admin'];

function interfaceOf(found: Found | undefined): string {
  if (!found) return 'public';
  // Older openrc files say publicURL / internalURL (OS_ENDPOINT_TYPE).
  const value = text(found).replace(/URL$/, '');
  if (!INTERFACES.includes(value)) throw invalid(found, `"${text(found)}" is not one of ${INTERFACES.join(', ')}`);
  return value;
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

function flagValue(found: Found): boolean {
  const raw = typeof found.value === 'boolean' ? found.value : String(found.value).toLowerCase();
  const value = typeof raw === 'boolean' ? raw : TRUE.has(raw) ? true : FALSE.has(raw) ? false : undefined;
  if (value === undefined) throw invalid(found, `"${String(found.value)}" is not true or false`);
  return found.inverted ? !value : value;
}

function text(found: Found): string {
  if (typeof found.value === 'string') return found.value;
  if (typeof found.value === 'number' || typeof found.value === 'boolean' || typeof found.value === 'bigint') return String(found.value);
  throw invalid(found, 'expected a single value, not a list or mapping');
}

function optionalText(found: Found | undefined): string | undefined {
  return found ? text(found) : undefined;
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function checkInventoryKeys(auth: InventoryAuth | undefined): void {
  for (const key of Object.keys(auth?.settings ?? {})) {
    if (!INVENTORY_KEYS.has(key)) {
      throw new ConfigError({ ...(auth as InventoryAuth).at, field: `auth.${key}` }, `unknown auth setting; expected one of ${[...INVENTORY_KEYS].sort().join(', ')}`);
    }
  }
}

/** Secret values never reach a message: callers only report values of non-secret settings. */
function invalid(found: Found, reason: string): Error {
  return found.at ? new ConfigError(found.at, reason) : new UsageError(`${found.label}: ${reason}`);
}

function missing(sources: Source[], key: SettingKey, what: string): never {
  const places = sources.map((source) => source.place(settingFor(key)));
  throw new UsageError(`${what}: none of ${places.join(', ')} is set`);
}

function locationLabel(at: SourceLocation): string {
  return formatLocation(at).replace(/:$/, '');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
