/**
 * ls, nodes and where against the real Keystone + glance-api fleet (test/fleet/fleet.sh), checked
 * against what each node says directly.
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { describeReal, fleetToken, nodeCache, onlyCloud } from './support.js';

interface LsJson {
  nodes: { name: string; ok: boolean; error: string | null; api: string | null; version: string | null }[];
  images: { id: string; name: string | null; cached_on: string[]; queued_on: string[]; status: string | null }[];
}

describeReal('listing a real fleet', (fleet, env) => {
  let adminToken: string;
  beforeAll(async () => {
    adminToken = await fleetToken(fleet, 'admin');
  });
  const cli = (args: string[], runEnv: Record<string, string> = env) => runCli(args, { env: runEnv });

  it('ls --all-nodes shows exactly what every node reports, with names from Glance', async () => {
    const run = await cli(['ls', '--all-nodes', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as LsJson;
    expect(result.nodes.map((node) => [node.name, node.ok, node.api])).toEqual(fleet.nodes.map((node) => [node.name, true, 'cache']));
    for (const node of fleet.nodes) {
      const truth = await nodeCache(node.url, adminToken);
      const listed = result.images.filter((image) => image.cached_on.includes(node.name)).map((image) => image.id).sort();
      expect(listed).toEqual(truth.cached);
    }
    for (const image of result.images) {
      const seeded = fleet.images.find((candidate) => candidate.id === image.id);
      if (seeded) expect(image).toMatchObject({ name: seeded.name, status: 'active' });
    }
  });

  it('works with an application credential and with a ready token', async () => {
    const appcred = await cli(['nodes', '-a', '--json'], onlyCloud(env, 'fleet-appcred'));
    expect(appcred.code).toBe(0);
    const token = await cli(['nodes', '-a', '--json', '--os-token', adminToken], onlyCloud(env, ''));
    expect(token.code).toBe(0);
    expect(token.stdout + token.stderr).not.toContain(adminToken);
  });

  it('gives a member-role user a permission error naming the policy, exit 4', async () => {
    const run = await cli(['ls', '-a'], onlyCloud(env, 'fleet-member'));
    expect(run.code).toBe(4);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(fleet.nodes.length);
    for (const node of fleet.nodes) expect(run.stderr).toMatch(new RegExp(`${node.name}.*cache_list`));
  });

  it('refuses a wrong password with exit 4, never printing it', async () => {
    const run = await cli(['ls', '-a', '--os-password', 'not-the-password-42']);
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/Keystone/);
    expect(run.stderr + run.stdout).not.toContain('not-the-password-42');
  });

  it('lists the others when a node hangs (SIGSTOP) or refuses connections, exit 3', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'glance-cache-real-'));
    const inventory = join(dir, 'inventory.yaml');
    writeFileSync(
      inventory,
      ['nodes:', ...fleet.nodes.map((node) => `  - { name: ${node.name}, url: "${node.url}" }`), '  - { name: glance99, url: "http://127.0.0.1:9" }', 'auth: { cloud: fleet-admin }', ''].join('\n'),
      { mode: 0o600 },
    );
    const frozen = fleet.nodes[1]!;
    process.kill(frozen.pid, 'SIGSTOP');
    try {
      const run = await cli(['-i', inventory, 'ls', '-a', '--json', '--timeout', '2s']);
      expect(run.code).toBe(3);
      const errors = run.stderr.trim().split('\n');
      expect(errors).toHaveLength(2);
      expect(run.stderr).toMatch(new RegExp(`${frozen.name} .*timed out`));
      expect(run.stderr).toMatch(/glance99 .*connection refused/);
      const result = JSON.parse(run.stdout) as LsJson;
      expect(result.nodes.map((node) => node.ok)).toEqual([true, false, true, false]);
      const first = await nodeCache(fleet.nodes[0]!.url, adminToken);
      expect(result.images.filter((image) => image.cached_on.includes(fleet.nodes[0]!.name)).map((image) => image.id).sort()).toEqual(first.cached);
    } finally {
      process.kill(frozen.pid, 'SIGCONT');
    }
  });

  it('where resolves a unique name and refuses the ambiguous one', async () => {
    const cirros = fleet.images.find((image) => image.name === 'cirros-0.6.2')!;
    const run = await cli(['where', 'cirros-0.6.2', '-a', '--json']);
    expect(run.code).toBe(0);
    const locations = (JSON.parse(run.stdout) as { locations: { id: string; node: string; state: string }[] }).locations;
    for (const node of fleet.nodes) {
      const truth = await nodeCache(node.url, adminToken);
      expect(locations.find((location) => location.node === node.name)).toMatchObject({ id: cirros.id, state: truth.cached.includes(cirros.id) ? 'cached' : 'absent' });
    }
    const ambiguous = await cli(['where', 'dup-name', '-a']);
    expect(ambiguous.code).toBe(2);
    for (const image of fleet.images.filter((candidate) => candidate.name === 'dup-name')) expect(ambiguous.stderr).toContain(image.id);
  });
});
