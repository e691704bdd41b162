/**
 * The fault matrix cells that real Glance can play (test/FAULTS.md): a stopped node (SIGSTOP, always
 * resumed), a refused port, a wrong path prefix, every node stopped, Keystone unreachable, a token no node
 * accepts, a wrong application-credential secret. Cells already in test/real/listing.test.ts (member user,
 * wrong password, one node stopped beside a refused port) are not repeated.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { errorLines, type LsJson } from '../faults/support.js';
import { describeReal, fleetToken, nodeCache, onlyCloud } from './support.js';

describeReal('faults against a real fleet', (fleet, env) => {
  let dir: string;
  let adminToken: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'glance-cache-real-faults-'));
    adminToken = await fleetToken(fleet, 'admin');
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function inventory(name: string, nodes: { name: string; url: string }[]): string {
    const file = join(dir, name);
    writeFileSync(file, ['nodes:', ...nodes.map((node) => `  - { name: ${node.name}, url: "${node.url}" }`), 'auth: { cloud: fleet-admin }', ''].join('\n'), { mode: 0o600 });
    return file;
  }

  /** Runs with the fleet's nodes stopped (SIGSTOP), resuming them whatever happens. */
  async function withStopped<T>(pids: number[], run: () => Promise<T>): Promise<T> {
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    try {
      return await run();
    } finally {
      for (const pid of pids) process.kill(pid, 'SIGCONT');
    }
  }

  async function expectOthersIntact(result: LsJson, failed: string): Promise<void> {
    for (const node of fleet.nodes) {
      const entry = result.nodes.find((each) => each.name === node.name)!;
      if (node.name === failed) {
        expect(entry.ok).toBe(false);
        continue;
      }
      expect(entry).toMatchObject({ ok: true, error: null });
      const truth = await nodeCache(node.url, adminToken);
      expect(result.images.filter((image) => image.cached_on.includes(node.name)).map((image) => image.id).sort()).toEqual(truth.cached);
    }
  }

  it('a stopped node (SIGSTOP) times out alone: one line naming it, exit 3, the others exact', async () => {
    const stopped = fleet.nodes[2]!;
    const run = await withStopped([stopped.pid], () => runCli(['ls', '-a', '--json', '--timeout', '2s'], { env }));
    expect(run.code).toBe(3);
    expect(errorLines(run.stderr)).toEqual([`error: ${stopped.name} (${stopped.url}): timed out after 2s`]);
    await expectOthersIntact(JSON.parse(run.stdout) as LsJson, stopped.name);
  });

  it('every node stopped: one line per node, exit 4, the run bounded by the timeout', async () => {
    const run = await withStopped(
      fleet.nodes.map((node) => node.pid),
      () => runCli(['ls', '-a', '--json', '--timeout', '2s'], { env }),
    );
    expect(run.code).toBe(4);
    expect(errorLines(run.stderr)).toEqual(fleet.nodes.map((node) => `error: ${node.name} (${node.url}): timed out after 2s`));
    expect((JSON.parse(run.stdout) as LsJson).nodes.every((node) => !node.ok)).toBe(true);
  });

  it('a node URL with a wrong path prefix: Glance answers its version list (300), which the line explains', async () => {
    const wrong = { name: 'glance01', url: `${fleet.nodes[0]!.url}/not-the-prefix` };
    const run = await runCli(['-i', inventory('prefix.yaml', [wrong, ...fleet.nodes.slice(1)]), 'ls', '-a', '--json'], { env });
    expect(run.code).toBe(3);
    expect(errorLines(run.stderr)).toEqual([`error: glance01 (${wrong.url}): HTTP 300: the API's version list, its answer to a path it does not serve: check the URL and its path prefix`]);
    await expectOthersIntact(JSON.parse(run.stdout) as LsJson, 'glance01');
  });

  it('a port nobody listens on: connection refused, named, exit 3', async () => {
    const dead = { name: 'glance09', url: 'http://127.0.0.1:9' };
    const run = await runCli(['-i', inventory('refused.yaml', [...fleet.nodes, dead]), 'ls', '-a', '--json'], { env });
    expect(run.code).toBe(3);
    expect(errorLines(run.stderr)).toEqual(['error: glance09 (http://127.0.0.1:9): connection refused']);
  });

  it('Keystone unreachable: one line naming it, exit 4, no output', async () => {
    const run = await runCli(['ls', '-a', '--json', '--os-auth-url', 'http://127.0.0.1:9/v3'], { env });
    expect(run.code).toBe(4);
    expect(errorLines(run.stderr)).toEqual([expect.stringMatching(/^error: cannot reach Keystone http:\/\/127\.0\.0\.1:9\/v3: connection refused \(user "admin", from /)]);
    expect(run.stdout).toBe('');
  });

  it('a token every node refuses (401 from keystonemiddleware): one line, exit 4, the token never shown', async () => {
    const bogus = 'gAAAAABogus-token-no-keystone-issued-0000';
    const run = await runCli(['ls', '-a', '--json', '--os-token', bogus], { env: onlyCloud(env, '') });
    expect(run.code).toBe(4);
    expect(errorLines(run.stderr)).toEqual([expect.stringMatching(/^error: the token was refused \(expired\?\); the token from command-line flags cannot be renewed/)]);
    expect(run.stdout + run.stderr).not.toContain(bogus);
  });

  it('a wrong application-credential secret: Keystone refuses it, exit 4, the secret never shown', async () => {
    const secret = 'not-the-app-cred-secret-0123456789';
    const run = await runCli(['nodes', '-a', '--debug', '--os-application-credential-secret', secret], { env: onlyCloud(env, 'fleet-appcred') });
    expect(run.code).toBe(4);
    expect(errorLines(run.stderr).filter((line) => line.startsWith('error:'))).toEqual([expect.stringMatching(/^error: Keystone http:\/\/127\.0\.0\.1:\d+\/v3 refused the credentials \(application credential /)]);
    expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('--debug against the real fleet prints every call and no secret', async () => {
    const run = await runCli(['ls', '-a', '--json', '--debug'], { env });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('debug: POST http://127.0.0.1');
    for (const secret of [fleet.admin.password, (fleet as unknown as { app_cred: { secret: string } }).app_cred.secret]) expect(run.stdout + run.stderr).not.toContain(secret);
    expect(run.stderr).not.toMatch(/gAAAAA[\w-]{20,}/);
  });
});
