import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { diskFiles, loadInventory, type InventoryFiles, type LoadInventoryOptions } from '../../../src/inventory/locate.js';

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
  const rootFile = { uid: 0, mode: 0o644, directory: false };
  return {
    readFile: async (path) => (system[path] === undefined ? diskFiles.readFile(path) : { text: system[path], facts: rootFile }),
    stat: async (path) => {
      if (path === '/etc/glance-cache') return { uid: 0, mode: 0o755, directory: true };
      if (path.startsWith('/etc/glance-cache/')) return system[path] === undefined ? undefined : rootFile;
      return diskFiles.stat(path);
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
    expect(message).toBe(
      'inventory: none found: give -i PATH or set GLANCE_CACHE_INVENTORY; searched package.json, .glance-cacherc, .glance-cacherc.yaml, .glance-cacherc.yml, .glance-cacherc.json ' +
        `from ${cwd} up to ${home}, then ${join(home, '.config', 'glance-cache')}/ for inventory.yaml, inventory.yml, inventory.json, inventory.js, inventory.cjs, inventory.mjs ` +
        'and /etc/glance-cache/ for inventory.yaml, inventory.yml, inventory.json',
    );
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

  it('never loads JavaScript it finds on the way up: configuration found by searching is data', async () => {
    const marker = join(root, 'ran');
    const code = `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'x'); module.exports = { nodes: ['planted'] };\n`;
    for (const name of ['glance-cache.config.js', 'glance-cache.config.cjs', '.glance-cacherc.js', '.glance-cacherc.cjs']) await put(join(home, 'proj', name), code);
    expect(await loadError()).toMatch(/^inventory: none found/);
    const data = await put(join(home, '.glance-cacherc.yaml'), inventoryOf('data'));
    expect([(await load()).path, existsSync(marker)]).toEqual([data, false]);
  });

  it('reads a JS config from the user\'s config directory through the same schema, naming file and field', async () => {
    const path = await put(join(home, '.config', 'glance-cache', 'inventory.mjs'), 'export default { nodes: ["js[1-2].example"], defaults: { timeout: 3 } };\n');
    const loaded = await load();
    expect([loaded.how, loaded.path]).toEqual(['user', path]);
    expect(loaded.inventory.nodes.map((node) => [node.name, node.timeoutMs])).toEqual([['js1', 3000], ['js2', 3000]]);
    await rm(path);
    const broken = await put(join(home, '.config', 'glance-cache', 'inventory.cjs'), 'module.exports = { nodes: ["js1"], defaults: { timout: 3 } };\n');
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

describe('loadInventory trust: what it finds must be its user\'s or root\'s', () => {
  const asRoot = process.geteuid?.() === 0;

  it.runIf(asRoot)('refuses a file found by searching that another user owns, naming the file and the owner', async () => {
    const planted = await put(join(home, 'proj', '.glance-cacherc.yaml'), inventoryOf('planted'), 0o644);
    await chown(planted, 65534, 65534);
    expect(await loadError()).toBe(`${planted}: refused: owned by nobody (uid 65534), not by you or root; another user may have put it there: give the inventory with -i if you trust it`);
    // The user's own config directory is found too, so it is checked too.
    await rm(planted);
    const user = await put(join(home, '.config', 'glance-cache', 'inventory.mjs'), 'export default { nodes: ["x"] };\n', 0o644);
    await chown(user, 65534, 65534);
    expect(await loadError()).toMatch(/inventory\.mjs: refused: owned by nobody \(uid 65534\)/);
  });

  it.runIf(asRoot)('reads a file another user owns when it is given with -i or GLANCE_CACHE_INVENTORY', async () => {
    const theirs = await put(join(root, 'theirs.yaml'), inventoryOf('theirs'), 0o666);
    await chown(theirs, 65534, 65534);
    expect((await load({ flag: theirs })).inventory.nodes[0]?.name).toBe('theirs');
    expect((await load({ env: { GLANCE_CACHE_INVENTORY: theirs } })).inventory.nodes[0]?.name).toBe('theirs');
  });

  it.runIf(asRoot)('passes over a package.json of another user that is not an inventory', async () => {
    const other = await put(join(home, 'proj', 'sub', 'package.json'), '{"name": "app"}\n', 0o644);
    await chown(other, 65534, 65534);
    const mine = await put(join(home, 'proj', '.glance-cacherc.yaml'), inventoryOf('mine'));
    expect((await load()).path).toBe(mine);
  });

  it('refuses a found file that its group or others may write', async () => {
    const path = await put(join(home, 'proj', '.glance-cacherc'), inventoryOf('shared'), 0o664);
    expect(await loadError()).toBe(`${path}: refused: writable by its group (mode 0664): run chmod go-w on it, or give the inventory with -i if you trust it`);
    await chmod(path, 0o646);
    expect(await loadError()).toMatch(/: refused: writable by others \(mode 0646\)/);
  });

  it('refuses a found file in a directory anyone may write to without the sticky bit, and reads it under a sticky one', async () => {
    const dir = join(home, 'proj');
    const path = await put(join(dir, '.glance-cacherc.json'), '{"nodes": ["a"]}\n', 0o644);
    await chmod(dir, 0o777);
    expect(await loadError()).toBe(`${path}: refused: its directory ${dir} is writable by anyone and not sticky (mode 0777), so anyone could replace it: give the inventory with -i if you trust it`);
    await chmod(dir, 0o1777);
    expect((await load()).path).toBe(path);
  });

  it('checks what a found inventory includes as it checks the inventory', async () => {
    await put(join(home, 'proj', 'multinode'), '[glance-api]\nc1\n', 0o666);
    await put(join(home, 'proj', '.glance-cacherc.yaml'), 'include: ["kolla:./multinode"]\n');
    expect(await loadError()).toBe(`${join(home, 'proj', 'multinode')}: refused: writable by group and others (mode 0666): run chmod go-w on it, or give the inventory with -i if you trust it`);
  });
});

describe('loadInventory reads regular files only, of at most 16 MiB', () => {
  it('refuses a FIFO without waiting for a writer', async () => {
    const fifo = join(root, 'inventory.fifo');
    execFileSync('mkfifo', [fifo]);
    expect(await loadError({ flag: fifo })).toBe(`${fifo}: cannot read: is a named pipe (FIFO), not a regular file`);
  });

  it('refuses a device and a file larger than 16 MiB', async () => {
    expect(await loadError({ flag: '/dev/zero' })).toBe('/dev/zero: cannot read: is a character device, not a regular file');
    const huge = join(root, 'huge.yaml');
    await writeFile(huge, '');
    await truncate(huge, 16 * 1024 * 1024 + 1);
    expect(await loadError({ flag: huge })).toBe(`${huge}: cannot read: is larger than 16 MiB, too large for a configuration file`);
  });

  it('refuses a FIFO included by an inventory', async () => {
    execFileSync('mkfifo', [join(root, 'multinode')]);
    const path = await put(join(root, 'inv.yaml'), 'include: ["kolla:./multinode"]\n');
    expect(await loadError({ flag: path })).toBe(`${join(root, 'multinode')}: cannot read: is a named pipe (FIFO), not a regular file (included by ${path})`);
  });
});
