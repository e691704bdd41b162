/**
 * Who a run authenticates as, through main() against a fake Keystone: an explicit --os-cloud beats an admin
 * openrc left in the shell, and -v says so in one line naming each value's source, never the password.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeKeystone, type FakeKeystone } from '../helpers/fake-keystone.js';
import { runCli } from '../helpers/run-cli.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';

const MEMBER_PASSWORD = 'member-Pa55-word';
const ADMIN_PASSWORD = 'admin-Pa55-word';

let fleet: SimFleetOnDisk | undefined;
let keystone: FakeKeystone | undefined;
let dir: string | undefined;
afterEach(async () => {
  await fleet?.close();
  await keystone?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  fleet = keystone = dir = undefined;
});

async function setUp(): Promise<{ env: Record<string, string>; clouds: string }> {
  keystone = await startFakeKeystone({ tokenFor: () => 'admin-token' });
  fleet = await simFleetOnDisk({ tokens: { admin: ['admin-token'], member: [] } });
  dir = mkdtempSync(join(tmpdir(), 'glance-cache-auth-'));
  const clouds = join(dir, 'clouds.yaml');
  writeFileSync(
    clouds,
    ['clouds:', '  member:', '    auth:', `      auth_url: ${keystone.url}`, '      username: member', `      password: ${MEMBER_PASSWORD}`, '      project_name: demo', '      user_domain_name: Default', ''].join('\n'),
    { mode: 0o600 },
  );
  const env = {
    OS_CLIENT_CONFIG_FILE: clouds,
    OS_AUTH_URL: keystone.url,
    OS_USERNAME: 'admin',
    OS_PASSWORD: ADMIN_PASSWORD,
    OS_PROJECT_NAME: 'admin',
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
  };
  return { env, clouds };
}

const userOf = (body: unknown): unknown => (body as { auth: { identity: { password: { user: { name: string } } } } }).auth.identity.password.user.name;

describe('-v and the credential sources', () => {
  it('authenticates as the --os-cloud user despite admin OS_* variables, and prints one line saying so', async () => {
    const { env, clouds } = await setUp();
    const run = await runCli(['-i', fleet!.inventory, 'ls', '-a', '--os-cloud', 'member', '-v'], { env });
    expect(keystone!.requests.map(userOf)).toEqual(['member']);
    // Not a terminal: each log line starts with its time.
    const authLines = run.stderr.split('\n').filter((line) => line.includes('auth: ')).map((line) => line.replace(/^\S+Z /, ''));
    expect(authLines).toEqual([
      `auth: password; cloud "member" from --os-cloud, auth URL ${keystone!.url} from ${clouds}:4: clouds.member.auth.auth_url, ` +
        `user "member" from ${clouds}:5: clouds.member.auth.username, user domain "Default" from ${clouds}:8: clouds.member.auth.user_domain_name, ` +
        `project "demo" from ${clouds}:7: clouds.member.auth.project_name, project domain ID "default" from built-in default, ` +
        `password from ${clouds}:6: clouds.member.auth.password`,
    ]);
    expect(run.stderr).not.toContain(MEMBER_PASSWORD);
    expect(run.stderr).not.toContain(ADMIN_PASSWORD);
  });

  it('without --os-cloud the OS_* variables are used, and -v names them', async () => {
    const { env } = await setUp();
    const run = await runCli(['-i', fleet!.inventory, 'ls', '-a', '-v'], { env });
    expect(run.code).toBe(0);
    expect(keystone!.requests.map(userOf)).toEqual(['admin']);
    expect(run.stderr).toContain(`auth: password; auth URL ${keystone!.url} from OS_AUTH_URL, user "admin" from OS_USERNAME, user domain "Default" from OS_USER_DOMAIN_NAME`);
    expect(run.stderr).not.toContain(ADMIN_PASSWORD);
  });

  it('says nothing about auth without -v', async () => {
    const { env } = await setUp();
    const run = await runCli(['-i', fleet!.inventory, 'ls', '-a'], { env });
    expect(run.stderr).not.toContain('auth: ');
  });
});
