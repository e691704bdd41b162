/**
 * The credential precedence table, over every --os-* flag: which of the flag, its OS_* variable, the
 * clouds.yaml entry and the inventory gives the value, with the cloud chosen by OS_CLOUD and by --os-cloud.
 */
import { describe, expect, it } from 'vitest';
import type { CloudConfig } from '../../../src/auth/clouds.js';
import { describeAuth } from '../../../src/auth/describe.js';
import { chooseCloud, resolveCredentials, resolveSetting, type CredentialInput } from '../../../src/auth/resolve.js';
import { AUTH_SETTINGS, type AuthFlags, type AuthSetting } from '../../../src/auth/settings.js';
import { SECRETS } from './support.js';

const CLOUDS = '/etc/openstack/clouds.yaml';

/** A distinct value per source, so the winner is plain; --os-insecure is a bare flag, the others take text. */
function flagOf(setting: AuthSetting): AuthFlags {
  return { [setting.option]: setting.key === 'insecure' ? true : `flag-${setting.key}` };
}

function envOf(setting: AuthSetting): Record<string, string> {
  return { [setting.env[0]]: `env-${setting.key}` };
}

function cloudOf(settings: readonly AuthSetting[]): CloudConfig {
  const auth = Object.fromEntries(settings.map((setting) => [setting.key, `cloud-${setting.key}`]));
  return { name: 'member', file: CLOUDS, entry: { auth }, lines: {} };
}

const inventoryOf = (setting: AuthSetting) => ({ settings: { [setting.key]: `inventory-${setting.key}` }, at: { file: 'inventory.yaml' } });

const FLAG_SETTINGS = AUTH_SETTINGS.filter((setting) => setting.key !== 'cloud');
const ALL_IN_CLOUD = cloudOf(FLAG_SETTINGS);
const cloudLabel = (setting: AuthSetting): string => `${CLOUDS}: clouds.member.auth.${setting.key}`;

type Sources = 'flag' | 'env' | 'cloud' | 'inventory';
/** [sources set, cloud chosen by, expected winner]; `none` when the setting is left unset. */
const TABLE: [Sources[], 'OS_CLOUD' | '--os-cloud', Sources | 'none'][] = [
  [['flag', 'env', 'cloud', 'inventory'], 'OS_CLOUD', 'flag'],
  [['env', 'cloud', 'inventory'], 'OS_CLOUD', 'env'],
  [['cloud', 'inventory'], 'OS_CLOUD', 'cloud'],
  [['inventory'], 'OS_CLOUD', 'inventory'],
  [['flag', 'env', 'cloud', 'inventory'], '--os-cloud', 'flag'],
  // An explicit --os-cloud stands alone: the variables of another cloud's openrc do not leak into it.
  [['env', 'cloud', 'inventory'], '--os-cloud', 'cloud'],
  [['env', 'inventory'], '--os-cloud', 'inventory'],
  [['env'], '--os-cloud', 'none'],
];

function inputFor(setting: AuthSetting, sources: Sources[], chosenBy: 'OS_CLOUD' | '--os-cloud'): CredentialInput {
  const chooser = chosenBy === '--os-cloud' ? { flags: { osCloud: 'member' }, env: {} } : { flags: {}, env: { OS_CLOUD: 'member' } };
  return {
    flags: { ...chooser.flags, ...(sources.includes('flag') ? flagOf(setting) : {}) },
    env: { ...chooser.env, ...(sources.includes('env') ? envOf(setting) : {}) },
    cloud: sources.includes('cloud') ? ALL_IN_CLOUD : cloudOf([]),
    inventoryAuth: sources.includes('inventory') ? inventoryOf(setting) : undefined,
  };
}

function expected(setting: AuthSetting, winner: Sources | 'none'): { value: unknown; from: string } | undefined {
  const flag = setting.flag.split(' ')[0] ?? setting.flag;
  switch (winner) {
    case 'flag':
      return { value: setting.key === 'insecure' ? true : `flag-${setting.key}`, from: flag };
    case 'env':
      return { value: `env-${setting.key}`, from: setting.env[0] };
    case 'cloud':
      return { value: `cloud-${setting.key}`, from: cloudLabel(setting) };
    case 'inventory':
      return { value: `inventory-${setting.key}`, from: `inventory.yaml: auth.${setting.key}` };
    case 'none':
      return undefined;
  }
}

describe('credential precedence, every --os-* flag', () => {
  for (const setting of FLAG_SETTINGS) {
    const flag = setting.flag.split(' ')[0] ?? setting.flag;
    it.each(TABLE)(`${flag}: with %j set and the cloud named by %s, the winner is %s`, (sources, chosenBy, winner) => {
      expect(resolveSetting(inputFor(setting, sources, chosenBy), setting.key)).toEqual(expected(setting, winner));
    });
  }

  it('covers every setting with a flag and a variable', () => {
    expect(FLAG_SETTINGS.length).toBe(AUTH_SETTINGS.length - 1);
    expect(FLAG_SETTINGS.every((setting) => setting.flag.startsWith('--os-') && setting.env[0].startsWith('OS_'))).toBe(true);
  });

  it('--os-cloud beats OS_CLOUD, which beats the inventory', () => {
    const inventoryAuth = { settings: { cloud: 'from-inventory' }, at: { file: 'inventory.yaml' } };
    expect(chooseCloud({ flags: { osCloud: 'member' }, env: { OS_CLOUD: 'admin' }, inventoryAuth })).toEqual({ name: 'member', from: '--os-cloud' });
    expect(chooseCloud({ flags: {}, env: { OS_CLOUD: 'admin' }, inventoryAuth })).toEqual({ name: 'admin', from: 'OS_CLOUD' });
    expect(chooseCloud({ flags: {}, env: {}, inventoryAuth })).toMatchObject({ name: 'from-inventory' });
  });
});

describe('an admin openrc in the shell and --os-cloud member', () => {
  const adminEnv = {
    OS_AUTH_URL: 'http://admin-keystone:5000/v3',
    OS_USERNAME: 'admin',
    OS_PASSWORD: 'admin-password',
    OS_PROJECT_NAME: 'admin',
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
  };
  const member: CloudConfig = {
    name: 'member',
    file: CLOUDS,
    entry: { auth: { auth_url: 'http://keystone:5000/v3', username: 'member', password: SECRETS.password, project_name: 'demo' } },
    lines: { 'auth.auth_url': 3, 'auth.username': 4, 'auth.password': 5, 'auth.project_name': 6 },
  };

  it('authenticates as the cloud\'s user, and -v says so with each source', () => {
    const creds = resolveCredentials({ flags: { osCloud: 'member' }, env: adminEnv, cloud: member });
    expect(creds).toMatchObject({ type: 'password', authUrl: 'http://keystone:5000/v3', username: 'member', password: SECRETS.password, projectName: 'demo', userDomainId: 'default', projectDomainId: 'default' });
    expect(describeAuth(creds)).toBe(
      'auth: password; cloud "member" from --os-cloud, ' +
        `auth URL http://keystone:5000/v3 from ${CLOUDS}:3: clouds.member.auth.auth_url, ` +
        `user "member" from ${CLOUDS}:4: clouds.member.auth.username, user domain ID "default" from built-in default, ` +
        `project "demo" from ${CLOUDS}:6: clouds.member.auth.project_name, project domain ID "default" from built-in default, ` +
        `password from ${CLOUDS}:5: clouds.member.auth.password`,
    );
  });

  it('still lets a flag override the cloud', () => {
    const creds = resolveCredentials({ flags: { osCloud: 'member', osProjectName: 'other' }, env: adminEnv, cloud: member });
    expect(describeAuth(creds)).toContain('project "other" from --os-project-name');
  });

  it('fills no gap in the cloud from the variables, and says why when one is left', () => {
    const { password: _password, ...withoutPassword } = member.entry.auth as Record<string, unknown>;
    const entry = { ...member, entry: { auth: withoutPassword } };
    expect(() => resolveCredentials({ flags: { osCloud: 'member' }, env: adminEnv, cloud: entry })).toThrow(
      `password auth needs the password (OS_* variables are not read with --os-cloud): none of --os-password, clouds.member.auth.password in ${CLOUDS} is set`,
    );
  });

  it('with the cloud named by OS_CLOUD instead, the variables win, as in openstackclient', () => {
    const creds = resolveCredentials({ flags: {}, env: { ...adminEnv, OS_CLOUD: 'member' }, cloud: member });
    expect(creds).toMatchObject({ username: 'admin', projectName: 'admin' });
    expect(describeAuth(creds)).toContain('user "admin" from OS_USERNAME, user domain "Default" from OS_USER_DOMAIN_NAME');
  });

  it('never names a secret\'s value, only where it came from', () => {
    const line = describeAuth(resolveCredentials({ flags: {}, env: { OS_AUTH_URL: 'http://u:p4ss@ks:5000/v3', OS_AUTH_TOKEN: SECRETS.fixedToken } }));
    expect(line).toBe('auth: token; auth URL http://%3Credacted%3E@ks:5000/v3 from OS_AUTH_URL, token from OS_AUTH_TOKEN');
    expect(line).not.toContain(SECRETS.fixedToken);
    expect(line).not.toContain('p4ss');
    expect(describeAuth({ type: 'none' })).toBe('auth: none (no token is sent)');
  });
});
