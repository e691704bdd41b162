/**
 * diff and --orphans against the real Keystone + glance-api fleet (test/fleet/fleet.sh): two fresh images
 * cached on different nodes, one of them then deleted in Glance, and every view checked against what each
 * node says through its own GET /v2/cache and what Glance says through GET /v2/images/{id}. The seeded
 * placement is never touched; the images uploaded here are removed from every cache and from Glance after.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { describeReal, fleetToken, onlyCloud } from './support.js';

const FLEET_SH = fileURLToPath(new URL('../fleet/fleet.sh', import.meta.url));

function fleetSh(...args: string[]): string {
  return execFileSync('bash', [FLEET_SH, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

interface DiffJson {
  reference: string | null;
  identical: boolean;
  groups: { nodes: string[]; images: number; missing: number; extra: number }[];
  images: { id: string; name: string | null; present_on: string[]; missing_on: string[]; extra_on: string[] }[];
  matrix: Record<string, Record<string, string>>;
}

interface OrphansJson {
  findings: { kind: string; image: string | null; status: string | null; nodes: string[]; bytes: number | null; bytes_by_node: Record<string, number> }[];
  wasted_by_node: Record<string, number>;
}

describeReal('diff on a real fleet', (fleet, fleetEnv) => {
  const env = onlyCloud(fleetEnv, 'fleet-admin');
  const cli = (...args: string[]) => runCli(args, { env });
  let token: string;
  let kept: string;
  let orphan: string;

  /** What one node caches, by its own GET /v2/cache: image ID to size. */
  const cachedOn = async (url: string): Promise<Map<string, number>> => {
    const response = await fetch(`${url}/v2/cache`, { headers: { 'x-auth-token': token, accept: 'application/json' } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { cached_images: { image_id: string; size: number }[] };
    return new Map(body.cached_images.map((image) => [image.image_id, image.size]));
  };
  const everyNode = async () => new Map(await Promise.all(fleet.nodes.map(async (node) => [node.name, await cachedOn(node.url)] as const)));

  beforeAll(async () => {
    token = await fleetToken(fleet, 'admin');
    const upload = (role: string, size: number) => fleetSh('upload-image', `diff-test-${role}-${randomUUID().slice(0, 8)}`, String(size)).split('\n').at(-1)!;
    kept = upload('kept', 24_576);
    orphan = upload('orphan', 12_288);
    fleetSh('cache-image', 'glance01', kept);
    fleetSh('cache-image', 'glance03', kept);
    fleetSh('cache-image', 'glance02', orphan);
    fleetSh('cache-image', 'glance03', orphan);
    // fleet.sh deletes through glance01, which drops its own copy (seen): the orphan must live elsewhere.
    fleetSh('delete-image', orphan);
  });

  afterAll(async () => {
    for (const id of [kept, orphan]) {
      for (const node of fleet.nodes) await fetch(`${node.url}/v2/cache/${id}`, { method: 'DELETE', headers: { 'x-auth-token': token } });
    }
    fleetSh('delete-image', kept);
  });

  it('diff -a: the groups and the nodes lacking each image are what the nodes report', async () => {
    const run = await cli('diff', '-a', '--json');
    const truth = await everyNode();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as DiffJson;
    const union = new Set([...truth.values()].flatMap((held) => [...held.keys()]));
    const expected = [...union]
      .map((id) => ({ id, missing: fleet.nodes.filter((node) => !truth.get(node.name)!.has(id)).map((node) => node.name) }))
      .filter((image) => image.missing.length > 0);
    expect(result.images.map((image) => [image.id, image.missing_on]).sort()).toEqual(expected.map((image) => [image.id, image.missing]).sort());
    expect(result.images.find((image) => image.id === kept)).toMatchObject({ missing_on: ['glance02'], present_on: ['glance01', 'glance03'] });
    // The orphan is still cached, so it still counts: Glance's opinion is --orphans' business.
    expect(result.images.find((image) => image.id === orphan)).toMatchObject({ name: null, missing_on: ['glance01'] });
    const key = (held: Map<string, number>) => JSON.stringify([...held.keys()].sort());
    for (const group of result.groups) {
      expect(new Set(group.nodes.map((name) => key(truth.get(name)!))).size).toBe(1);
      expect(group.images).toBe(truth.get(group.nodes[0]!)!.size);
    }
    expect(result.groups.length).toBe(new Set([...truth.values()].map(key)).size);
    for (const [id, states] of Object.entries(result.matrix)) {
      for (const node of fleet.nodes) expect([id, node.name, states[node.name]]).toEqual([id, node.name, truth.get(node.name)!.has(id) ? 'cached' : 'absent']);
    }
  });

  it('diff NODE_A NODE_B and --against: what each lacks of the reference and holds beyond it', async () => {
    const pair = JSON.parse((await cli('diff', 'glance01', 'glance03', '--json')).stdout) as DiffJson;
    const truth = await everyNode();
    const [a, b] = [truth.get('glance01')!, truth.get('glance03')!];
    expect(pair.reference).toBe('glance01');
    expect(pair.images.filter((image) => image.missing_on.length).map((image) => image.id).sort()).toEqual([...a.keys()].filter((id) => !b.has(id)).sort());
    expect(pair.images.filter((image) => image.extra_on.length).map((image) => image.id).sort()).toEqual([...b.keys()].filter((id) => !a.has(id)).sort());

    const against = await cli('diff', '-a', '--against', 'glance02', '--json');
    expect(against.code).toBe(1);
    const result = JSON.parse(against.stdout) as DiffJson;
    const reference = truth.get('glance02')!;
    for (const node of fleet.nodes.filter((candidate) => candidate.name !== 'glance02')) {
      const held = truth.get(node.name)!;
      expect(result.images.filter((image) => image.missing_on.includes(node.name)).map((image) => image.id).sort()).toEqual([...reference.keys()].filter((id) => !held.has(id)).sort());
      expect(result.images.filter((image) => image.extra_on.includes(node.name)).map((image) => image.id).sort()).toEqual([...held.keys()].filter((id) => !reference.has(id)).sort());
    }
  });

  it('--orphans: the image deleted in Glance, with the bytes each node says its copy takes', async () => {
    const run = await cli('diff', '-a', '--orphans', '--json');
    const truth = await everyNode();
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as OrphansJson;
    // Glance's own word on every cached image: an orphan is one it does not serve as active.
    const orphans = new Set<string>();
    for (const id of new Set([...truth.values()].flatMap((held) => [...held.keys()]))) {
      const response = await fetch(`${fleet.nodes[0]!.url}/v2/images/${id}`, { headers: { 'x-auth-token': token, accept: 'application/json' } });
      const status = response.status === 200 ? ((await response.json()) as { status: string }).status : null;
      if (status !== 'active') orphans.add(id);
    }
    expect(orphans.has(orphan)).toBe(true);
    const found = result.findings.filter((finding) => finding.kind === 'orphan');
    expect(found.map((finding) => finding.image).sort()).toEqual([...orphans].sort());
    for (const finding of found) {
      const holders = fleet.nodes.filter((node) => truth.get(node.name)!.has(finding.image!));
      expect(finding.nodes).toEqual(holders.map((node) => node.name));
      expect(finding.bytes_by_node).toEqual(Object.fromEntries(holders.map((node) => [node.name, truth.get(node.name)!.get(finding.image!)])));
    }
    expect(found.find((finding) => finding.image === orphan)).toMatchObject({ status: null, nodes: ['glance02', 'glance03'], bytes: 2 * 12_288 });

    const ls = await cli('ls', '-a', '--orphans', '--json');
    expect(ls.code).toBe(0);
    expect((JSON.parse(ls.stdout) as { images: { id: string }[] }).images.map((image) => image.id).sort()).toEqual([...orphans].sort());
  });
});
