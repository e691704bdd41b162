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

/**
 * A node of its own making that echoes the token it was sent wherever it can: in the names the images API
 * gives, and at the very end of a 200-character line of the error it answers every DELETE with, which a
 * cut made before scrubbing would keep the head of.
 */
function startEchoNode(imageId: string): Promise<Server> {
  const server = createServer((request, response) => {
    const token = String(request.headers['x-auth-token']);
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const path = request.url ?? '/';
    if (request.method === 'GET' && path === '/v2/cache') {
      return json(200, { cached_images: [{ image_id: imageId, hits: 0, last_accessed: 1_764_900_000, last_modified: 1_764_900_000, size: 1024 * 1024 }], queued_images: [] });
    }
    if (request.method === 'GET' && path.startsWith('/v2/images?')) return json(200, { images: [{ id: imageId, name: `golden-${token}`, status: 'active', size: 1024 * 1024 }] });
    json(500, { message: `${'x'.repeat(170)} token ${token} rejected`, code: 500, title: 'Internal Server Error' });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Each secret as raw text, JSON-escaped and URL-encoded, and the first 12 characters of it (a cut line). */
function traces(secrets: Record<string, string>): [string, string][] {
  return Object.entries(secrets).flatMap(([name, secret]) =>
    [...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), secret.slice(0, 12)])].map((form): [string, string] => [name, form]),
  );
}

function tracesIn(text: string, secrets: Record<string, string>): string[] {
  return traces(secrets)
    .filter(([, form]) => text.includes(form))
    .map(([name, form]) => `${name} as ${JSON.stringify(form)}`);
}

describe('every sink, against an echoing node and awkward secrets', () => {
  it('stdout, stderr, --debug, --summary, metrics and the completion cache hold no trace of a token echoed in image names and cut error lines', async () => {
    const id = '3f0a7d2e-5c1b-4e8a-9d6f-0b1c2d3e4f50';
    const node = await startEchoNode(id);
    const dir = mkdtempSync(join(tmpdir(), 'glance-cache-sinks-'));
    try {
      const inventory = join(dir, 'echo.yaml');
      writeFileSync(inventory, `nodes:\n  - { name: echo02, url: "http://127.0.0.1:${(node.address() as AddressInfo).port}", max_size: 1KiB }\n`, { mode: 0o600 });
      const summary = join(dir, 'summary.json');
      const metrics = join(dir, 'prune.prom');
      const runs = [
        await runCli(['-i', inventory, 'ls', '-a', '--json', '--debug'], { env: passwordEnv(), home: dir, cwd: dir }),
        await runCli(['-i', inventory, 'ls', '-a', '-o', 'csv', '-v'], { env: passwordEnv(), home: dir, cwd: dir }),
        await runCli(['-i', inventory, 'prune', '-a', '--yes', '--json', '--debug', '--lock', join(dir, 'p.lock'), '--summary', summary, '--metrics-file', metrics], { env: passwordEnv(), home: dir, cwd: dir }),
      ];
      // The echo reached every sink: names in the listing and the plan, the cut error in the outcome.
      expect(runs[0]!.stdout).toContain('golden-<redacted>');
      expect(runs[2]!.code).toBe(4);
      expect(runs[2]!.stderr).toMatch(/error: echo02: HTTP 500: x+ token <redacted> rejected/);
      expect(readFileSync(summary, 'utf8')).toContain('golden-<redacted>');
      const files = walk(dir).filter((file) => file !== inventory);
      expect(files.map((file) => file.slice(dir.length + 1)).sort()).toEqual(['.cache/glance-cache/images-' + files.find((file) => file.includes('images-'))!.split('images-')[1], 'prune.prom', 'summary.json'].sort());
      const found = [
        ...runs.flatMap((run, index) => [...tracesIn(run.stdout, SECRETS).map((trace) => `run ${index} stdout: ${trace}`), ...tracesIn(run.stderr, SECRETS).map((trace) => `run ${index} stderr: ${trace}`)]),
        ...files.flatMap((file) => tracesIn(readFileSync(file, 'utf8'), SECRETS).map((trace) => `${file}: ${trace}`)),
      ];
      expect(found).toEqual([]);
      expect(statSync(summary).mode & 0o777).toBe(0o600);
      expect(statSync(metrics).mode & 0o777).toBe(0o600);
    } finally {
      node.closeAllConnections();
      await new Promise((resolve) => node.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a token echoed across the cuts of an image name (255) and of an ID that is not one (80) leaves no head anywhere', async () => {
    const id = '3f0a7d2e-5c1b-4e8a-9d6f-0b1c2d3e4f51';
    // The node puts the token it was sent 14 characters before each cut: in the name the images API
    // gives, and in a second cache entry's image_id, which prune must refuse to put into a URL.
    const node = createServer((request, response) => {
      const token = String(request.headers['x-auth-token']);
      const json = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      const path = request.url ?? '/';
      const entry = (imageId: string) => ({ image_id: imageId, hits: 0, last_accessed: 1_764_900_000, last_modified: 1_764_900_000, size: 1024 * 1024 });
      if (request.method === 'GET' && path === '/v2/cache') return json(200, { cached_images: [entry(id), entry(`${'x'.repeat(65)}${token}${'x'.repeat(20)}`)], queued_images: [] });
      if (request.method === 'GET' && path.startsWith('/v2/images?')) return json(200, { images: [{ id, name: `${'n'.repeat(240)}${token}${'n'.repeat(100)}`, status: 'active', size: 1024 * 1024 }] });
      json(204, {});
    });
    await new Promise<void>((resolve) => node.listen(0, '127.0.0.1', resolve));
    const dir = mkdtempSync(join(tmpdir(), 'glance-cache-cuts-'));
    try {
      const inventory = join(dir, 'echo.yaml');
      writeFileSync(inventory, `nodes:\n  - { name: echo03, url: "http://127.0.0.1:${(node.address() as AddressInfo).port}", max_size: 1KiB }\n`, { mode: 0o600 });
      const summary = join(dir, 'summary.json');
      const listed = await runCli(['-i', inventory, 'ls', '-a', '--json'], { env: passwordEnv(), home: dir, cwd: dir });
      const pruned = await runCli(['-i', inventory, 'prune', '-a', '--yes', '--json', '--lock', join(dir, 'p.lock'), '--summary', summary], { env: passwordEnv(), home: dir, cwd: dir });
      expect(listed.code).toBe(0);
      expect(listed.stdout).toContain(`${'n'.repeat(240)}<redacted>nnnn…`);
      expect(pruned.stderr).toContain(`"${'x'.repeat(65)}<redacted>xxxx…" is not an image ID (UUID), so it is not sent to the node`);
      const texts = { 'ls stdout': listed.stdout, 'ls stderr': listed.stderr, 'prune stdout': pruned.stdout, 'prune stderr': pruned.stderr, summary: readFileSync(summary, 'utf8') };
      expect(Object.entries(texts).flatMap(([what, text]) => tracesIn(text, SECRETS).map((trace) => `${what}: ${trace}`))).toEqual([]);
    } finally {
      node.closeAllConnections();
      await new Promise((resolve) => node.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a password holding " and \\ is scrubbed from a Keystone error that quotes it JSON-escaped', async () => {
    const password = 'pa"ss\\wo-rd-S3cret';
    keystone.setFaults({ status: 400, echoBody: true });
    try {
      const run = await runCli(['-i', fleet.inventory, 'ls', '-a', '--json', '--debug'], { env: { ...passwordEnv(), OS_PASSWORD: password }, home, cwd: home });
      expect(run.code).toBe(4);
      expect(run.stderr).toMatch(/Invalid input: .*"password":"<redacted>"/);
      expect(tracesIn(run.stdout + run.stderr, { password })).toEqual([]);
    } finally {
      keystone.setFaults({});
    }
  });

  it("a password Keystone quotes as Python's JSON writes it (\\u00e4), across the cut of its error line or holding <&>, leaves no piece on stderr", async () => {
    // Keystone is Python: json.dumps escapes every non-ASCII character. `pad` puts the password across the 200-character cut.
    const python = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const password = (JSON.parse(body) as { auth: { identity: { password: { user: { password: string } } } } }).auth.identity.password.user.password;
        const pad = Number(/^\/pad(\d+)\//.exec(request.url ?? '')?.[1]);
        const message = `${'x'.repeat(pad)} Invalid password ${password} for user`;
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { code: 400, title: 'Bad Request', message } }).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`));
      });
    });
    await new Promise<void>((resolve) => python.listen(0, '127.0.0.1', resolve));
    const port = (python.address() as AddressInfo).port;
    try {
      for (const [password, pad] of [['pässwörd-S3cret-ünï', 168], ['pässwörd-S3cret-ünï', 0], [`pa"ss\\word-ünï<&>'xyz`, 0], [`pa"ss\\word-ünï<&>'xyz`, 170]] as const) {
        const env = { ...passwordEnv(), OS_AUTH_URL: `http://127.0.0.1:${port}/pad${pad}/v3`, OS_PASSWORD: password };
        const run = await runCli(['-i', fleet.inventory, 'ls', '-a', '--json', '--debug'], { env, home, cwd: home });
        expect(run.code).toBe(4);
        expect(run.stderr).toMatch(/HTTP 400: x* ?Invalid password <redacted>/);
        const pieces = [...Array(password.length - 5).keys()].map((start) => password.slice(start, start + 6));
        expect(pieces.filter((piece) => (run.stdout + run.stderr).includes(piece))).toEqual([]);
      }
    } finally {
      python.closeAllConnections();
      await new Promise((resolve) => python.close(resolve));
    }
  });

  it('a password too short to scrub (2026) leaves the timestamps whole, with one warning', async () => {
    const run = await runCli(['-i', fleet.inventory, 'ls', '-a', '--json'], { env: { ...passwordEnv(), OS_PASSWORD: '2026' }, home, cwd: home });
    expect(run.code).toBe(0);
    const images = (JSON.parse(run.stdout) as { images: { last_accessed: string | null }[] }).images;
    expect(images.some((image) => image.last_accessed?.startsWith('2026-'))).toBe(true);
    expect(run.stdout).not.toContain('<redacted>');
    expect(run.stderr.match(/warning: .*/g)).toEqual([expect.stringMatching(/warning: the password from OS_\* environment is shorter than 8 characters, .* it is not; use a longer one$/)]);
  });

  it("OS_AUTH_TOKEN='null,' keeps -o json valid", async () => {
    const nulls = await simFleetOnDisk({ tokens: { admin: ['null,'], member: [] } });
    try {
      const run = await runCli(['-i', nulls.inventory, 'ls', '-a', '-o', 'json'], { env: { OS_AUTH_TOKEN: 'null,' }, home, cwd: home });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('null,');
      const document = JSON.parse(run.stdout) as { images: unknown[]; nodes: { ok: boolean }[] };
      expect(document.nodes.every((node) => node.ok)).toBe(true);
      expect(document.images.length).toBeGreaterThan(0);
      expect(run.stderr).toMatch(/warning: the token from OS_\* environment is shorter than 8 characters/);
    } finally {
      await nulls.close();
    }
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
