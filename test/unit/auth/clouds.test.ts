import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../../../src/errors.js';
import { configCandidates, readCloud, type ConfigFilesIo } from '../../../src/auth/clouds.js';
import { exposureWarning, holdsSecret } from '../../../src/auth/exposure.js';
import { SECRETS, Seen, expectNoLeaks } from './support.js';

const seen = new Seen();
const HOME = '/home/op';
const CWD = '/srv/work';
const USER_CLOUDS = `${HOME}/.config/openstack/clouds.yaml`;
/** The running user: what a file of one's own belongs to. */
const ME = process.geteuid?.() ?? 0;
/** Another local user, with no name in /etc/passwd. */
const OTHER = 4242;

/** An in-memory file system: path -> [content, mode, owner]; directories path -> mode (root's). */
function io(files: Record<string, [string, number?, number?]>, env: Record<string, string> = {}, dirs: Record<string, number> = {}): ConfigFilesIo & { reads: string[] } {
  const reads: string[] = [];
  return {
    env,
    home: HOME,
    cwd: CWD,
    reads,
    async readFile(path) {
      reads.push(path);
      const file = files[path];
      if (!file) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
      return { text: file[0], facts: { uid: file[2] ?? ME, mode: file[1] ?? 0o600, directory: false } };
    },
    async stat(path) {
      const file = files[path];
      if (file) return { uid: file[2] ?? ME, mode: file[1] ?? 0o600, directory: false };
      return dirs[path] === undefined ? undefined : { uid: 0, mode: dirs[path], directory: true };
    },
  };
}

const PROD = `clouds:
  prod:
    auth:
      auth_url: https://keystone.example.net:5000/v3
      username: cache-admin
      project-name: admin
      user_domain_name: Default
    region_name: RegionOne
    cacert: ~/ca/prod.pem
  lab:
    auth: { auth_url: http://lab:5000 }
`;

const prod = { name: 'prod', from: 'OS_CLOUD' };

describe('finding clouds.yaml', () => {
  it('searches like openstacksdk: the override, then ./, the user config dirs and /etc, each as .yaml, .yml, .json', () => {
    const candidates = configCandidates('clouds', io({}, { OS_CLIENT_CONFIG_FILE: '/opt/clouds.yaml', XDG_CONFIG_HOME: '/xdg' }));
    expect(candidates.slice(0, 7)).toEqual([
      '/opt/clouds.yaml',
      `${CWD}/clouds.yaml`,
      `${CWD}/clouds.yml`,
      `${CWD}/clouds.json`,
      '/xdg/openstack/clouds.yaml',
      '/xdg/openstack/clouds.yml',
      '/xdg/openstack/clouds.json',
    ]);
    expect(candidates).toContain(USER_CLOUDS);
    expect(candidates.at(-3)).toBe('/etc/openstack/clouds.yaml');
    expect(candidates.indexOf(USER_CLOUDS)).toBeLessThan(candidates.indexOf('/etc/openstack/clouds.yaml'));
    expect(configCandidates('secure', io({}, { OS_CLIENT_SECURE_FILE: '/opt/secure.yaml' }))[0]).toBe('/opt/secure.yaml');
  });

  it('reads the first file found and only that one', async () => {
    const files = io({
      [`${CWD}/clouds.yml`]: ['clouds: { prod: { region_name: FromCwd } }'],
      [USER_CLOUDS]: [PROD],
      '/etc/openstack/clouds.yaml': [PROD],
    });
    const { cloud } = await readCloud(prod, files);
    expect(cloud.file).toBe(`${CWD}/clouds.yml`);
    expect(cloud.entry).toEqual({ region_name: 'FromCwd' });
    expect(files.reads).toEqual([`${CWD}/clouds.yml`]);
  });

  it('prefers OS_CLIENT_CONFIG_FILE, and reads JSON', async () => {
    const files = io({ '/opt/c.json': [JSON.stringify({ clouds: { prod: { auth: { auth_url: 'http://json:5000' } } } })], [USER_CLOUDS]: [PROD] }, { OS_CLIENT_CONFIG_FILE: '/opt/c.json' });
    expect((await readCloud(prod, files)).cloud.entry).toEqual({ auth: { auth_url: 'http://json:5000' } });
  });

  it('says which cloud and which files when there is no clouds.yaml at all', async () => {
    const error = await seen.rejects(readCloud(prod, io({})));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(
      `cloud "prod" (from OS_CLOUD): no clouds.yaml found; looked for clouds.yaml, .yml or .json in ${CWD}, ${HOME}/.config/openstack, /etc/xdg/openstack, /etc/openstack`,
    );
  });
});

describe('reading a cloud', () => {
  it('spells keys with underscores, expands ~ in cacert and records the line of each key', async () => {
    const { cloud, warnings } = await readCloud(prod, io({ [USER_CLOUDS]: [PROD] }));
    expect(cloud).toEqual({
      name: 'prod',
      file: USER_CLOUDS,
      entry: {
        auth: { auth_url: 'https://keystone.example.net:5000/v3', username: 'cache-admin', project_name: 'admin', user_domain_name: 'Default' },
        region_name: 'RegionOne',
        cacert: `${HOME}/ca/prod.pem`,
      },
      lines: { '': 2, auth: 3, 'auth.auth_url': 4, 'auth.username': 5, 'auth.project_name': 6, 'auth.user_domain_name': 7, region_name: 8, cacert: 9 },
    });
    expect(warnings).toEqual([]);
  });

  it('deep-merges secure.yaml over the cloud', async () => {
    const files = io({
      [USER_CLOUDS]: [PROD],
      '/etc/openstack/secure.yaml': [`clouds:\n  prod:\n    auth:\n      password: ${SECRETS.password}\n    region_name: RegionTwo\n`],
    });
    const { cloud } = await readCloud(prod, files);
    expect(cloud.entry.auth).toEqual({
      auth_url: 'https://keystone.example.net:5000/v3',
      username: 'cache-admin',
      project_name: 'admin',
      user_domain_name: 'Default',
      password: SECRETS.password,
    });
    expect(cloud.entry.region_name).toBe('RegionTwo');
  });

  it('keeps numbers as written, so a password or ID of digits keeps its leading zeros', async () => {
    const { cloud } = await readCloud(prod, io({ [USER_CLOUDS]: ['clouds:\n  prod:\n    auth:\n      password: 007123\n      project_id: 1e3\n    verify: false\n'] }));
    expect(cloud.entry).toEqual({ auth: { password: '007123', project_id: '1e3' }, verify: false });
  });

  it('follows YAML anchors and << merge keys, as PyYAML does', async () => {
    const text = 'base: &base\n  auth: { auth_url: http://ks:5000 }\n  region_name: R1\nclouds:\n  prod:\n    <<: *base\n    region_name: R2\n';
    expect((await readCloud(prod, io({ [USER_CLOUDS]: [text] }))).cloud.entry).toEqual({ auth: { auth_url: 'http://ks:5000' }, region_name: 'R2' });
  });

  it('names the file and lists the clouds it has when the cloud is unknown', async () => {
    const error = await seen.rejects(readCloud({ name: 'prdo', from: '--os-cloud' }, io({ [USER_CLOUDS]: [PROD] })));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(`${USER_CLOUDS}: no cloud named "prdo" (from --os-cloud); clouds defined: prod, lab`);
  });

  it('reports a YAML syntax error with its line, without quoting the file', async () => {
    const text = `clouds:\n  prod:\n    auth:\n      password: "${SECRETS.password}\n      username: x\n   bad: [\n`;
    const error = await seen.rejects(readCloud(prod, io({ [USER_CLOUDS]: [text] })));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(new RegExp(`^${USER_CLOUDS}:\\d+: `));
    expect(error.message).not.toContain('\n');
  });

  it('rejects a cloud that is not a mapping, and a file without a clouds mapping', async () => {
    const notMapping = await seen.rejects(readCloud(prod, io({ [USER_CLOUDS]: ['clouds:\n  lab: {}\n  prod: just-a-string\n'] })));
    expect(notMapping.message).toBe(`${USER_CLOUDS}:3: clouds.prod: expected a mapping of settings`);
    const noClouds = await seen.rejects(readCloud(prod, io({ [USER_CLOUDS]: ['clouds: [a, b]\n'] })));
    expect(noClouds.message).toBe(`${USER_CLOUDS}: clouds: expected a mapping of cloud names to settings`);
  });

  it('says when the file cannot be read', async () => {
    const files = io({ [USER_CLOUDS]: [PROD] });
    files.readFile = async () => {
      throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
    };
    expect((await seen.rejects(readCloud(prod, files))).message).toBe(`${USER_CLOUDS}: cannot read: permission denied`);
  });
});

describe('files found by the search', () => {
  const planted = `${CWD}/clouds.yaml`;
  const attacker = `clouds:\n  prod:\n    auth: { auth_url: "http://attacker.example:5000/v3", username: cache-admin }\n`;

  it('are refused when another user owns them, naming the file, the owner and the way to use it anyway', async () => {
    const error = await seen.rejects(readCloud(prod, io({ [planted]: [attacker, 0o644, OTHER], [USER_CLOUDS]: [PROD] })));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(
      `${planted}: refused: owned by uid ${OTHER}, not by you or root; another user may have put it there: name it with OS_CLIENT_CONFIG_FILE if you trust it`,
    );
  });

  it('are refused when others may write them or replace them; a secure.yaml too, which could change auth_url', async () => {
    const writable = await seen.rejects(readCloud(prod, io({ [planted]: [attacker, 0o664] })));
    expect(writable.message).toBe(`${planted}: refused: writable by its group (mode 0664): run chmod go-w on it, or name it with OS_CLIENT_CONFIG_FILE if you trust it`);
    const replaceable = await seen.rejects(readCloud(prod, io({ [planted]: [attacker, 0o644] }, {}, { [CWD]: 0o777 })));
    expect(replaceable.message).toBe(
      `${planted}: refused: its directory ${CWD} is writable by anyone and not sticky (mode 0777), so anyone could replace it: name it with OS_CLIENT_CONFIG_FILE if you trust it`,
    );
    const secure = await seen.rejects(readCloud(prod, io({ [USER_CLOUDS]: [PROD], [`${CWD}/secure.yaml`]: [attacker, 0o600, OTHER] })));
    expect(secure.message).toBe(
      `${CWD}/secure.yaml: refused: owned by uid ${OTHER}, not by you or root; another user may have put it there: name it with OS_CLIENT_SECURE_FILE if you trust it`,
    );
  });

  it("are used when they are the user's or root's and only they may write them, in a sticky or private directory", async () => {
    const files = io({ [planted]: [PROD, 0o644, 0], '/etc/openstack/secure.yaml': ['clouds: { prod: { region_name: R2 } }', 0o640, 0] }, {}, { [CWD]: 0o1777, '/etc/openstack': 0o755 });
    expect((await readCloud(prod, files)).cloud.entry.region_name).toBe('R2');
    expect((await readCloud(prod, io({ [USER_CLOUDS]: [PROD, 0o600, ME] }))).cloud.file).toBe(USER_CLOUDS);
  });

  it('are not what OS_CLIENT_CONFIG_FILE and OS_CLIENT_SECURE_FILE name: the operator chose those', async () => {
    const files = io({ '/shared/clouds.yaml': [PROD, 0o666, OTHER], '/shared/secure.yaml': ['clouds: { prod: { region_name: R3 } }', 0o644, OTHER] }, {
      OS_CLIENT_CONFIG_FILE: '/shared/clouds.yaml',
      OS_CLIENT_SECURE_FILE: '/shared/secure.yaml',
    }, { '/shared': 0o777 });
    const { cloud } = await readCloud(prod, files);
    expect([cloud.file, cloud.entry.region_name]).toEqual(['/shared/clouds.yaml', 'R3']);
  });
});

describe('files holding credentials', () => {
  const withPassword = `clouds:\n  prod:\n    auth:\n      auth_url: http://ks:5000\n      password: ${SECRETS.password}\n`;

  it('warn when group or others can read them, like ssh does', async () => {
    const { warnings } = await readCloud(prod, io({ [USER_CLOUDS]: [withPassword, 0o644] }));
    expect(warnings).toEqual([`${USER_CLOUDS}: holds credentials but is accessible by group and others (mode 0644); run chmod 600 ${USER_CLOUDS}`]);
  });

  it('warn about secure.yaml on its own', async () => {
    const files = io({ [USER_CLOUDS]: [PROD, 0o644], '/etc/openstack/secure.yaml': [withPassword, 0o640] });
    expect((await readCloud(prod, files)).warnings).toEqual([
      '/etc/openstack/secure.yaml: holds credentials but is accessible by group (mode 0640); run chmod 600 /etc/openstack/secure.yaml',
    ]);
  });

  it('stay quiet for a private file, or a readable one without secrets', async () => {
    expect((await readCloud(prod, io({ [USER_CLOUDS]: [withPassword, 0o600] }))).warnings).toEqual([]);
    expect((await readCloud(prod, io({ [USER_CLOUDS]: [PROD, 0o644] }))).warnings).toEqual([]);
  });

  it('are recognised by any secret key at any depth', () => {
    expect(holdsSecret({ clouds: { a: { auth: { 'application-credential-secret': 'x' } } } })).toBe(true);
    expect(holdsSecret({ auth: { token: 'x' } })).toBe(true);
    expect(holdsSecret({ auth: { password: '' }, nodes: [{ name: 'a' }] })).toBe(false);
    expect(exposureWarning('/f', 0o100004)).toBe('/f: holds credentials but is accessible by others (mode 0004); run chmod 600 /f');
    expect(exposureWarning('/f', 0o100600)).toBeUndefined();
  });
});

describe('secrets', () => {
  it('never appear in an error of this file', () => {
    expectNoLeaks(seen, 30);
  });
});
