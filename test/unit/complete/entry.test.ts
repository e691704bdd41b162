/**
 * The completion entry on a real disk: inventory found as the CLI finds it, the names cache, the image
 * cache that `ls` writes, and silence on every failure.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheFile } from '../../../src/complete/cache-files.js';
import { complete } from '../../../src/complete/entry.js';
import { runCli } from '../../helpers/run-cli.js';
import { simFleetOnDisk } from '../../helpers/sim-fleet.js';

let root: string;
let home: string;
let cwd: string;
let env: Record<string, string>;

const inventory = (names: string[], groups = '') =>
  `nodes:\n${names.map((name) => `  - name: ${name}\n    url: http://${name}.example.net:9292\n`).join('')}${groups}`;
const values = (output: string) => output.split('\n').filter(Boolean).map((line) => line.split('\t')[0]);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'glance-cache-complete-'));
  home = join(root, 'home');
  cwd = join(home, 'work');
  await mkdir(cwd, { recursive: true });
  env = { XDG_CACHE_HOME: join(root, 'cache') };
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('complete nodes', () => {
  it('offers the nodes and @groups of the inventory given with -i on the line being completed', async () => {
    const path = join(root, 'inv.yaml');
    await writeFile(path, inventory(['glance01', 'glance02'], 'groups:\n  az1: [glance01]\n'));
    expect(await complete(['nodes', '', 'ls', '-i', path], env, cwd, home)).toBe(
      'glance01\thttp://glance01.example.net:9292\nglance02\thttp://glance02.example.net:9292\n@az1\tgroup of 1 node\n',
    );
    expect(values(await complete(['nodes', 'glance01,g', '--inventory=' + path], env, cwd, home))).toEqual(['glance01,glance02']);
  });

  it('offers the labels of the inventory for -l, and parses again a names cache written before labels were kept', async () => {
    const path = join(root, 'inv.yaml');
    await writeFile(path, 'nodes:\n  - { name: a1, url: "http://a1:9292", labels: { az: az1 } }\n  - { name: a2, url: "http://a2:9292", labels: { az: az1, role: gpu } }\n');
    expect(await complete(['labels', '', '-i', path], env, cwd, home)).toBe('az=az1\tlabel of 2 nodes\nrole=gpu\tlabel of 1 node\n');
    const cached = cacheFile(join(root, 'cache/glance-cache'), 'nodes', path);
    const record = JSON.parse(await readFile(cached, 'utf8')) as { labels?: unknown };
    delete record.labels;
    await writeFile(cached, JSON.stringify(record));
    expect(values(await complete(['labels', 'r', '-i', path], env, cwd, home))).toEqual(['role=gpu']);
  });

  it('finds the inventory as the CLI does: relative -i, ~/, the variable, the search from the working directory', async () => {
    await writeFile(join(cwd, 'rel.yaml'), inventory(['rel']));
    expect(values(await complete(['nodes', '', '-i', 'rel.yaml'], env, cwd, home))).toEqual(['rel']);
    await writeFile(join(home, 'tilde.yaml'), inventory(['tilde']));
    expect(values(await complete(['nodes', '', '-i', '~/tilde.yaml'], env, cwd, home))).toEqual(['tilde']);
    await writeFile(join(root, 'env.yaml'), inventory(['fromenv']));
    expect(values(await complete(['nodes', ''], { ...env, GLANCE_CACHE_INVENTORY: join(root, 'env.yaml') }, cwd, home))).toEqual(['fromenv']);
    await writeFile(join(home, '.glance-cacherc.yaml'), inventory(['searched']), { mode: 0o600 });
    expect(values(await complete(['nodes', ''], env, cwd, home))).toEqual(['searched']);
  });

  it('reads the names from its cache until the inventory file changes', async () => {
    const path = join(root, 'inv.yaml');
    await writeFile(path, inventory(['glance01']));
    expect(values(await complete(['nodes', '', '-i', path], env, cwd, home))).toEqual(['glance01']);
    // Prove the second TAB reads the cache, not the inventory: doctor the cached names.
    const cached = cacheFile(join(root, 'cache/glance-cache'), 'nodes', path);
    const record = JSON.parse(await readFile(cached, 'utf8')) as { nodes: { name: string }[] };
    record.nodes[0]!.name = 'from-cache';
    await writeFile(cached, JSON.stringify(record));
    expect(values(await complete(['nodes', '', '-i', path], env, cwd, home))).toEqual(['from-cache']);
    await writeFile(path, inventory(['glance01', 'glance02']));
    expect(values(await complete(['nodes', '', '-i', path], env, cwd, home))).toEqual(['glance01', 'glance02']);
  });

  it('parses again when a file the inventory includes changes, and reads kolla inventories given with -i', async () => {
    const kolla = join(root, 'multinode');
    await writeFile(kolla, await readFile(new URL('../../fixtures/inventory/kolla-multinode', import.meta.url), 'utf8'));
    const path = join(root, 'inv.yaml');
    await writeFile(path, 'include: ["kolla:./multinode"]\n');
    const first = values(await complete(['nodes', 'control', '-i', path], env, cwd, home));
    expect(first).toEqual(['control01', 'control02', 'control03']);
    const cached = cacheFile(join(root, 'cache/glance-cache'), 'nodes', path);
    const record = JSON.parse(await readFile(cached, 'utf8')) as { nodes: { name: string }[] };
    record.nodes[0]!.name = 'control-from-cache';
    await writeFile(cached, JSON.stringify(record));
    expect(values(await complete(['nodes', 'control', '-i', path], env, cwd, home))[0]).toBe('control-from-cache');
    await writeFile(kolla, `${await readFile(kolla, 'utf8')}\n# an edit\n`);
    expect(values(await complete(['nodes', 'control', '-i', path], env, cwd, home))).toEqual(first);
    expect(values(await complete(['nodes', 'control', '-i', `kolla:${kolla}`], env, cwd, home))).toEqual(first);
  });

  it('prints nothing, and throws nothing, when the inventory is missing or broken', async () => {
    expect(await complete(['nodes', '', '-i', join(root, 'missing.yaml')], env, cwd, home)).toBe('');
    const broken = join(root, 'broken.yaml');
    await writeFile(broken, 'nodes:\n  - name: [unterminated\n');
    expect(await complete(['nodes', '', '-i', broken], env, cwd, home)).toBe('');
    expect(await complete(['nodes', '', '-i', new URL('../../fixtures/inventory/broken-duplicate.yaml', import.meta.url).pathname], env, cwd, home)).toBe('');
    expect(await readdir(join(root, 'cache/glance-cache')).catch(() => [])).toEqual([]);
  });

  it('offers nothing for a JavaScript inventory, given or in the config directory, and never runs it', async () => {
    const marker = join(root, 'ran');
    const code = `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x'); module.exports = { nodes: ['js01'] };\n`;
    const given = join(root, 'inv.cjs');
    await writeFile(given, code);
    expect(await complete(['nodes', '', '-i', given], env, cwd, home)).toBe('');
    await mkdir(join(home, '.config', 'glance-cache'), { recursive: true });
    await writeFile(join(home, '.config', 'glance-cache', 'inventory.cjs'), code);
    expect(await complete(['nodes', ''], env, cwd, home)).toBe('');
    expect(existsSync(marker)).toBe(false);
  });

  it('still answers when the cache directory cannot be written', async () => {
    const path = join(root, 'inv.yaml');
    await writeFile(path, inventory(['glance01']));
    await writeFile(join(root, 'not-a-dir'), '');
    expect(values(await complete(['nodes', '', '-i', path], { XDG_CACHE_HOME: join(root, 'not-a-dir') }, cwd, home))).toEqual(['glance01']);
  });

  it('prints nothing for an unknown kind or no words at all', async () => {
    expect(await complete(['frobnicate', ''], env, cwd, home)).toBe('');
    expect(await complete([], env, cwd, home)).toBe('');
  });
});

describe('complete images', () => {
  it('offers the images the last ls saw, for that inventory only, without contacting any node', async () => {
    const fleet = await simFleetOnDisk();
    try {
      const run = await runCli(['-i', fleet.inventory, 'ls', '-a', '--json'], { env, home, cwd });
      expect(run.code).toBe(0);
      const listed = (JSON.parse(run.stdout) as { images: { id: string; name: string | null }[] }).images;
      const before = fleet.nodes.map((node) => node.requests.length);
      const offered = values(await complete(['images', '', 'where', '-i', fleet.inventory], env, cwd, home));
      expect(fleet.nodes.map((node) => node.requests.length)).toEqual(before);
      expect(new Set(offered)).toEqual(new Set([...listed.map((image) => image.id), ...listed.flatMap((image) => (image.name ? [image.name] : []))]));
      const other = join(root, 'other.yaml');
      await writeFile(other, inventory(['x']));
      expect(await complete(['images', '', '-i', other], env, cwd, home)).toBe('');
    } finally {
      await fleet.close();
    }
  });

  it('is empty before any ls, and when there is no inventory', async () => {
    const path = join(root, 'inv.yaml');
    await writeFile(path, inventory(['glance01']));
    expect(await complete(['images', '', '-i', path], env, cwd, home)).toBe('');
    expect(await complete(['images', '', '-i', join(root, 'missing.yaml')], env, cwd, home)).toBe('');
  });

  it('ls never creates a missing home directory for its cache', async () => {
    const fleet = await simFleetOnDisk();
    try {
      const missingHome = join(root, 'no-such-home');
      const run = await runCli(['-i', fleet.inventory, 'ls', '-a', '--json'], { home: missingHome, cwd });
      expect(run.code).toBe(0);
      expect(await readdir(root)).not.toContain('no-such-home');
    } finally {
      await fleet.close();
    }
  });
});
