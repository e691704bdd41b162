/**
 * Names that help (issue 15): a name that matches nothing suggests the closest and sends nothing; where
 * and ls take globs; ls filters by name, age and count and states its totals; -l selects nodes by label.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';
import { allWrites, placeImage } from './act-support.js';

interface LsJson {
  images: { id: string; name: string | null; cached_on: string[]; last_accessed: string | null }[];
  totals: { images: number; copies: number; bytes: number };
}

interface WhereJson {
  locations: { id: string; name: string | null; node: string; state: string }[];
}

let fleet: SimFleetOnDisk;
/** Six more cirros builds beside the sim's cirros-0.6.2-0001: 0001 on every node, the others on one each. */
let cirros: string[];
beforeEach(async () => {
  fleet = await simFleetOnDisk();
  cirros = [1, 2, 3, 4, 5, 6].map((n) => placeImage(fleet, `cirros-0.7.0-000${n}`, n === 1 ? [0, 1, 2] : [n % 3], 1000 * n));
});
afterEach(async () => {
  await fleet.close();
});

const cli = (...args: string[]) => runCli(['-i', fleet.inventory, ...args]);
const errorLines = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('error: '));
const SUGGESTED = '; closest: "cirros-0.6.2-0001", "cirros-0.7.0-0001", "cirros-0.7.0-0002", "cirros-0.7.0-0003", "cirros-0.7.0-0004"';

describe('a name that matches no image', () => {
  it.each([
    ['where', ['where', 'cirros', '-a']],
    ['purge', ['purge', 'cirros', '-a', '-y']],
    ['queue', ['queue', 'cirros', '-a', '-y']],
  ])('%s: exit 2, the five closest names in the one error line, nothing sent', async (_command, args) => {
    const run = await cli(...args);
    expect(run.code, run.stderr).toBe(2);
    const [line, ...others] = errorLines(run.stderr);
    expect(others).toEqual([]);
    expect(line).toMatch(/^error: no image named 'cirros' in Glance \(http:\/\/127\.0\.0\.1:\d+\)/);
    expect(line).toContain(`${SUGGESTED}; give an image ID`);
    expect(allWrites(fleet)).toEqual([]);
  });

  it('suggests names a typo away', async () => {
    const run = await cli('where', 'cirors-0.7.0-0003', '-a');
    expect(run.code).toBe(2);
    expect(errorLines(run.stderr)[0]).toContain('; closest: "cirros-0.7.0-0003", "cirros-0.7.0-0001", "cirros-0.7.0-0002", "cirros-0.7.0-0004", "cirros-0.7.0-0005"; give');
  });

  it('purge takes no glob: the pattern is a name, and none has it', async () => {
    const run = await cli('purge', 'cirros-0.7.0-*', '-a', '-y');
    expect(run.code).toBe(2);
    expect(errorLines(run.stderr)[0]).toContain("no image named 'cirros-0.7.0-*'");
    expect(allWrites(fleet)).toEqual([]);
  });
});

describe('where with a glob', () => {
  it('locates every image the glob matches, in natural order, and calls the image id as ls does', async () => {
    const run = await cli('where', 'cirros-0.7.0-000[1-3]', '-a', '--json');
    expect(run.code, run.stderr).toBe(0);
    const { locations } = JSON.parse(run.stdout) as WhereJson;
    expect(locations.map((location) => `${location.name} ${location.node} ${location.state}`)).toEqual([
      'cirros-0.7.0-0001 glance01 cached',
      'cirros-0.7.0-0001 glance02 cached',
      'cirros-0.7.0-0001 glance03 cached',
      'cirros-0.7.0-0002 glance01 absent',
      'cirros-0.7.0-0002 glance02 absent',
      'cirros-0.7.0-0002 glance03 cached',
      'cirros-0.7.0-0003 glance01 cached',
      'cirros-0.7.0-0003 glance02 absent',
      'cirros-0.7.0-0003 glance03 absent',
    ]);
    expect(locations.map((location) => location.id)).toEqual([cirros[0], cirros[0], cirros[0], cirros[1], cirros[1], cirros[1], cirros[2], cirros[2], cirros[2]]);
    expect(locations.every((location) => !('image' in location))).toBe(true);
  });

  it('refuses a glob that matches nothing, suggesting by its literal start', async () => {
    const run = await cli('where', 'cirros-0.8*', '-a');
    expect(run.code).toBe(2);
    expect(errorLines(run.stderr)[0]).toMatch(/^error: no image name matches 'cirros-0\.8\*' in Glance \(.*\); closest: "cirros-0\.6\.2-0001", "cirros-0\.7\.0-0001"/);
  });
});

describe('ls filters and totals', () => {
  const ls = async (...args: string[]) => {
    const run = await cli('ls', '-a', '--json', ...args);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as LsJson;
  };

  it('--name takes a glob or an exact name', async () => {
    expect((await ls('--name', 'cirros-0.7.0-*')).images.map((image) => image.name)).toEqual(cirros.map((_, index) => `cirros-0.7.0-000${index + 1}`));
    expect((await ls('--name', 'cirros-0.7.0-0004')).images.map((image) => image.id)).toEqual([cirros[3]]);
  });

  it('totals count every matching image, copy and byte, also past --limit', async () => {
    const all = await ls('--name', 'cirros-0.7.0-*');
    expect(all.totals).toEqual({ images: 6, copies: 8, bytes: 3 * 1000 + 2000 + 3000 + 4000 + 5000 + 6000 });
    const limited = await ls('--name', 'cirros-0.7.0-*', '--sort', 'size', '--limit', '2');
    expect(limited.images.map((image) => image.name)).toEqual(['cirros-0.7.0-0006', 'cirros-0.7.0-0005']);
    expect(limited.totals).toEqual(all.totals);
  });

  it('--older-than and --newer-than filter by the last access anywhere', async () => {
    const now = Date.now();
    const newer = await runCli(['-i', fleet.inventory, 'ls', '-a', '--json', '--name', 'cirros-0.7.0-*', '--newer-than', '1h'], { now: () => now });
    expect((JSON.parse(newer.stdout) as LsJson).images).toHaveLength(6);
    const older = await runCli(['-i', fleet.inventory, 'ls', '-a', '--json', '--name', 'cirros-0.7.0-*', '--older-than', '1h'], { now: () => now + 2 * 3_600_000 });
    expect((JSON.parse(older.stdout) as LsJson).images).toHaveLength(6);
    const neither = await runCli(['-i', fleet.inventory, 'ls', '-a', '--json', '--name', 'cirros-0.7.0-*', '--older-than', '1h'], { now: () => now });
    expect((JSON.parse(neither.stdout) as LsJson).totals).toEqual({ images: 0, copies: 0, bytes: 0 });
  });

  it('states the totals under the terminal table', async () => {
    const run = await runCli(['-i', fleet.inventory, 'ls', '-a', '--name', 'cirros-0.7.0-*', '--limit', '4'], { tty: true });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trimEnd().split('\n').slice(-2)).toEqual(['showing 4 of 6 images, 8 cached copies, 22 KiB', '3 nodes answered']);
  });

  it('refuses a --name no listed image has, suggesting the closest, exit 2', async () => {
    const run = await cli('ls', '-a', '--name', 'cirros');
    expect(run.code).toBe(2);
    expect(errorLines(run.stderr)).toEqual([`error: --name: no image cached or queued on the 3 nodes that answered is named 'cirros'${SUGGESTED}`]);
  });

  it('blames no name when no node answered: exit 4, as without --name', async () => {
    fleet.nodes.forEach((node) => node.setFaults({ status: 503 }));
    const run = await cli('ls', '-a', '--name', 'cirros');
    expect(run.code).toBe(4);
    expect(run.stderr).not.toContain('--name');
  });

  it('refuses a bad --limit before asking any node', async () => {
    const run = await cli('ls', '-a', '--limit', '0');
    expect(run.code).toBe(2);
    expect(errorLines(run.stderr)).toEqual(["error: --limit: '0' is not a whole number of 1 or more"]);
    expect(fleet.nodes.every((node) => node.requests.length === 0)).toBe(true);
  });
});

describe('-l key=value', () => {
  let inventory: string;
  beforeEach(() => {
    inventory = join(fleet.dir, 'labelled.yaml');
    const labels = ['{ az: az1, role: gpu }', '{ az: az1 }', '{ az: az2, role: gpu }'];
    const nodes = fleet.nodes.map((node, index) => `  - { name: ${node.name}, url: "${node.url}", labels: ${labels[index]} }`);
    writeFileSync(inventory, ['nodes:', ...nodes, 'auth: { type: none }', ''].join('\n'), { mode: 0o600 });
  });

  const nodesOf = async (...args: string[]) => {
    const run = await runCli(['-i', inventory, 'nodes', '--json', ...args]);
    expect(run.code, run.stderr).toBe(0);
    return (JSON.parse(run.stdout) as { nodes: { name: string }[] }).nodes.map((node) => node.name);
  };

  it('selects the nodes holding every label given, filtering -n, and -x still applies', async () => {
    expect(await nodesOf('-l', 'az=az1')).toEqual(['glance01', 'glance02']);
    expect(await nodesOf('-l', 'az=az1', '--label', 'role=gpu')).toEqual(['glance01']);
    expect(await nodesOf('-n', 'glance0[2-3]', '-l', 'role=gpu')).toEqual(['glance03']);
    expect(await nodesOf('-l', 'role=gpu', '-x', 'glance01')).toEqual(['glance03']);
  });

  it('refuses a label no node has, naming the inventory and the labels there are, and asks no node', async () => {
    const run = await runCli(['-i', inventory, 'ls', '-l', 'az=az3']);
    expect(run.code).toBe(2);
    expect(errorLines(run.stderr)).toEqual([`error: -l: no node in ${inventory} has the label az=az3; labels: az=az1, az=az2, role=gpu`]);
    expect(fleet.nodes.every((node) => node.requests.length === 0)).toBe(true);
  });
});
