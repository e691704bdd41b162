import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../../../src/errors.js';
import type { CloudConfig } from '../../../src/auth/clouds.js';
import { chooseCloud, resolveCredentials, type CredentialInput } from '../../../src/auth/resolve.js';
import type { Credentials } from '../../../src/auth/types.js';
import type { InventoryAuth } from '../../../src/inventory/types.js';
import { SECRETS, Seen, expectNoLeaks } from './support.js';

const seen = new Seen();
const CLOUDS = '/etc/openstack/clouds.yaml';

function cloud(entry: Record<string, unknown>, lines: Record<string, number> = {}): CloudConfig {
  return { name: 'prod', file: CLOUDS, entry, lines };
}

function inventory(settings: Record<string, unknown>): InventoryAuth {
  return { settings, at: { file: 'inventory.yaml', line: 9 } };
}

function resolve(input: Partial<CredentialInput>): Credentials {
  return resolveCredentials({ flags: {}, env: {}, ...input });
}

function fails(input: Partial<CredentialInput>): Error {
  return seen.throws(() => resolve(input));
}

const passwordEnv = {
  OS_AUTH_URL: 'http://env:5000/v3',
  OS_USERNAME: 'env-user',
  OS_PASSWORD: SECRETS.password,
  OS_PROJECT_NAME: 'env-project',
  OS_USER_DOMAIN_NAME: 'EnvDomain',
  OS_PROJECT_DOMAIN_NAME: 'EnvDomain',
};

describe('precedence: flag > OS_* > clouds.yaml > inventory', () => {
  const layers = {
    flags: { osRegionName: 'from-flag' },
    env: { OS_REGION_NAME: 'from-env' },
    cloud: cloud({ region_name: 'from-cloud' }),
    inventoryAuth: inventory({ region_name: 'from-inventory' }),
  };
  const base = { auth_url: 'http://ks:5000', username: 'u', password: SECRETS.password };

  it.each([
    ['flag', layers, 'from-flag'],
    ['env', { ...layers, flags: {} }, 'from-env'],
    ['clouds.yaml', { ...layers, flags: {}, env: {} }, 'from-cloud'],
    ['inventory', { ...layers, flags: {}, env: {}, cloud: cloud({}) }, 'from-inventory'],
  ])('the %s value wins over those below it', (_name, input, expected) => {
    const creds = resolve({ ...input, inventoryAuth: inventory({ ...base, ...input.inventoryAuth.settings }) });
    expect(creds.type === 'password' && creds.common.regionName).toBe(expected);
  });

  it('merges setting by setting, and says where the secret came from', () => {
    const creds = resolve({
      flags: { osProjectName: 'flag-project' },
      env: { OS_USERNAME: 'env-user' },
      cloud: cloud({ auth: { auth_url: 'https://ks.example.net/v3', password: SECRETS.password }, interface: 'internal' }),
      inventoryAuth: inventory({ region_name: 'inv-region', cacert: '/etc/ssl/ks.pem' }),
    });
    expect(creds).toEqual({
      type: 'password',
      authUrl: 'https://ks.example.net/v3',
      username: 'env-user',
      userDomainId: 'default',
      password: SECRETS.password,
      projectName: 'flag-project',
      projectDomainId: 'default',
      common: {
        interface: 'internal',
        regionName: 'inv-region',
        cacert: '/etc/ssl/ks.pem',
        origin: `clouds.yaml cloud "prod" (${CLOUDS})`,
        facts: [
          { what: 'auth URL', value: 'https://ks.example.net/v3', from: `${CLOUDS}: clouds.prod.auth.auth_url` },
          { what: 'user', value: 'env-user', from: 'OS_USERNAME' },
          { what: 'user domain ID', value: 'default', from: 'built-in default' },
          { what: 'project', value: 'flag-project', from: '--os-project-name' },
          { what: 'project domain ID', value: 'default', from: 'built-in default' },
          { what: 'password', from: `${CLOUDS}: clouds.prod.auth.password` },
          { what: 'region', value: 'inv-region', from: 'inventory.yaml:9: auth.region_name' },
        ],
      },
    });
  });

  it('takes a project (ID or name) as a whole from the first source naming one', () => {
    const creds = resolve({ env: { ...passwordEnv, OS_PROJECT_NAME: 'mine' }, cloud: cloud({ auth: { project_id: 'cloud-project-id' } }) });
    expect(creds).toMatchObject({ projectName: 'mine', projectId: undefined, projectDomainName: 'EnvDomain' });
  });

  it('honours older variable spellings after the current ones', () => {
    const creds = resolve({ env: { ...passwordEnv, OS_PROJECT_NAME: undefined, OS_TENANT_NAME: 'tenant', OS_ENDPOINT_TYPE: 'internalURL' } });
    expect(creds).toMatchObject({ projectName: 'tenant', common: { interface: 'internal' } });
  });

  it('ignores empty variables', () => {
    expect(resolve({ env: { ...passwordEnv, OS_REGION_NAME: '' }, inventoryAuth: inventory({ region_name: 'inv' }) })).toMatchObject({ common: { regionName: 'inv' } });
  });
});

describe('choosing the cloud', () => {
  it('takes --os-cloud, then OS_CLOUD, then the inventory, and nothing under --no-auth', () => {
    const inventoryAuth = inventory({ cloud: 'inv' });
    expect(chooseCloud({ flags: { osCloud: 'flag' }, env: { OS_CLOUD: 'env' }, inventoryAuth })).toEqual({ name: 'flag', from: '--os-cloud' });
    expect(chooseCloud({ flags: {}, env: { OS_CLOUD: 'env' }, inventoryAuth })).toEqual({ name: 'env', from: 'OS_CLOUD' });
    expect(chooseCloud({ flags: {}, env: {}, inventoryAuth })).toEqual({ name: 'inv', from: 'inventory.yaml:9: auth.cloud' });
    expect(chooseCloud({ flags: { auth: false }, env: { OS_CLOUD: 'env' } })).toBeUndefined();
    expect(chooseCloud({ flags: {}, env: {} })).toBeUndefined();
  });
});

describe('auth types', () => {
  it('password, with domain_name standing in for both domains', () => {
    const creds = resolve({ env: { OS_AUTH_URL: 'http://ks:5000', OS_USERNAME: 'u', OS_PASSWORD: SECRETS.password, OS_PROJECT_NAME: 'p', OS_DOMAIN_NAME: 'Ops', OS_AUTH_TYPE: 'v3password' } });
    expect(creds).toMatchObject({ type: 'password', userDomainName: 'Ops', projectDomainName: 'Ops' });
  });

  it('password by user ID and project ID needs no domain', () => {
    const creds = resolve({ flags: { osAuthUrl: 'http://ks:5000', osUserId: 'uid', osPassword: SECRETS.password, osProjectId: 'pid' } });
    expect(creds).toEqual({ type: 'password', authUrl: 'http://ks:5000', userId: 'uid', password: SECRETS.password, projectId: 'pid', common: { interface: 'public', origin: 'command-line flags', facts: expect.any(Array) } });
  });

  it('password falls back to OS_DEFAULT_DOMAIN, as openstackclient does', () => {
    const creds = resolve({ env: { ...passwordEnv, OS_USER_DOMAIN_NAME: undefined, OS_PROJECT_DOMAIN_NAME: undefined, OS_DEFAULT_DOMAIN: 'd-42' } });
    expect(creds).toMatchObject({ userDomainId: 'd-42', projectDomainId: 'd-42' });
  });

  it('password with system scope', () => {
    const creds = resolve({ env: { ...passwordEnv, OS_PROJECT_NAME: undefined, OS_SYSTEM_SCOPE: 'all' } });
    expect(creds).toMatchObject({ type: 'password', systemScope: 'all', projectName: undefined });
  });

  it('application credential by ID, inferred from the variables (what cron jobs use)', () => {
    const creds = resolve({ env: { OS_AUTH_URL: 'http://ks:5000', OS_APPLICATION_CREDENTIAL_ID: 'ac', OS_APPLICATION_CREDENTIAL_SECRET: SECRETS.appSecret } });
    expect(creds).toEqual({ type: 'v3applicationcredential', authUrl: 'http://ks:5000', id: 'ac', secret: SECRETS.appSecret, common: { interface: 'public', origin: 'OS_* environment', facts: expect.any(Array) } });
  });

  it('application credential by name, with its user, from clouds.yaml', () => {
    const creds = resolve({
      cloud: cloud({
        auth_type: 'v3applicationcredential',
        auth: { auth_url: 'http://ks:5000', application_credential_name: 'cron', application_credential_secret: SECRETS.appSecret, username: 'svc', user_domain_name: 'Svc' },
        verify: false,
      }),
    });
    expect(creds).toMatchObject({ type: 'v3applicationcredential', name: 'cron', username: 'svc', userDomainName: 'Svc', common: { insecure: true } });
  });

  it('token from OS_AUTH_TOKEN, with or without an auth URL', () => {
    expect(resolve({ env: { OS_AUTH_TOKEN: SECRETS.fixedToken } })).toEqual({ type: 'token', token: SECRETS.fixedToken, authUrl: undefined, common: { interface: 'public', origin: 'OS_* environment', facts: expect.any(Array) } });
    expect(resolve({ flags: { osToken: SECRETS.fixedToken, osAuthType: 'v3token' }, env: { OS_AUTH_URL: 'http://ks:5000' } })).toMatchObject({ type: 'token', authUrl: 'http://ks:5000' });
  });

  it.each([
    ['--no-auth', { flags: { auth: false }, env: passwordEnv }],
    ['inventory type: none', { inventoryAuth: inventory({ type: 'none' }) }],
    ['OS_AUTH_TYPE=noauth', { env: { ...passwordEnv, OS_AUTH_TYPE: 'noauth' } }],
    ['clouds.yaml auth_type: none', { cloud: cloud({ auth_type: 'none' }) }],
  ])('none, from %s', (_name, input) => {
    expect(resolve(input as Partial<CredentialInput>)).toEqual({ type: 'none' });
  });
});

describe('TLS settings', () => {
  it.each([
    ['true', true],
    ['1', true],
    ['False', false],
    ['0', false],
  ])('OS_INSECURE=%s', (value, expected) => {
    expect(resolve({ env: { ...passwordEnv, OS_INSECURE: value, OS_CACERT: '/ca.pem' } })).toMatchObject({ common: { insecure: expected, cacert: '/ca.pem' } });
  });

  it('--os-insecure is a boolean flag', () => {
    expect(resolve({ env: passwordEnv, flags: { osInsecure: true } })).toMatchObject({ common: { insecure: true } });
  });

  it("names the setting that gave Keystone's insecure, for the warning to name it", () => {
    expect(resolve({ env: passwordEnv, flags: { osInsecure: true } })).toMatchObject({ common: { insecureFrom: '--os-insecure' } });
    expect(resolve({ env: { ...passwordEnv, OS_INSECURE: 'yes' } })).toMatchObject({ common: { insecureFrom: 'OS_INSECURE' } });
    const fromCloud = resolve({ cloud: cloud({ auth: { auth_url: 'http://ks:5000', username: 'u', password: SECRETS.password }, verify: false }) });
    expect(fromCloud).toMatchObject({ common: { insecure: true, insecureFrom: expect.stringMatching(/clouds\.yaml.*: clouds\.\w+\.verify$/) } });
  });
});

describe('mistakes', () => {
  it('with nothing at all, says what to set', () => {
    const error = fails({ env: { HOME: '/root' } });
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe('no credentials: set OS_CLOUD, or OS_AUTH_URL/OS_USERNAME/OS_PASSWORD (or OS_APPLICATION_CREDENTIAL_ID/OS_APPLICATION_CREDENTIAL_SECRET), or an `auth:` block in the inventory, or use --no-auth');
  });

  it('names the missing setting and every place it looked', () => {
    const error = fails({ env: { OS_AUTH_URL: 'http://ks:5000', OS_USERNAME: 'u' }, cloud: cloud({}), inventoryAuth: inventory({ cloud: 'prod' }) });
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(`password auth needs the password: none of --os-password, OS_PASSWORD, clouds.prod.auth.password in ${CLOUDS}, auth.password in inventory.yaml is set`);
  });

  it.each([
    [{ OS_USERNAME: 'u', OS_PASSWORD: SECRETS.password }, 'password auth needs the Keystone URL: none of --os-auth-url, OS_AUTH_URL is set'],
    [{ OS_AUTH_URL: 'http://ks', OS_PASSWORD: SECRETS.password }, 'password auth needs a user (username or user_id): none of --os-username, OS_USERNAME is set'],
    [{ OS_AUTH_URL: 'http://ks', OS_APPLICATION_CREDENTIAL_NAME: 'n', OS_APPLICATION_CREDENTIAL_SECRET: SECRETS.appSecret }, 'an application credential given by name needs its user (username or user_id): none of --os-username, OS_USERNAME is set'],
    [{ OS_AUTH_URL: 'http://ks', OS_APPLICATION_CREDENTIAL_ID: 'ac' }, 'application credential auth needs the secret: none of --os-application-credential-secret, OS_APPLICATION_CREDENTIAL_SECRET is set'],
    [{ OS_AUTH_TYPE: 'token' }, 'token auth needs a token: none of --os-token, OS_AUTH_TOKEN is set'],
  ])('missing: %o', (env, message) => {
    expect(fails({ env })).toEqual(new UsageError(message));
  });

  it('rejects a Keystone v2 URL or a non-http one, pointing at the file and line', () => {
    const v2 = fails({ cloud: cloud({ auth: { auth_url: 'http://ks:5000/v2.0', username: 'u', password: SECRETS.password } }, { 'auth.auth_url': 4 }) });
    expect(v2).toBeInstanceOf(ConfigError);
    expect(v2.message).toBe(`${CLOUDS}:4: clouds.prod.auth.auth_url: "http://ks:5000/v2.0" is a Keystone v2.0 URL; only v3 is supported (…/v3)`);
    expect(fails({ env: { ...passwordEnv, OS_AUTH_URL: 'ks:5000' } }).message).toBe('OS_AUTH_URL: "ks:5000" is not an http(s) URL');
  });

  it('rejects unknown auth types and interfaces, and a bad boolean', () => {
    expect(fails({ flags: { osAuthType: 'v3oidcpassword' }, env: passwordEnv }).message).toBe(
      '--os-auth-type: "v3oidcpassword" is not supported; use one of password, v3password, v3applicationcredential, token, v3token, none, noauth',
    );
    expect(fails({ env: { ...passwordEnv, OS_AUTH_TYPE: 'v2password' } }).message).toBe('OS_AUTH_TYPE: "v2password": Keystone v2 is not supported; use the v3 equivalent');
    expect(fails({ env: { ...passwordEnv, OS_INTERFACE: 'pubic' } }).message).toBe('OS_INTERFACE: "pubic" is not one of public, internal, admin');
    expect(fails({ env: passwordEnv, inventoryAuth: inventory({ insecure: 'maybe' }) }).message).toBe('inventory.yaml:9: auth.insecure: "maybe" is not true or false');
  });

  it('rejects a project together with system scope, and a system scope other than all', () => {
    expect(fails({ env: { ...passwordEnv, OS_SYSTEM_SCOPE: 'all' } }).message).toBe('OS_SYSTEM_SCOPE: a token is scoped to a project or to the system, not both');
    expect(fails({ env: { ...passwordEnv, OS_PROJECT_NAME: undefined, OS_SYSTEM_SCOPE: 'some' } }).message).toBe('OS_SYSTEM_SCOPE: the only system scope is "all"');
  });

  it('rejects an unknown key in the inventory auth block without echoing its value', () => {
    const error = fails({ inventoryAuth: inventory({ auth_url: 'http://ks', pasword: SECRETS.password }) });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/^inventory\.yaml:9: auth\.pasword: unknown auth setting; expected one of application_credential_id, /);
  });

  it('rejects a list where a single value belongs', () => {
    expect(fails({ env: passwordEnv, cloud: cloud({ region_name: ['a', 'b'] }, { region_name: 7 }) }).message).toBe(`${CLOUDS}:7: clouds.prod.region_name: expected a single value, not a list or mapping`);
  });
});

describe('secrets', () => {
  it('never appear in an error of this file', () => {
    expectNoLeaks(seen, 40);
  });
});
