/**
 * diff and ls --orphans against simulated nodes, through main(): images placed on chosen nodes, then
 * each view checked against what the nodes hold.
 */
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';

interface DiffJson {
  nodes: { name: string; ok: boolean }[];
  state: string;
  reference: string | null;
  identical: boolean;
  groups: { node_set: string; nodes: string[]; count: number; images: number; missing: number; extra: number }[];
  images: { id: string; name: string | null; size: number | null; status: string | null; present_on: string[]; missing_on: string[]; extra_on: string[] }[];
  matrix: Record<string, Record<string, string>>;
}

interface OrphansJson {
  findings: { kind: string; image: string | null; name: string | null; status: string | null; nodes: string[]; bytes: number | null; bytes_by_node: Record<string, number>; max_size: number | null; detail: string }[];
  wasted_by_node: Record<string, number>;
  wasted_bytes: number;
}

let fleet: SimFleetOnDisk;
/** Images by role: on every node, on all but glance03, on glance01 only. */
let everywhere: string;
let notOn3: string;
let only1: string;

beforeEach(async () => {
  fleet = await simFleetOnDisk({ count: 4, imagesPerNode: 0 });
  const place = (name: string, nodes: number[], size = 1024) => {
    const image = fleet.catalog.add({ name, size });
    for (const index of nodes) fleet.nodes[index]!.readImage(image.id);
    return image.id;
  };
  everywhere = place('cirros', [0, 1, 2, 3]);
  notOn3 = place('ubuntu', [0, 1, 3]);
  only1 = place('debian', [0]);
});

afterEach(async () => {
  await fleet.close();
});

const diff = (...args: string[]) => runCli(['-i', fleet.inventory, 'diff', ...args]);
const requestCount = () => fleet.nodes.reduce((total, node) => total + node.requests.length, 0);

function writeInventory(extra: string): void {
  const nodes = fleet.nodes.map((node) => `  - {name: ${node.name}, url: "${node.url}"}`).join('\n');
  writeFileSync(fleet.inventory, `nodes:\n${nodes}\nauth: {type: none}\n${extra}`);
}

describe('diff --all-nodes', () => {
  it('groups nodes holding the same images and lists, per image, the nodes lacking it (exit 1)', async () => {
    const run = await diff('-a', '--json');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as DiffJson;
    expect(result.identical).toBe(false);
    expect(result.groups).toEqual([
      { node_set: 'glance[02,04]', nodes: ['glance02', 'glance04'], count: 2, images: 2, missing: 1, extra: 0 },
      { node_set: 'glance01', nodes: ['glance01'], count: 1, images: 3, missing: 0, extra: 0 },
      { node_set: 'glance03', nodes: ['glance03'], count: 1, images: 1, missing: 2, extra: 0 },
    ]);
    expect(result.images.map((image) => [image.name, image.missing_on, image.present_on])).toEqual([
      ['debian', ['glance02', 'glance03', 'glance04'], ['glance01']],
      ['ubuntu', ['glance03'], ['glance01', 'glance02', 'glance04']],
    ]);
    // The matrix is what each node holds, image by image.
    for (const node of fleet.nodes) {
      for (const [id, states] of Object.entries(result.matrix)) {
        expect(states[node.name]).toBe(node.state().cached.some((entry) => entry.id === id) ? 'cached' : 'absent');
      }
    }
    expect(Object.keys(result.matrix).sort()).toEqual([everywhere, notOn3, only1].sort());
  });

  it('shows the groups as folded node sets with a count on a terminal, then the images', async () => {
    fleet.nodes[2]!.readImage(notOn3);
    fleet.nodes[2]!.readImage(only1);
    fleet.nodes[1]!.readImage(only1);
    const run = await diff('-a', '--color', 'never');
    expect(run.code).toBe(1);
    const table = (await runCli(['-i', fleet.inventory, 'diff', '-a'], { tty: true })).stdout;
    expect(table).toMatch(/│ glance\[01-03\] \(3\) │\s+3 │\s+0 │/);
    expect(table).toMatch(/│ glance04 \(1\) +│\s+2 │\s+1 │/);
    expect(table).toMatch(/│ debian +│ +1\.0 KiB │ glance04 +│ glance\[01-03\] +│/);
    expect(table).toContain('4 nodes answered; 1 image not on every node\n');
    // Piped: -f tsv, the image rows under a header row, node sets folded.
    expect(run.stdout).toBe(`ID\tName\tSize\tMissing on\tPresent on\n${only1}\tdebian\t1024\tglance04\tglance[01-03]\n`);
  });

  it('exits 0 when the nodes hold the same images, and counts queued ones only with --state', async () => {
    const same = await diff('-n', 'glance[02,04]', '--json');
    expect(same.code).toBe(0);
    expect((JSON.parse(same.stdout) as DiffJson).identical).toBe(true);
    fleet.nodes[1]!.queueImage(only1);
    expect((await diff('-n', 'glance[01-02]', '-o', 'value')).code).toBe(1);
    expect((await diff('-n', 'glance[01-02]', '--state', 'all', '-o', 'value')).code).toBe(0);
    const queued = await diff('-n', 'glance[01-02]', '--state', 'queued', '--json');
    expect((JSON.parse(queued.stdout) as DiffJson).images.map((image) => [image.name, image.present_on, image.missing_on])).toEqual([['debian', ['glance02'], ['glance01']]]);
    const table = await runCli(['-i', fleet.inventory, 'diff', '-n', 'glance[02,04]'], { tty: true });
    expect(table.stdout).toContain('│ glance[02,04] (2) │');
    expect(table.stdout).toMatch(/\n2 nodes answered; no differences\n$/);
  });
});

describe('diff against a reference', () => {
  it('compares every selected node with --against, adding the reference to -n', async () => {
    fleet.nodes[2]!.putCacheEntry({ id: 'e1b7c3d0-0000-4000-8000-000000000001', size: 5 });
    const run = await diff('--against', 'glance03', '-n', 'glance0[1-2]', '--json');
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as DiffJson;
    expect(result.reference).toBe('glance03');
    expect(result.nodes.map((node) => node.name)).toEqual(['glance01', 'glance02', 'glance03']);
    expect(result.images.map((image) => [image.name ?? image.id, image.missing_on, image.extra_on])).toEqual([
      ['debian', [], ['glance01']],
      ['ubuntu', [], ['glance01', 'glance02']],
      ['e1b7c3d0-0000-4000-8000-000000000001', ['glance01', 'glance02'], []],
    ]);
  });

  it('compares two nodes given as NODE_A NODE_B', async () => {
    const run = await diff('glance01', 'glance02', '--json');
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as DiffJson;
    expect([result.reference, result.nodes.map((node) => node.name)]).toEqual(['glance01', ['glance01', 'glance02']]);
    expect(result.images.map((image) => [image.name, image.missing_on, image.extra_on])).toEqual([['debian', ['glance02'], []]]);
    expect((await diff('glance02', 'glance04', '-o', 'value')).code).toBe(0);
  });

  it('refuses, before sending anything, what it cannot compare', async () => {
    const before = requestCount();
    const cases: [string[], string][] = [
      [['glance01'], 'diff takes two nodes (NODE_A NODE_B) or none, not 1'],
      [['glance[01-02]', 'glance03'], "diff NODE_A NODE_B: 'glance[01-02]' names 2 nodes (glance[01-02]): give one node"],
      [['glance01', 'glance01'], "diff NODE_A NODE_B: 'glance01' and 'glance01' are the same node"],
      [['glance01', 'glance09'], "-n: 'glance09' matches no node"],
      [['glance01', 'glance02', '-a'], 'diff NODE_A NODE_B selects the two nodes itself: leave out --against, -n and -a'],
      [['-n', 'glance01'], 'diff compares two or more nodes and only glance01 is selected: add nodes with -n, or use -a'],
      [['-a', '--against', 'glance09'], "--against: 'glance09' matches no node"],
      [['-a', '--against', '@nothing'], "--against: '@nothing' is not a group"],
      [['-a', '-x', 'glance01', '--against', 'glance01'], '--against: glance01 is excluded by -x: nothing to compare with'],
      [['-a', '--orphans', '--against', 'glance01'], '--orphans looks at every selected node: leave out --against and NODE_A NODE_B'],
    ];
    for (const [args, message] of cases) {
      const run = await diff(...args);
      expect([args, run.code]).toEqual([args, 2]);
      expect(run.stderr).toContain(`error: ${message}`);
      expect(run.stdout).toBe('');
    }
    expect(requestCount()).toBe(before);
  });
});

describe('diff with nodes that fail', () => {
  it('exits 3 when some nodes did not answer, naming them, and compares the others', async () => {
    fleet.nodes[2]!.setFaults({ status: 503 });
    const run = await diff('-a', '--json');
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/glance03 \(http:\/\/127\.0\.0\.1:\d+\): .*503/);
    const result = JSON.parse(run.stdout) as DiffJson;
    expect(result.images.map((image) => [image.name, image.missing_on])).toEqual([['debian', ['glance02', 'glance04']]]);
    expect(result.matrix[only1]).toEqual({ glance01: 'cached', glance02: 'absent', glance03: 'unknown', glance04: 'absent' });
    // Even when the nodes that answered agree: the one that did not may differ.
    expect((await diff('-n', 'glance0[2-4]', '-o', 'value')).code).toBe(3);
    fleet.nodes[3]!.setFaults({ status: 503 });
    const table = await runCli(['-i', fleet.inventory, 'diff', '-a'], { tty: true });
    expect(table.code).toBe(3);
    expect(table.stdout).toContain('\n2 nodes answered, 2 failed: glance[03-04]; 1 image not on every node\n');
  });

  it('exits 4 when no node answered, or when the reference did not', async () => {
    for (const node of fleet.nodes) node.setFaults({ status: 503 });
    expect((await diff('-a', '-o', 'value')).code).toBe(4);
    for (const node of fleet.nodes) node.setFaults({});
    fleet.nodes[0]!.setFaults({ status: 503 });
    const run = await diff('glance01', 'glance02');
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('error: glance01 is the reference and did not answer: nothing to compare with');
    expect(run.stdout).toBe('');
  });
});

describe('orphans and drift', () => {
  let deleted: string;
  let deactivated: string;

  beforeEach(() => {
    deleted = fleet.catalog.add({ name: 'old-release', size: 4096 }).id;
    deactivated = fleet.catalog.add({ name: 'recalled', size: 2048 }).id;
    fleet.nodes[0]!.readImage(deleted);
    fleet.nodes[2]!.readImage(deleted);
    fleet.nodes[1]!.readImage(deactivated);
    fleet.catalog.delete(deleted);
    fleet.catalog.update(deactivated, { status: 'deactivated' });
  });

  it('ls --orphans lists only the cached images Glance no longer serves', async () => {
    const run = await runCli(['-i', fleet.inventory, 'ls', '-a', '--orphans', '--json']);
    expect(run.code).toBe(0);
    const images = (JSON.parse(run.stdout) as { images: { id: string; status: string | null; cached_on: string[] }[] }).images;
    expect(images.map((image) => [image.id, image.status, image.cached_on])).toEqual([
      [deactivated, 'deactivated', ['glance02']],
      [deleted, null, ['glance01', 'glance03']],
    ]);
  });

  it('a table marks an image Glance does not describe; JSON and tsv keep it null and empty', async () => {
    const table = (await runCli(['-i', fleet.inventory, 'ls', '-a', '--orphans', '-c', 'id,name,status'], { tty: true })).stdout;
    expect(table).toMatch(new RegExp(`${deleted} +│ \\(not in Glance\\) +│ missing `));
    expect(table).toMatch(new RegExp(`${deactivated} +│ recalled +│ deactivated `));
    const tsv = (await runCli(['-i', fleet.inventory, 'ls', '-a', '--orphans', '-c', 'id,name,status', '-o', 'tsv'])).stdout;
    expect(tsv).toContain(`${deleted}\t\t\n`);
    const findings = (await runCli(['-i', fleet.inventory, 'diff', '-a', '--orphans', '-c', 'kind,image,name'], { tty: true })).stdout;
    expect(findings).toMatch(new RegExp(`orphan +│ ${deleted} +│ \\(not in Glance\\) `));
  });

  it('diff --orphans reports orphans with the bytes wasted per node, and drift (exit 1)', async () => {
    writeInventory('defaults: {max_size: 6KiB}\n');
    fleet.nodes[3]!.putCacheEntry({ id: everywhere, size: 1000 });
    fleet.nodes[1]!.queueImage(deleted);
    const run = await diff('-a', '--orphans', '--json');
    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as OrphansJson;
    expect(result.findings.map(({ kind, image, status, nodes, bytes, bytes_by_node }) => ({ kind, image, status, nodes, bytes, bytes_by_node }))).toEqual([
      { kind: 'orphan', image: deleted, status: null, nodes: ['glance01', 'glance03'], bytes: 8192, bytes_by_node: { glance01: 4096, glance03: 4096 } },
      { kind: 'orphan', image: deactivated, status: 'deactivated', nodes: ['glance02'], bytes: 2048, bytes_by_node: { glance02: 2048 } },
      { kind: 'size_mismatch', image: everywhere, status: null, nodes: ['glance01', 'glance02', 'glance03', 'glance04'], bytes: null, bytes_by_node: { glance01: 1024, glance02: 1024, glance03: 1024, glance04: 1000 } },
      { kind: 'stuck_queue', image: deleted, status: null, nodes: ['glance02'], bytes: null, bytes_by_node: {} },
      { kind: 'over_max_size', image: null, status: null, nodes: ['glance01'], bytes: 7168, bytes_by_node: { glance01: 7168 } },
    ]);
    expect(result.findings[2]!.detail).toBe('1024 bytes on glance[01-03], 1000 bytes on glance04; Glance: 1024 bytes');
    expect(result.wasted_by_node).toEqual({ glance01: 4096, glance02: 2048, glance03: 4096 });
    expect(result.wasted_bytes).toBe(10240);

    const table = (await runCli(['-i', fleet.inventory, 'diff', '-a', '--orphans'], { tty: true })).stdout;
    expect(table).toMatch(/│ glance\[01,03\] \(2\) +│ +1 │ +4\.0 KiB │/);
    expect(table).toMatch(/│ glance02 \(1\) +│ +1 │ +2\.0 KiB │/);
    expect(table).toMatch(/│ glance04 \(1\) +│ +0 │ +0 B │/);
    expect(table).toContain('4 nodes answered; 2 orphans wasting 10 KiB, 3 drift findings\n');
  });

  it('exits 0 when there is nothing to report', async () => {
    fleet.catalog.update(deactivated, { status: 'active' });
    const run = await diff('-n', 'glance02,glance04', '--orphans', '-o', 'value');
    expect([run.code, run.stdout]).toEqual([0, '']);
  });

  it('refuses to guess orphans when the images API cannot be asked (exit 4)', async () => {
    writeInventory('images_url: "http://127.0.0.1:9"\n');
    for (const args of [['diff', '-a', '--orphans'], ['ls', '-a', '--orphans']]) {
      const run = await runCli(['-i', fleet.inventory, ...args, '--connect-timeout', '2s']);
      expect(run.code).toBe(4);
      expect(run.stderr).toContain('error: cannot tell which images Glance still serves:');
      expect(run.stdout).toBe('');
    }
  });
});
