/**
 * ls, nodes and where against simulated nodes, through main(): the whole CLI minus the process.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';

interface LsJson {
  nodes: { name: string; url: string; ok: boolean; error: string | null; api: string | null; cached_images: number | null }[];
  images: { id: string; name: string | null; size: number | null; cached_on: string[]; queued_on: string[]; hits: number; last_accessed: string | null; status: string | null }[];
}

let fleet: SimFleetOnDisk;
beforeEach(async () => {
  fleet = await simFleetOnDisk();
});
afterEach(async () => {
  await fleet.close();
});

const ls = (...args: string[]) => runCli(['-i', fleet.inventory, 'ls', ...args]);

describe('ls --all-nodes', () => {
  it('merges every node into one row per image, matching what each node holds', async () => {
    const run = await ls('--all-nodes', '--json');
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as LsJson;
    expect(result.nodes.map((node) => [node.name, node.ok, node.error])).toEqual([
      ['glance01', true, null],
      ['glance02', true, null],
      ['glance03', true, null],
    ]);
    const expected = new Map<string, { cached: string[]; queued: string[]; hits: number }>();
    for (const node of fleet.nodes) {
      const state = node.state();
      for (const entry of state.cached) {
        const image = expected.get(entry.id) ?? { cached: [], queued: [], hits: 0 };
        image.cached.push(node.name);
        image.hits += entry.hits;
        expected.set(entry.id, image);
      }
      for (const id of state.queued) {
        const image = expected.get(id) ?? { cached: [], queued: [], hits: 0 };
        image.queued.push(node.name);
        expected.set(id, image);
      }
    }
    expect(result.images.length).toBe(expected.size);
    for (const image of result.images) {
      const truth = expected.get(image.id)!;
      expect(image.cached_on).toEqual(truth.cached.sort());
      expect(image.queued_on).toEqual(truth.queued.sort());
      expect(image.hits).toBe(truth.hits);
      const record = fleet.catalog.find(image.id);
      expect(image.name).toBe(record && record.status !== 'deleted' ? record.name : null);
      if (image.last_accessed !== null) expect(image.last_accessed).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });

  it('prints -f tsv when piped (a header row, raw values), and a table with a footer on a terminal', async () => {
    const piped = await ls('-a');
    const firstImage = JSON.parse((await ls('-a', '--json')).stdout).images[0] as LsJson['images'][number];
    expect(piped.stdout.split('\n')[0]).toBe('ID\tName\tSize\tCached\tQueued\tHits\tLast access\tStatus');
    expect(piped.stdout.split('\n')[1]!.split('\t')[0]).toBe(firstImage.id);
    expect(piped.stdout).toBe((await ls('-a', '-f', 'tsv')).stdout);
    const tty = await runCli(['-i', fleet.inventory, 'ls', '-a'], { tty: true });
    expect(tty.stdout).toContain('│ ID');
    expect(tty.stdout).toMatch(/\d\/3/);
    expect(tty.stdout.trimEnd().split('\n').at(-1)).toBe('3 nodes answered');
    expect(tty.stdout).not.toContain('\u001b[');
  });

  it('keeps headers for an explicit csv and picks columns with -c', async () => {
    const run = await ls('-a', '-o', 'csv', '-c', 'id', '-c', 'hits');
    const [header, ...rows] = run.stdout.trim().split('\n');
    expect(header).toBe('ID,Hits');
    expect(rows.every((row) => /^[0-9a-f-]{36},\d+$/.test(row))).toBe(true);
  });

  it('adds one column per node with --per-node', async () => {
    const run = await runCli(['-i', fleet.inventory, 'ls', '-a', '--per-node', '-o', 'tsv'], {});
    const [header, ...rows] = run.stdout.trim().split('\n');
    expect(header!.split('\t').slice(-3)).toEqual(['glance01', 'glance02', 'glance03']);
    const json = JSON.parse((await ls('-a', '--json')).stdout) as LsJson;
    rows.forEach((row, index) => {
      const marks = row.split('\t').slice(-3);
      const image = json.images[index]!;
      expect(marks).toEqual(['glance01', 'glance02', 'glance03'].map((name) => (image.cached_on.includes(name) ? 'C' : image.queued_on.includes(name) ? 'Q' : '.')));
    });
  });

  it('shows one node when one is selected, and refuses to guess among several', async () => {
    const one = JSON.parse((await ls('-n', 'glance02', '--json')).stdout) as LsJson;
    expect(one.nodes.map((node) => node.name)).toEqual(['glance02']);
    expect(one.images.every((image) => image.cached_on.every((name) => name === 'glance02'))).toBe(true);
    const none = await ls();
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--all-nodes/);
    expect(none.stdout).toBe('');
  });

  it('filters with --state and sorts with --sort', async () => {
    const queued = JSON.parse((await ls('-a', '--state', 'queued', '--json')).stdout) as LsJson;
    expect(queued.images.every((image) => image.queued_on.length > 0)).toBe(true);
    const byHits = JSON.parse((await ls('-a', '--sort', 'hits', '--json')).stdout) as LsJson;
    const hits = byHits.images.map((image) => image.hits);
    expect(hits).toEqual([...hits].sort((a, b) => b - a));
  });
});

describe('failing nodes', () => {
  it.each([
    ['is down', async () => fleet.nodes[1]!.close(), /glance02 \(http:\/\/127\.0\.0\.1:\d+\): connection refused/],
    ['answers HTML 500', async () => fleet.nodes[1]!.setFaults({ status: 500, htmlErrors: true }), /glance02 .*HTTP 500/],
    ['answers half a JSON document', async () => fleet.nodes[1]!.setFaults({ truncate: true }), /glance02 .*truncated JSON/],
    ['hangs', async () => fleet.nodes[1]!.setFaults({ hang: 'before-headers' }), /glance02 .*timed out/],
    ['answers JSON of the wrong shape', async () => fleet.nodes[1]!.setFaults({ wrongShape: true }), /glance02 .*(is not|must be)/],
  ])('lists the others when one node %s, names it in one stderr line, exit 3', async (_case, breakNode, cause) => {
    await breakNode();
    const run = await runCli(['-i', fleet.inventory, 'ls', '-a', '--json', '--timeout', '1s']);
    expect(run.code).toBe(3);
    const errors = run.stderr.trim().split('\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(cause);
    const result = JSON.parse(run.stdout) as LsJson;
    expect(result.nodes.map((node) => node.ok)).toEqual([true, false, true]);
    expect(result.nodes[1]!.error).toBeTruthy();
    const others = new Set([...fleet.nodes[0]!.state().cached, ...fleet.nodes[2]!.state().cached].map((entry) => entry.id));
    for (const id of others) expect(result.images.some((image) => image.id === id)).toBe(true);
  });

  it('exits 4 when every node fails', async () => {
    for (const node of fleet.nodes) node.setFaults({ status: 503 });
    const run = await ls('-a');
    expect(run.code).toBe(4);
    expect(run.stderr.trim().split('\n')).toHaveLength(3);
  });

  it('names the missing policy and exits 4 for a token without the admin role', async () => {
    await fleet.close();
    fleet = await simFleetOnDisk({ tokens: { admin: ['admin-token-1234'], member: ['member-token-5678'] } });
    const member = await runCli(['-i', fleet.inventory, 'ls', '-a', '--os-token', 'member-token-5678']);
    expect(member.code).toBe(4);
    expect(member.stderr).toMatch(/glance01.*cache_list/);
    expect(member.stderr + member.stdout).not.toContain('member-token-5678');
    const admin = await runCli(['-i', fleet.inventory, 'ls', '-a', '--os-token', 'admin-token-1234', '--debug']);
    expect(admin.code).toBe(0);
    expect(admin.stderr).toContain('debug: GET');
    expect(admin.stderr + admin.stdout).not.toContain('admin-token-1234');
  });

  it('prints what completed and exits 130 when interrupted', async () => {
    fleet.nodes[2]!.setFaults({ hang: 'before-headers' });
    const controller = new AbortController();
    const pending = runCli(['-i', fleet.inventory, 'ls', '-a', '--json', '--timeout', '30s'], { signal: controller.signal });
    // Interrupt once the healthy nodes have answered: only the hung node is still in flight.
    while (fleet.nodes[0]!.requests.length === 0 || fleet.nodes[1]!.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 200));
    controller.abort(new Error('SIGINT'));
    const run = await pending;
    expect(run.code).toBe(130);
    const result = JSON.parse(run.stdout) as LsJson;
    expect(result.nodes.map((node) => node.ok)).toEqual([true, true, false]);
    expect(run.stderr).toMatch(/interrupted/);
  });
});

describe('untrusted node data', () => {
  it('shows terminal escape sequences in an image ID escaped, never raw, in every format', async () => {
    fleet.nodes[0]!.putCacheEntry({ id: '\u001b]0;pwned\u0007\u001b[31mred\u009b2J', size: 10 });
    for (const format of ['table', 'tsv', 'csv', 'value', 'json', 'yaml']) {
      const run = await runCli(['-i', fleet.inventory, 'ls', '-n', 'glance01', '-o', format], { tty: true });
      expect(run.code).toBe(0);
      expect(run.stdout + run.stderr).not.toMatch(/[\u0007\u001b\u009b]/);
      expect(run.stdout).toMatch(/\\(x1b|u001b|e)/i);
    }
  });
});

describe('inventory errors', () => {
  it('exits 2 naming file and line, and sends nothing', async () => {
    const broken = join(fleet.dir, 'broken.yaml');
    writeFileSync(broken, 'nodes:\n  - name: glance01\n    url: http://127.0.0.1:1\n  - name: glance01\n    url: http://127.0.0.1:2\n');
    const run = await runCli(['-i', broken, 'ls', '-a']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`${broken}:4: .*glance01`));
    const unknown = await runCli(['-i', fleet.inventory, 'ls', '-n', 'glance09']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/glance09/);
    expect(fleet.nodes.every((node) => node.requests.length === 0)).toBe(true);
  });
});

describe('nodes and where', () => {
  it('reports each node with its API and counts', async () => {
    const run = await runCli(['-i', fleet.inventory, 'nodes', '-a', '--json']);
    expect(run.code).toBe(0);
    const nodes = (JSON.parse(run.stdout) as { nodes: LsJson['nodes'] }).nodes;
    nodes.forEach((node, index) => {
      expect(node.api).toBe('cache');
      expect(node.cached_images).toBe(fleet.nodes[index]!.state().cached.length);
    });
  });

  it('locates an image by name on every node', async () => {
    const cached = fleet.nodes[0]!.state().cached.map((entry) => fleet.catalog.find(entry.id)).find((image) => image && image.status === 'active')!;
    const sameName = fleet.catalog.visible().filter((image) => image.name === cached.name);
    expect(sameName).toHaveLength(1);
    const run = await runCli(['-i', fleet.inventory, 'where', cached.name!, '-a', '--json']);
    expect(run.code).toBe(0);
    const locations = (JSON.parse(run.stdout) as { locations: { id: string; node: string; state: string }[] }).locations;
    expect(locations.map((location) => location.node)).toEqual(['glance01', 'glance02', 'glance03']);
    locations.forEach((location, index) => {
      const state = fleet.nodes[index]!.state();
      const expected = state.cached.some((entry) => entry.id === cached.id) ? 'cached' : state.queued.includes(cached.id) ? 'queued' : 'absent';
      expect(location).toMatchObject({ id: cached.id, state: expected });
    });
  });

  it('refuses an ambiguous name, listing the candidates', async () => {
    const first = fleet.catalog.visible()[0]!;
    const twin = fleet.catalog.add({ name: first.name! });
    const run = await runCli(['-i', fleet.inventory, 'where', first.name!, '-a']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(first.id);
    expect(run.stderr).toContain(twin.id);
  });
});

describe('a mixed fleet', () => {
  it('lists legacy-middleware nodes beside /v2/cache nodes', async () => {
    await fleet.close();
    fleet = await simFleetOnDisk({ flavorOf: (index) => (index === 1 ? 'legacy' : 'cache') });
    const run = await runCli(['-i', fleet.inventory, 'nodes', '-a', '--json']);
    expect(run.code).toBe(0);
    const nodes = (JSON.parse(run.stdout) as { nodes: LsJson['nodes'] }).nodes;
    expect(nodes.map((node) => node.api)).toEqual(['cache', 'legacy', 'cache']);
    expect(nodes[1]!.cached_images).toBe(fleet.nodes[1]!.state().cached.length);
  });
});

describe('names in the same round trip as the caches', () => {
  const imagesCalls = (node: SimFleetOnDisk['nodes'][number]) => node.requests.filter((request) => request.path.startsWith('/v2/images')).map((request) => request.path);

  it('asks the first node for one page of the images API and nobody for IDs the page named', async () => {
    const run = await ls('--all-nodes', '--json');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as LsJson;
    expect(result.images.every((image) => image.name !== null || image.status === null)).toBe(true);
    expect(result.images.some((image) => image.name !== null)).toBe(true);
    expect(fleet.nodes.map(imagesCalls)).toEqual([['/v2/images?limit=1000'], [], []]);
  });

  it('gives up the page when its node fails, and finds the names through the nodes that answered', async () => {
    fleet.nodes[0]!.setFaults({ hang: 'before-headers' });
    const run = await ls('--all-nodes', '--json', '--timeout', '2s');
    expect(run.code).toBe(3);
    const result = JSON.parse(run.stdout) as LsJson;
    const held = new Set([...fleet.nodes[1]!.state().cached, ...fleet.nodes[2]!.state().cached].map((entry) => entry.id));
    const named = result.images.filter((image) => held.has(image.id));
    expect(named.length).toBe(held.size);
    // Orphans (deleted from Glance) stay unnamed; every image Glance knows is named.
    expect(named.filter((image) => image.status !== null).every((image) => image.name !== null)).toBe(true);
    expect([...imagesCalls(fleet.nodes[1]!), ...imagesCalls(fleet.nodes[2]!)].some((path) => path.includes('id=in:'))).toBe(true);
  });
});
