/**
 * Secrets never reach an output: a representative set of invocations (listing, acting, debug, every
 * format, Keystone and node failures, a node that echoes the token back) is run in-process and through the
 * built bin with known test secrets, and every byte of stdout, stderr and every file written under the
 * run's home is searched for them.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist } from '../helpers/build.js';
import { startFakeKeystone, type FakeKeystone } from '../helpers/fake-keystone.js';
import { runCli, type CliRun } from '../helpers/run-cli.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';

const SECRETS = {
  password: 'S3cret-Passw0rd-for-tests',
  appSecret: 'app-cred-S3cret-xyzzy-42',
  issued: 'gAAAAA-issued-token-0001',
  renewed: 'gAAAAA-issued-token-0002',
  fixed: 'gAAAAA-fixed-token-from-env',
};
const bin = new URL('../../bin/glance-cache.js', import.meta.url).pathname;

let keystone: FakeKeystone;
let fleet: SimFleetOnDisk;
let echo: Server;
let home: string;
let withEcho: string;
let inventoryWithAuth: string;
const outputs: { what: string; text: string }[] = [];

function record(what: string, run: CliRun): CliRun {
  outputs.push({ what: `${what} (stdout)`, text: run.stdout }, { what: `${what} (stderr)`, text: run.stderr });
  return run;
}

function leaks(text: string): string[] {
  return Object.entries(SECRETS)
    .filter(([, secret]) => text.includes(secret))
    .map(([name]) => name);
}

const passwordEnv = () => ({
  OS_AUTH_URL: keystone.url,
  OS_USERNAME: 'cache-admin',
  OS_PASSWORD: SECRETS.password,
  OS_PROJECT_NAME: 'admin',
  OS_USER_DOMAIN_NAME: 'Default',
  OS_PROJECT_DOMAIN_NAME: 'Default',
});

const cli = (what: string, args: string[], env: Record<string, string> = passwordEnv(), extra: { tty?: boolean } = {}) =>
  runCli(args, { env, home, cwd: home, ...extra }).then((run) => record(what, run));

beforeAll(async () => {
  buildDist();
  home = mkdtempSync(join(tmpdir(), 'glance-cache-secrets-'));
  keystone = await startFakeKeystone({ tokenFor: (index) => (index === 0 ? SECRETS.issued : SECRETS.renewed) });
  fleet = await simFleetOnDisk({ tokens: { admin: [SECRETS.issued, SECRETS.renewed, SECRETS.fixed], member: [] } });
  // A hostile node: every answer is an error quoting the token it was sent, in the message and the title.
  echo = createServer((request, response) => {
    const token = String(request.headers['x-auth-token']);
    response.writeHead(500, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ message: `token ${token} rejected`, title: token, code: 500 }));
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const echoUrl = `http://127.0.0.1:${(echo.address() as AddressInfo).port}`;
  const nodes = fleet.nodes.map((node) => `  - { name: ${node.name}, url: "${node.url}" }`);
  withEcho = join(home, 'with-echo.yaml');
  writeFileSync(withEcho, ['nodes:', ...nodes, `  - { name: echo01, url: "${echoUrl}" }`, ''].join('\n'), { mode: 0o600 });
  inventoryWithAuth = join(home, 'with-auth.yaml');
  writeFileSync(
    inventoryWithAuth,
    ['nodes:', ...nodes, 'auth:', `  auth_url: ${keystone.url}`, '  username: cache-admin', `  password: ${SECRETS.password}`, '  project_name: admin', '  user_domain_name: Default', '  project_domain_name: Default', ''].join('\n'),
    { mode: 0o600 },
  );
  writeFileSync(
    join(home, 'clouds.yaml'),
    [
      'clouds:',
      '  appcred:',
      '    auth_type: v3applicationcredential',
      `    auth: { auth_url: "${keystone.url}", application_credential_id: ac-1, application_credential_secret: "${SECRETS.appSecret}" }`,
      '  pw:',
      `    auth: { auth_url: "${keystone.url}", username: cache-admin, password: "${SECRETS.password}", project_name: admin, user_domain_name: Default, project_domain_name: Default }`,
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
});

afterAll(async () => {
  await fleet?.close();
  await keystone?.close();
  echo?.closeAllConnections();
  await new Promise((resolve) => echo?.close(resolve));
  rmSync(home, { recursive: true, force: true });
});

describe('no secret in any output', () => {
  it('listing in every format, with --debug and -v, password from the environment', async () => {
    for (const format of ['json', 'yaml', 'table', 'csv', 'tsv', 'value']) {
      const run = await cli(`ls -o ${format}`, ['-i', fleet.inventory, 'ls', '-a', '-o', format, '--debug', '-v']);
      expect(run.code).toBe(0);
    }
    expect(outputs.some((output) => output.text.includes('debug: POST'))).toBe(true);
  });

  it('nodes and where with an application credential and with a fixed token', async () => {
    expect((await cli('nodes appcred', ['-i', fleet.inventory, 'nodes', '-a', '--debug', '--os-cloud', 'appcred'], {})).code).toBe(0);
    const name = fleet.catalog.find(fleet.nodes[0]!.state().cached[0]!.id)?.name ?? 'x';
    expect((await cli('where token', ['-i', fleet.inventory, 'where', name, '-a', '--debug', '--os-token', SECRETS.fixed], {})).code).toBe(0);
    expect((await cli('ls OS_AUTH_TOKEN', ['-i', fleet.inventory, 'ls', '-a', '--json', '--debug'], { OS_AUTH_TOKEN: SECRETS.fixed })).code).toBe(0);
  });

  it('credentials held in the inventory itself, and the inventory command', async () => {
    expect((await cli('ls inventory auth', ['-i', inventoryWithAuth, 'ls', '-a', '--debug'], {})).code).toBe(0);
    expect((await cli('inventory', ['-i', inventoryWithAuth, 'inventory', '-o', 'json', '--debug'], {})).code).toBe(0);
    expect((await cli('inventory --check', ['-i', inventoryWithAuth, 'inventory', '--check'], {})).code).toBe(0);
  });

  it('Keystone refusing, failing, quoting the secrets back, and hanging', async () => {
    keystone.setFaults({ status: 401 });
    expect((await cli('keystone 401', ['-i', fleet.inventory, 'ls', '-a', '--debug'])).code).toBe(4);
    keystone.setFaults({ status: 400, echoBody: true });
    const quoted = await cli('keystone 400 pw', ['-i', fleet.inventory, 'ls', '-a', '--debug']);
    expect(quoted.code).toBe(4);
    expect(quoted.stderr).toMatch(/Invalid input: .*"password":"<redacted>"/);
    expect((await cli('keystone 400 appcred', ['-i', fleet.inventory, 'nodes', '-a', '--debug', '--os-cloud', 'appcred'], {})).code).toBe(4);
    keystone.setFaults({ hang: true });
    expect((await cli('keystone hang', ['-i', fleet.inventory, 'ls', '-a', '--debug', '--timeout', '500ms'])).code).toBe(4);
    keystone.setFaults({});
  });

  it('nodes refusing the token, and a node that echoes the token in its errors, in every format', async () => {
    expect((await cli('fixed token refused', ['-i', fleet.inventory, 'ls', '-a', '--debug', '--os-token', 'some-other-token-1234'], {})).code).toBe(4);
    for (const format of ['json', 'yaml', 'table', 'csv', 'tsv', 'value']) {
      const run = await cli(`echo node -o ${format}`, ['-i', withEcho, 'nodes', '-a', '-o', format, '--debug', '--os-token', SECRETS.fixed], {}, { tty: format === 'table' });
      expect(run.code).toBe(3);
      expect(run.stdout + run.stderr).toContain('<redacted>');
    }
    expect((await cli('echo node ls', ['-i', withEcho, 'ls', '-a', '--json', '--debug'])).code).toBe(3);
  });

  it('acting commands: plan, dry run and outcome', async () => {
    const id = fleet.nodes[0]!.state().cached[0]!.id;
    await cli('queue dry-run', ['-i', fleet.inventory, 'queue', id, '-a', '--dry-run', '--json', '--debug']);
    await cli('queue', ['-i', fleet.inventory, 'queue', id, '-a', '--yes', '--json', '--debug']);
    await cli('purge', ['-i', withEcho, 'purge', id, '-a', '--yes', '--json', '--debug', '--os-token', SECRETS.fixed], {});
  });

  it('through the built bin, with --debug, on success and on failure', async () => {
    const runBin = async (what: string, args: string[], env: Record<string, string>) => {
      const child = spawn(process.execPath, [bin, ...args], { cwd: home, env: { PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1', ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = (await once(child, 'close')) as [number];
      record(what, { code, stdout, stderr });
      return code;
    };
    expect(await runBin('bin ls', ['-i', fleet.inventory, 'ls', '-a', '--json', '--debug'], passwordEnv())).toBe(0);
    expect(await runBin('bin echo', ['-i', withEcho, 'ls', '-a', '--debug'], passwordEnv())).toBe(3);
    keystone.setFaults({ status: 401 });
    expect(await runBin('bin keystone 401', ['-i', fleet.inventory, 'ls', '-a', '--debug'], passwordEnv())).toBe(4);
    keystone.setFaults({});
    expect(await runBin('bin token flag', ['-i', withEcho, 'nodes', '-a', '--debug', '--os-token', SECRETS.fixed], {})).toBe(3);
  });

  it('holds for everything above, and for every file the runs wrote under their home', () => {
    expect(outputs.length).toBeGreaterThan(40);
    const leaked = outputs.flatMap((output) => leaks(output.text).map((secret) => `${output.what}: ${secret}`));
    expect(leaked).toEqual([]);
    // The fixtures hold secrets on purpose; anything else written (completion caches) must not.
    const fixtures = new Set(['with-echo.yaml', 'with-auth.yaml', 'clouds.yaml']);
    const written = walk(home).filter((file) => !fixtures.has(file.slice(home.length + 1)));
    expect(written.length).toBeGreaterThan(0);
    expect(written.flatMap((file) => leaks(readFileSync(file, 'utf8')).map((secret) => `${file}: ${secret}`))).toEqual([]);
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
