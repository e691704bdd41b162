/**
 * TLS is verified by default: a simulated node behind a certificate from a CA made here with openssl.
 * Without the CA the node is refused in one line; --cacert, a node's own `cacert:` and --insecure (with
 * its warning) each let the listing through.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimNode, type SimNode } from '../../src/sim/index.js';
import { insecureWarning, nodeTls } from '../../src/cli/factory.js';
import { insecureImagesApis } from '../../src/cli/insecure-images.js';
import { runCli } from '../helpers/run-cli.js';

let dir: string;
let node: SimNode;
let plain: SimNode;
const caFile = () => join(dir, 'ca.pem');

function openssl(args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function inventory(name: string, lines: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, [...lines, 'auth: { type: none }', ''].join('\n'), { mode: 0o600 });
  return file;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glance-cache-tls-'));
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=glance-cache test CA']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'node.key', '-out', 'node.csr', '-subj', '/CN=localhost']);
  writeFileSync(join(dir, 'san.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(['x509', '-req', '-in', 'node.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'node.pem', '-days', '2', '-extfile', 'san.cnf']);
  const tls = { key: readFileSync(join(dir, 'node.key'), 'utf8'), cert: readFileSync(join(dir, 'node.pem'), 'utf8') };
  node = await startSimNode({ name: 'secure01', tls });
  node.readImage(node.catalog.add({ name: 'cirros', size: 1024 }).id);
  plain = await startSimNode({ name: 'plain01' });
});

afterAll(async () => {
  await node?.close();
  await plain?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a node behind TLS', () => {
  it('serves https', () => {
    expect(node.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('is refused without its CA: one line naming the node and the TLS cause, exit 4, nothing listed', async () => {
    const run = await runCli(['-i', inventory('bare.yaml', ['nodes:', `  - { name: secure01, url: "${node.url}" }`]), 'ls', '-a', '--json']);
    expect(run.code).toBe(4);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`error: secure01 \\(${node.url}\\): TLS error: UNABLE_TO_VERIFY_LEAF_SIGNATURE`));
    expect((JSON.parse(run.stdout) as { nodes: { ok: boolean }[] }).nodes).toMatchObject([{ ok: false }]);
    expect(node.requests).toHaveLength(0);
  });

  it('is listed with --cacert', async () => {
    const run = await runCli(['-i', inventory('flag.yaml', ['nodes:', `  - { name: secure01, url: "${node.url}" }`]), 'ls', '-a', '--json', '--cacert', caFile()]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { images: { cached_on: string[] }[] }).images).toMatchObject([{ cached_on: ['secure01'] }]);
  });

  it("is listed with the node's own cacert: in the inventory (a path relative to the inventory)", async () => {
    const file = inventory('per-node.yaml', ['nodes:', `  - { name: secure01, url: "${node.url}", cacert: ca.pem }`, `  - { name: plain01, url: "${plain.url}" }`]);
    const run = await runCli(['-i', file, 'ls', '-a', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it("lets a node's cacert: win over a wrong --cacert", async () => {
    const file = inventory('per-node-wins.yaml', ['nodes:', `  - { name: secure01, url: "${node.url}", cacert: ca.pem }`]);
    const run = await runCli(['-i', file, 'ls', '-a', '--json', '--cacert', join(dir, 'node.pem')]);
    expect(run.code).toBe(0);
  });

  it('is listed with --insecure, which warns in one line on every run', async () => {
    const file = inventory('insecure.yaml', ['nodes:', `  - { name: secure01, url: "${node.url}" }`]);
    for (let run = 0; run < 2; run++) {
      const result = await runCli(['-i', file, 'ls', '-a', '--json', '--insecure']);
      expect(result.code).toBe(0);
      expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/warning: TLS certificate verification is off for every node \(--insecure\)/)]);
    }
    // Quiet does not hide it: it is a warning about the run's safety, not chatter.
    const quiet = await runCli(['-i', file, 'ls', '-a', '--json', '--insecure', '-q']);
    expect(quiet.stderr).toMatch(/verification is off/);
  });

  it("--insecure names an https images_url in its warning: name lookups go there with the nodes' TLS settings", async () => {
    const file = inventory('insecure-images.yaml', ['nodes:', `  - { name: plain01, url: "${plain.url}" }`, `images_url: "${node.url}"`]);
    const lookups = node.requests.length;
    const result = await runCli(['-i', file, 'ls', '-a', '--json', '--insecure']);
    expect(result.code).toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/ warning: /)]);
    expect(result.stderr).toContain(`warning: TLS certificate verification is off for every node (--insecure) and the images API ${node.url} (--insecure): anyone on the network path can read the token`);
    expect(node.requests.length).toBeGreaterThan(lookups);
  });

  it('stays verified under --os-insecure and OS_INSECURE, which are Keystone\'s alone, and the warning names the one used', async () => {
    // Token auth, not the noauth of the other inventories here: Keystone settings apply only with credentials.
    const file = join(dir, 'keystone-insecure.yaml');
    writeFileSync(file, `nodes:\n  - { name: secure01, url: "${node.url}" }\n`, { mode: 0o600 });
    const token = ['--os-token', 'gAAAAA-test-token'];
    const before = node.requests.length;
    const viaFlag = await runCli(['-i', file, 'ls', '-a', '--json', ...token, '--os-insecure']);
    const viaEnv = await runCli(['-i', file, 'ls', '-a', '--json', ...token], { env: { OS_INSECURE: 'true' } });
    for (const [run, used] of [[viaFlag, '--os-insecure'], [viaEnv, 'OS_INSECURE']] as const) {
      expect(run.code).toBe(4);
      expect(run.stderr).toContain(`warning: TLS certificate verification is off for Keystone (${used}): `);
      expect(run.stderr).not.toMatch(/every node|--insecure\b/);
      expect(run.stderr).toMatch(/error: secure01 \(.*\): TLS error: UNABLE_TO_VERIFY_LEAF_SIGNATURE/);
    }
    expect(node.requests).toHaveLength(before);
  });

  it('refuses a CA bundle that cannot be read before sending anything: exit 2 naming the file', async () => {
    const missing = join(dir, 'no-such-ca.pem');
    const before = plain.requests.length;
    const run = await runCli(['-i', inventory('missing-ca.yaml', ['nodes:', `  - { name: plain01, url: "${plain.url}" }`]), 'ls', '-a', '--cacert', missing]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(missing);
    expect(plain.requests).toHaveLength(before);
  });

  it('refuses a --cacert that is not a PEM bundle of certificates before sending anything: exit 2 naming the file', async () => {
    const garbled = join(dir, 'garbled.pem');
    writeFileSync(garbled, '-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n');
    const file = inventory('non-pem.yaml', ['nodes:', `  - { name: plain01, url: "${plain.url}" }`]);
    const before = plain.requests.length;
    for (const [bundle, reason] of [
      [join(dir, 'node.key'), 'it holds no "-----BEGIN CERTIFICATE-----" block'],
      [join(dir, 'san.cnf'), 'it holds no "-----BEGIN CERTIFICATE-----" block'],
      [garbled, 'certificate 1 of 1 cannot be read'],
    ]) {
      const run = await runCli(['-i', file, 'ls', '-a', '--cacert', bundle!]);
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(`error: ${bundle}: is not a PEM CA bundle: ${reason}`)]);
    }
    expect(plain.requests).toHaveLength(before);
  });

  it('reads a --cacert as the inventory is read: a FIFO, a file over 16 MiB or a device is exit 2 at once, naming the file', async () => {
    const fifo = join(dir, 'ca-fifo.pem');
    execFileSync('mkfifo', [fifo]);
    const huge = join(dir, 'ca-huge.pem');
    writeFileSync(huge, '');
    truncateSync(huge, 17 * 1024 * 1024);
    const cases: [string, string][] = [
      [fifo, 'is a named pipe (FIFO), not a regular file'],
      [huge, 'is larger than 16 MiB, too large for a configuration file'],
    ];
    // /dev/zero's own numbers, made here: the test never hands a real device to the CLI.
    if (process.getuid?.() === 0) {
      const zero = join(dir, 'ca-zero.pem');
      execFileSync('mknod', [zero, 'c', '1', '5']);
      cases.push([zero, 'is a character device, not a regular file']);
    }
    const file = inventory('special-ca.yaml', ['nodes:', `  - { name: plain01, url: "${plain.url}" }`]);
    const before = plain.requests.length;
    for (const [bundle, reason] of cases) {
      const run = await runCli(['-i', file, 'ls', '-a', '--cacert', bundle]);
      expect(run.code).toBe(2);
      expect(run.stderr).toBe(`error: ${bundle}: cannot read this CA bundle: ${reason}\n`);
    }
    expect(plain.requests).toHaveLength(before);
  });
});

describe('nodeTls and insecureWarning', () => {
  const spec = { caFile: undefined, insecure: undefined };
  it('takes the node, then the flags, then the cloud', () => {
    expect(nodeTls({ ...spec, caFile: '/n.pem' } as never, { cacert: '/flag.pem', insecure: false }, { cacert: '/cloud.pem' })).toEqual({ caFile: '/n.pem', insecure: false });
    expect(nodeTls(spec as never, { cacert: '/flag.pem', insecure: false }, { cacert: '/cloud.pem' })).toEqual({ caFile: '/flag.pem', insecure: false });
    expect(nodeTls(spec as never, { cacert: undefined, insecure: false }, { cacert: '/cloud.pem' })).toEqual({ caFile: '/cloud.pem', insecure: false });
    expect(nodeTls({ ...spec, insecure: false } as never, { cacert: undefined, insecure: true }, undefined)).toEqual({ caFile: undefined, insecure: false });
  });

  it('names what is exposed and the setting that did it, folding node names', () => {
    expect(insecureWarning([], 3, undefined, false, [])).toBeUndefined();
    expect(insecureWarning([], 3, 'OS_INSECURE', false, [])).toMatch(/off for Keystone \(OS_INSECURE\): /);
    expect(insecureWarning(['g01', 'g02'], 3, undefined, false, [])).toMatch(/off for nodes g\[01-02\] \(insecure: in the inventory\): /);
    expect(insecureWarning(['g01', 'g02', 'g03'], 3, '--os-insecure', true, [])).toMatch(/off for Keystone \(--os-insecure\) and every node \(--insecure\): /);
    expect(insecureWarning(['g01'], 3, '--os-insecure', true, ['https://images.example:9292'])).toMatch(
      /off for Keystone \(--os-insecure\), node g01 \(--insecure\) and the images API https:\/\/images\.example:9292 \(--insecure\): /,
    );
  });

  it('finds the https images APIs that name lookups reach through an unverified node', () => {
    const at = (name: string, extra: Record<string, unknown> = {}) => ({ name, url: `https://${name}:9292`, ...extra }) as never;
    const nodes = [at('g01', { insecure: true }), at('g02', { imagesUrl: 'https://own.example/image' }), at('g03', { imagesUrl: 'http://plain.example' })];
    const insecure = (node: { insecure?: boolean }) => node.insecure === true;
    expect(insecureImagesApis(nodes, 'https://images.example:9292/v2', insecure)).toEqual(['https://images.example:9292']);
    expect(insecureImagesApis(nodes, 'https://images.example', () => true)).toEqual(['https://images.example', 'https://own.example']);
    // Without an images_url each node answers its own lookups: no images API apart from the nodes.
    expect(insecureImagesApis([at('g01', { insecure: true })], undefined, insecure)).toEqual([]);
    expect(insecureImagesApis(nodes, 'https://images.example', () => false)).toEqual([]);
  });
});
