import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { loadInventory, type InventoryFiles, type LoadInventoryOptions } from '../../../src/inventory/locate.js';

let root: string;
let home: string;
let cwd: string;

const inventoryOf = (name: string): string => `nodes:\n  - name: ${name}\n    url: http://${name}:9292\n`;

async function put(path: string, text: string, mode = 0o600): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  await chmod(path, mode);
  return path;
}

/** The real disk, but with a fake /etc/glance-cache: tests must not depend on (or write to) the machine's /etc. */
function filesWithSystem(system: Record<string, string>): InventoryFiles {
  return {
    readFile: async (path) => system[path] ?? readFile(path, 'utf8'),
    fileMode: async (path) => {
      if (path.startsWith('/etc/glance-cache/')) return system[path] === undefined ? undefined : 0o644;
      try {
        return (await stat(path)).mode & 0o7777;
      } catch {
        return undefined;
      }
    },
  };
}

const load = (options: Partial<LoadInventoryOptions> = {}) =>
  loadInventory({ env: {}, cwd, home, files: filesWithSystem({}), ...options });

async function loadError(options: Partial<LoadInventoryOptions> = {}): Promise<string> {
  const error = await load(options).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return (error as Error).message;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'glance-cache-inventory-'));
  home = join(root, 'home');
  cwd = join(home, 'proj', 'sub');
  await mkdir(cwd, { recursive: true });
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('loadInventory precedence', () => {
  it('prefers -i, then GLANCE_CACHE_INVENTORY, then the search, then the user config', async () => {
    const flag = await put(join(root, 'flag.yaml'), inventoryOf('from-flag'));
    const env = await put(join(root, 'env.yaml'), inventoryOf('from-env'));
    const searched = await put(join(home, 'proj', '.glance-cacherc.yaml'), inventoryOf('from-search'));
    const user = await put(join(home, '.config', 'glance-cache', 'inventory.yaml'), inventoryOf('from-user'));
    const envVars = { GLANCE_CACHE_INVENTORY: env };

    const byFlag = await load({ flag: '../../../flag.yaml', env: envVars });
    expect([byFlag.how, byFlag.path, byFlag.inventory.nodes[0]?.name, byFlag.inventory.source]).toEqual(['flag', flag, 'from-flag', '../../../flag.yaml']);
    const byEnv = await load({ env: envVars });
    expect([byEnv.how, byEnv.path, byEnv.inventory.nodes[0]?.name]).toEqual(['env', env, 'from-env']);
    const bySearch = await load({ env: { GLANCE_CACHE_INVENTORY: '' } });
    expect([bySearch.how, bySearch.path, bySearch.inventory.nodes[0]?.name]).toEqual(['search', searched, 'from-search']);
    await rm(searched);
    const byUser = await load();
    expect([byUser.how, byUser.path, byUser.inventory.nodes[0]?.name]).toEqual(['user', user, 'from-user']);
  });

  it('looks in XDG_CONFIG_HOME instead of ~/.config when it is set', async () => {
    await put(join(home, '.config', 'glance-cache', 'inventory.yaml'), inventoryOf('dot-config'));
    const xdg = await put(join(root, 'xdg', 'glance-cache', 'inventory.yml'), inventoryOf('xdg'));
    const loaded = await load({ env: { XDG_CONFIG_HOME: join(root, 'xdg') } });
    expect([loaded.how, loaded.path, loaded.inventory.nodes[0]?.name]).toEqual(['user', xdg, 'xdg']);
  });

  it('falls back to /etc/glance-cache last', async () => {
    const loaded = await load({ files: filesWithSystem({ '/etc/glance-cache/inventory.json': '{"nodes": ["sys1"]}' }) });
    expect([loaded.how, loaded.path, loaded.inventory.nodes[0]?.url]).toEqual(['system', '/etc/glance-cache/inventory.json', 'http://sys1:9292']);
  });

  it('lists every place searched when there is no inventory', async () => {
    const message = await loadError();
    expect(message).toMatch(/^inventory: none found: give -i PATH or set GLANCE_CACHE_INVENTORY; searched package\.json, \.glance-cacherc, /);
    expect(message).toContain(`from ${cwd} up to ${home}, then ${join(home, '.config', 'glance-cache')}/ and /etc/glance-cache/ for inventory.yaml, inventory.yml, inventory.json`);
  });
});

describe('loadInventory search', () => {
  it('does not search above the home directory', async () => {
    await put(join(root, '.glance-cacherc.yaml'), inventoryOf('above-home'));
    expect(await loadError()).toMatch(/^inventory: none found/);
  });

  it('takes package.json only when it has a "glance-cache" key, with line numbers', async () => {
    await put(join(home, 'proj', 'sub', 'package.json'), '{"name": "unrelated"}\n');
    await put(join(home, 'proj', 'package.json'), '{\n  "glance-cache": {\n    "nodes": ["pkg[1-2]"],\n    "defaults": {"port": 0}\n  }\n}\n');
    const path = join(home, 'proj', 'package.json');
    expect(await loadError()).toBe(`${path}:4: defaults.port: 0 is not a port number (1-65535)`);
  });

  it('reads a JS config through the same schema, naming file and field', async () => {
    const path = await put(join(home, 'proj', 'glance-cache.config.mjs'), 'export default { nodes: ["js[1-2].example"], defaults: { timeout: 3 } };\n');
    const loaded = await load();
    expect([loaded.how, loaded.path]).toEqual(['search', path]);
    expect(loaded.inventory.nodes.map((node) => [node.name, node.timeoutMs])).toEqual([['js1', 3000], ['js2', 3000]]);
    await rm(path);
    const broken = await put(join(home, 'proj', '.glance-cacherc.cjs'), 'module.exports = { nodes: ["js1"], defaults: { timout: 3 } };\n');
    expect(await loadError()).toBe(`${broken}: defaults.timout: unknown field; did you mean "timeout"?`);
  });

  it('reports an empty rc file instead of looking further', async () => {
    const path = await put(join(home, 'proj', '.glance-cacherc'), '\n');
    await put(join(home, '.glance-cacherc.yaml'), inventoryOf('further-up'));
    expect(await loadError()).toBe(`${path}: is empty: an inventory needs a "nodes:" list`);
  });

  it('reports YAML errors at the line of the file found', async () => {
    const path = await put(join(home, '.glance-cacherc.yml'), 'nodes:\n  - a\n - b\n');
    expect(await loadError()).toBe(`${path}:3: not valid YAML: A block sequence may not be used as an implicit map key`);
  });
});

describe('loadInventory given paths', () => {
  it('names a missing -i file and where it came from', async () => {
    expect(await loadError({ flag: 'missing.yaml' })).toBe('missing.yaml: no such file (from -i/--inventory)');
    expect(await loadError({ env: { GLANCE_CACHE_INVENTORY: '/nonexistent/inv.yaml' } })).toBe(
      '/nonexistent/inv.yaml: no such file (from GLANCE_CACHE_INVENTORY)',
    );
  });

  it('rejects an empty -i', async () => {
    expect(await loadError({ flag: '' })).toBe('-i/--inventory: is empty: give the path of an inventory');
  });

  it('reads the kolla: and osa: prefixes as other tools\' inventories (test/unit/inventory/include.test.ts)', async () => {
    expect(await loadError({ flag: 'kolla:/nonexistent/multinode' })).toBe('/nonexistent/multinode: cannot read: no such file');
    expect(await loadError({ flag: 'osa:inv.json' })).toBe('inv.json: cannot read: no such file');
  });

  it('reports a directory given as -i', async () => {
    expect(await loadError({ flag: '.' })).toBe('.: cannot read: is a directory');
  });
});

describe('loadInventory warnings', () => {
  const withSecret = `${inventoryOf('a')}auth:\n  auth_url: https://keystone:5000/v3\n  username: admin\n  password: s3cret\n`;

  it('warns when a secret sits in a file others can read, without quoting the secret', async () => {
    const path = await put(join(root, 'inv.yaml'), withSecret, 0o644);
    const loaded = await load({ flag: path });
    expect(loaded.warnings).toEqual([`${path}: holds a secret under auth: but is readable by group or others (mode 0644); run chmod 600 ${path}`]);
    expect(loaded.inventory.auth?.settings.password).toBe('s3cret');
  });

  it('stays quiet for a private file or an auth block without secrets', async () => {
    const private_ = await put(join(root, 'private.yaml'), withSecret, 0o600);
    expect((await load({ flag: private_ })).warnings).toEqual([]);
    const cloud = await put(join(root, 'cloud.yaml'), `${inventoryOf('a')}auth: {cloud: prod}\n`, 0o644);
    expect((await load({ flag: cloud })).warnings).toEqual([]);
  });
});
