/**
 * Local files the operator did not choose are untrusted (issue 11), on the built bin as a real process:
 * configuration found by searching upwards is data, never code, and is used only when no other user
 * could have written it; a FIFO or a device given as an inventory, or lying at the code-cache path,
 * fails fast instead of hanging a run for good.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildDist } from '../helpers/build.js';
import { startFakeKeystone, type FakeKeystone } from '../helpers/fake-keystone.js';

const bin = new URL('../../bin/glance-cache.js', import.meta.url).pathname;
const asRoot = process.geteuid?.() === 0;
/** Far beyond a healthy run: a run still going then is hung, and is killed so the test can say so. */
const HUNG_MS = 20_000;

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  hung: boolean;
}

let root: string;
let shared: string;
let cwd: string;
let env: Record<string, string | undefined>;

function run(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<Finished> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd ?? cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, ...options.env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let hung = false;
  // SIGKILL: a run blocked opening a FIFO ignored SIGINT and SIGTERM.
  const timer = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, HUNG_MS);
  return once(child, 'exit').then(([code]) => {
    clearTimeout(timer);
    return { code: code as number | null, stdout, stderr, hung };
  });
}

const errorLines = (stderr: string): string[] => stderr.split('\n').filter((line) => line !== '');

beforeAll(buildDist);
beforeEach(() => {
  // root (the home directory, where the search stops) > shared (anyone may write there) > proj (cwd).
  root = mkdtempSync(join(tmpdir(), 'glance-cache-trust-'));
  shared = join(root, 'shared');
  cwd = join(shared, 'proj');
  mkdirSync(cwd, { recursive: true });
  chmodSync(shared, 0o1777);
  env = { ...process.env, NO_COLOR: '1', HOME: root, XDG_CACHE_HOME: join(root, 'cache') };
  delete env.XDG_CONFIG_HOME;
  delete env.GLANCE_CACHE_INVENTORY;
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('configuration found by searching upwards', () => {
  it('never runs JavaScript planted in a parent directory, on a run or on a TAB', async () => {
    const marker = join(root, 'planted-code-ran');
    const cjs = `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'pwned'); module.exports = { nodes: ['planted'] };\n`;
    for (const name of ['glance-cache.config.js', 'glance-cache.config.cjs', '.glance-cacherc.js', '.glance-cacherc.cjs']) writeFileSync(join(shared, name), cjs);
    writeFileSync(join(shared, 'glance-cache.config.mjs'), `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'pwned'); export default { nodes: ['planted'] };\n`);

    const listed = await run(['inventory']);
    expect(listed.code).toBe(2);
    expect(errorLines(listed.stderr)).toHaveLength(1);
    expect(listed.stderr).toMatch(/^error: inventory: none found: /);
    const tab = await run(['__complete', 'nodes', '']);
    expect([tab.code, tab.stdout, tab.stderr]).toEqual([0, '', '']);
    expect(existsSync(marker)).toBe(false);
  });

  it('offers no names on a TAB for a JavaScript inventory, even one given with -i, and never runs it', async () => {
    const marker = join(root, 'given-code-ran');
    const given = join(root, 'inventory.cjs');
    writeFileSync(given, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran'); module.exports = { nodes: ['given01'] };\n`);
    const tab = await run(['__complete', 'nodes', '', 'ls', '-i', given]);
    expect([tab.code, tab.stdout, existsSync(marker)]).toEqual([0, '', false]);
    // The operator chose it: a command does run it.
    expect((await run(['-i', given, 'inventory', '-o', 'value'])).stdout).toMatch(/^given01\b/);
  });

  describe('sends nothing to the nodes of a planted inventory', () => {
    let recorder: Server;
    let seen: IncomingHttpHeaders[];
    let planted: string;
    beforeEach(async () => {
      seen = [];
      recorder = createServer((request, response) => {
        seen.push(request.headers);
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"cached_images": [], "queued_images": []}');
      });
      await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
      planted = join(shared, '.glance-cacherc.yaml');
      writeFileSync(planted, `nodes:\n  - {name: attacker, url: "http://127.0.0.1:${(recorder.address() as AddressInfo).port}"}\n`, { mode: 0o644 });
    });
    afterEach(async () => {
      recorder.closeAllConnections();
      await new Promise((resolve) => recorder.close(resolve));
    });

    it.runIf(asRoot)('when another user owns it: one line naming the file and its owner, exit 2', async () => {
      chownSync(planted, 65534, 65534);
      const listed = await run(['ls', '-a', '--json'], { env: { OS_AUTH_TOKEN: 'operator-token-0123456789' } });
      expect(listed.code).toBe(2);
      expect(errorLines(listed.stderr)).toEqual([
        `error: ${planted}: refused: owned by nobody (uid 65534), not by you or root; another user may have put it there: give the inventory with -i if you trust it`,
      ]);
      expect(seen).toEqual([]);
      const tab = await run(['__complete', 'nodes', '']);
      expect([tab.code, tab.stdout, tab.stderr]).toEqual([0, '', '']);
    });

    it('when its group or others may write it, or its directory lets anyone replace it', async () => {
      chmodSync(planted, 0o666);
      const writable = await run(['ls', '-a', '--json'], { env: { OS_AUTH_TOKEN: 'operator-token-0123456789' } });
      expect(writable.code).toBe(2);
      expect(errorLines(writable.stderr)).toEqual([`error: ${planted}: refused: writable by group and others (mode 0666): run chmod go-w on it, or give the inventory with -i if you trust it`]);
      chmodSync(planted, 0o644);
      chmodSync(shared, 0o777);
      const replaceable = await run(['ls', '-a', '--json'], { env: { OS_AUTH_TOKEN: 'operator-token-0123456789' } });
      expect(replaceable.code).toBe(2);
      expect(errorLines(replaceable.stderr)).toEqual([
        `error: ${planted}: refused: its directory ${shared} is writable by anyone and not sticky (mode 0777), so anyone could replace it: give the inventory with -i if you trust it`,
      ]);
      expect(seen).toEqual([]);
    });
  });
});

describe('clouds.yaml found by searching', () => {
  const PASSWORD = 'operator-Passw0rd-in-secure-yaml';
  let keystone: FakeKeystone;
  let inventory: string;
  beforeEach(async () => {
    keystone = await startFakeKeystone();
    for (const name of Object.keys(env)) if (name.startsWith('OS_')) delete env[name];
    // The operator's own: an inventory given with -i, and the password for cloud "prod" in ~/.config/openstack/secure.yaml.
    inventory = join(root, 'inventory.yaml');
    writeFileSync(inventory, 'nodes: [{name: glance01, url: "http://127.0.0.1:9"}]\n', { mode: 0o600 });
    mkdirSync(join(root, '.config', 'openstack'), { recursive: true });
    writeFileSync(join(root, '.config', 'openstack', 'secure.yaml'), `clouds:\n  prod:\n    auth: { password: "${PASSWORD}" }\n`, { mode: 0o600 });
  });
  afterEach(async () => {
    await keystone.close();
  });

  it.runIf(asRoot)("when another user owns it, in the working directory: one line naming it and its owner, exit 2, the password goes nowhere", async () => {
    const planted = join(cwd, 'clouds.yaml');
    writeFileSync(planted, `clouds:\n  prod:\n    auth: { auth_url: "${keystone.url}", username: cache-admin, project_name: admin, user_domain_name: Default, project_domain_name: Default }\n`, { mode: 0o644 });
    chownSync(planted, 65534, 65534);
    const listed = await run(['-i', inventory, 'ls', '-a', '--json', '--os-cloud', 'prod']);
    expect([listed.code, errorLines(listed.stderr)]).toEqual([
      2,
      [`error: ${planted}: refused: owned by nobody (uid 65534), not by you or root; another user may have put it there: name it with OS_CLIENT_CONFIG_FILE if you trust it`],
    ]);
    expect(keystone.requests).toEqual([]);
    // Named by the operator, the same file is used: the refusal above is all that stood between the password and that auth_url.
    await run(['-i', inventory, 'ls', '-a', '--json', '--os-cloud', 'prod'], { env: { OS_CLIENT_CONFIG_FILE: planted } });
    expect(JSON.stringify(keystone.requests)).toContain(PASSWORD);
  });

  it('a FIFO clouds.yaml fails at once with exit 2, not a hang', async () => {
    const fifo = join(cwd, 'clouds.yaml');
    execFileSync('mkfifo', ['-m', '600', fifo]);
    const listed = await run(['-i', inventory, 'ls', '-a', '--os-cloud', 'prod']);
    expect([listed.hung, listed.code, errorLines(listed.stderr)]).toEqual([false, 2, [`error: ${fifo}: cannot read: is a named pipe (FIFO), not a regular file`]]);
    expect(keystone.requests).toEqual([]);
  });
});

describe('files that are not regular files', () => {
  it('a FIFO as inventory fails at once with exit 2, not a hang', async () => {
    const fifo = join(root, 'inventory.yaml');
    execFileSync('mkfifo', [fifo]);
    const listed = await run(['-i', fifo, 'ls', '-a']);
    expect(listed.hung).toBe(false);
    expect([listed.code, errorLines(listed.stderr)]).toEqual([2, [`error: ${fifo}: cannot read: is a named pipe (FIFO), not a regular file`]]);
    const tab = await run(['__complete', 'nodes', '', '-i', fifo]);
    expect([tab.hung, tab.code, tab.stdout]).toEqual([false, 0, '']);
  });

  it('/dev/zero as inventory is refused before a byte is read, exit 2', async () => {
    const listed = await run(['-i', '/dev/zero', 'ls', '-a']);
    expect([listed.hung, listed.code, errorLines(listed.stderr)]).toEqual([false, 2, ['error: /dev/zero: cannot read: is a character device, not a regular file']]);
  });
});
