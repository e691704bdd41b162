/**
 * Like ssh with a private key: an inventory, clouds.yaml or secure.yaml that holds a secret and that group
 * or others can read gets a one-line warning naming the file and the fix; the run goes on.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeKeystone, type FakeKeystone } from '../helpers/fake-keystone.js';
import { runCli } from '../helpers/run-cli.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';
import { errorLines } from '../faults/support.js';

let dir: string;
let keystone: FakeKeystone;
let fleet: SimFleetOnDisk;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glance-cache-exposure-'));
  keystone = await startFakeKeystone();
  fleet = await simFleetOnDisk({ tokens: { admin: Array.from({ length: 50 }, (_, index) => `fake-token-${index + 1}`), member: [] } });
});

afterAll(async () => {
  await fleet.close();
  await keystone.close();
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, lines: string[], mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, [...lines, ''].join('\n'));
  chmodSync(path, mode);
  return path;
}

const nodeLines = () => ['nodes:', ...fleet.nodes.map((node) => `  - { name: ${node.name}, url: "${node.url}" }`)];
const passwordAuth = () => ['auth:', `  auth_url: ${keystone.url}`, '  username: admin', '  password: inventory-Secret-pw', '  project_name: admin'];

describe('an inventory holding a secret', () => {
  it.each(['644', '640', '604'])('readable by group or others (mode 0%s): one warning naming the file and chmod 600, and the run works', async (octal) => {
    const mode = Number.parseInt(octal, 8);
    const inventory = file(`open-${octal}.yaml`, [...nodeLines(), ...passwordAuth()], mode);
    const run = await runCli(['-i', inventory, 'ls', '-a', '--json']);
    expect(run.code).toBe(0);
    expect(errorLines(run.stderr)).toEqual([`warning: ${inventory}: holds a secret under auth: but is readable by group or others (mode 0${octal}); run chmod 600 ${inventory}`]);
    expect(run.stderr).not.toContain('inventory-Secret-pw');
  });

  it('readable by its owner only: no warning', async () => {
    const run = await runCli(['-i', file('closed.yaml', [...nodeLines(), ...passwordAuth()], 0o600), 'ls', '-a', '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('open to all but holding no secret (a cloud name): no warning', async () => {
    const clouds = file('clouds-closed.yaml', ['clouds:', `  prod: { auth: { auth_url: "${keystone.url}", username: admin, password: pw-in-clouds, project_name: admin } }`], 0o600);
    const run = await runCli(['-i', file('cloud-ref.yaml', [...nodeLines(), 'auth: { cloud: prod }'], 0o644), 'ls', '-a', '--json'], { env: { OS_CLIENT_CONFIG_FILE: clouds } });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
  });
});

describe('a clouds.yaml or secure.yaml holding a secret', () => {
  it('readable by others: one warning naming it, and the run works', async () => {
    const clouds = file('clouds.yaml', ['clouds:', `  prod: { auth: { auth_url: "${keystone.url}", username: admin, password: clouds-Secret-pw, project_name: admin } }`], 0o644);
    const run = await runCli(['-i', file('plain.yaml', nodeLines(), 0o644), 'ls', '-a', '--json', '--os-cloud', 'prod'], { env: { OS_CLIENT_CONFIG_FILE: clouds } });
    expect(run.code).toBe(0);
    expect(errorLines(run.stderr)).toEqual([`warning: ${clouds}: holds credentials but is accessible by group and others (mode 0644); run chmod 600 ${clouds}`]);
  });

  it('a secure.yaml beside a closed clouds.yaml: the warning names secure.yaml', async () => {
    const clouds = file('clouds2.yaml', ['clouds:', `  prod: { auth: { auth_url: "${keystone.url}", username: admin, project_name: admin } }`], 0o644);
    const secure = file('secure.yaml', ['clouds:', '  prod: { auth: { password: secure-Secret-pw } }'], 0o640);
    const run = await runCli(['-i', file('plain2.yaml', nodeLines(), 0o644), 'ls', '-a', '--json', '--os-cloud', 'prod'], { env: { OS_CLIENT_CONFIG_FILE: clouds, OS_CLIENT_SECURE_FILE: secure } });
    expect(run.code).toBe(0);
    expect(errorLines(run.stderr)).toEqual([`warning: ${secure}: holds credentials but is accessible by group (mode 0640); run chmod 600 ${secure}`]);
  });
});
