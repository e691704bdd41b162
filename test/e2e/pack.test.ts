/**
 * The package as an operator gets it: `npm pack` holds the bin, the built code, the completions and the
 * man page and nothing else, and a global install of that tarball works offline (the dependencies are
 * bundled into dist/ at build time, so the package declares none) and with --engine-strict on the Node.js
 * running this file: scripts/test.mjs runs it on each supported major (20, 22, 24), npm included.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist } from '../helpers/build.js';
import { simFleetOnDisk } from '../helpers/sim-fleet.js';

const root = new URL('../../', import.meta.url).pathname;
const fixture = join(root, 'test/fixtures/inventory/fleet.yaml');
// npm's own script, run by this Node.js rather than by whatever `node` npm's shebang would find.
const npmCli = realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());
let dir: string;
let tarball: string;
let prefix: string;

function run(command: string, args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}
const npm = (args: string[], env: Record<string, string> = {}) => run(process.execPath, [npmCli, ...args], env);

beforeAll(() => {
  buildDist();
  dir = mkdtempSync(join(tmpdir(), 'glance-cache-pack-'));
  // --ignore-scripts: the build above is atomic; prepare's would run again for nothing.
  const packed = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir]);
  expect(packed.status, packed.stderr).toBe(0);
  tarball = join(dir, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
  prefix = join(dir, 'prefix');
  const installed = npm(['install', '--global', '--engine-strict', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball], { npm_config_cache: join(dir, 'npm-cache') });
  expect(installed.status, installed.stderr).toBe(0);
}, 180_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('holds bin, dist, completions and man, and nothing else but package.json and the README', () => {
    const listing = run('tar', ['-tzf', tarball]).stdout.split('\n').filter(Boolean).map((path) => path.replace(/^package\//, ''));
    const tops = new Set(listing.map((path) => (path.includes('/') ? `${path.split('/')[0]}/` : path)));
    expect([...tops].sort()).toEqual(['README.md', 'bin/', 'completions/', 'dist/', 'man/', 'package.json']);
    expect(listing).toEqual(expect.arrayContaining(['bin/glance-cache.js', 'dist/main.js', 'dist/complete.js', 'dist/decode-worker.js', 'completions/glance-cache.bash', 'completions/_glance-cache', 'completions/glance-cache.fish', 'man/glance-cache.1']));
    expect(listing.filter((path) => /\.(ts|map)$/.test(path) || path.startsWith('test') || path.startsWith('src'))).toEqual([]);
  });

  it('declares no runtime dependency, so an offline install needs nothing from a registry', () => {
    const manifest = JSON.parse(run('tar', ['-xzOf', tarball, 'package/package.json']).stdout) as Record<string, unknown>;
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.bin).toEqual({ 'glance-cache': 'bin/glance-cache.js' });
    expect(manifest.man).toEqual(['man/glance-cache.1']);
    expect(readdirSync(join(prefix, 'lib/node_modules/glance-cache'))).not.toContain('node_modules');
  });
});

describe('a global install of the tarball', () => {
  const bin = () => join(prefix, 'bin/glance-cache');

  it('runs: --version, a dynamic completion, a completion script and a command', () => {
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(run(bin(), ['--version'])).toEqual({ stdout: `${version.version}\n`, stderr: '', status: 0 });
    const env = { XDG_CACHE_HOME: join(dir, 'cache') };
    expect(run(bin(), ['__complete', 'nodes', '@', '-i', fixture], env).stdout).toBe('@az1\tgroup of 3 nodes\n@az2\tgroup of 3 nodes\n@dc2\tgroup of 2 nodes\n@tls\tgroup of 1 node\n');
    expect(run(bin(), ['completion', 'bash']).stdout).toBe(readFileSync(join(root, 'completions/glance-cache.bash'), 'utf8'));
    const check = run(bin(), ['-i', fixture, 'inventory', '--check'], env);
    expect(check.status, check.stderr).toBe(0);
  });

  it(`lists a fleet, run by Node.js ${process.versions.node}`, async () => {
    const fleet = await simFleetOnDisk();
    try {
      // Asynchronously: the simulated nodes answer from this process.
      const installedBin = join(prefix, 'lib/node_modules/glance-cache/bin/glance-cache.js');
      const { stdout } = await promisify(execFile)(process.execPath, [installedBin, '-i', fleet.inventory, 'ls', '-a', '--json'], { env: { ...process.env, XDG_CACHE_HOME: join(dir, 'cache') } });
      const listed = JSON.parse(stdout) as { nodes: { name: string; ok: boolean }[]; images: { id: string; cached_on: string[] }[] };
      expect(listed.nodes.map((node) => [node.name, node.ok])).toEqual(fleet.nodes.map((node) => [node.name, true]));
      for (const node of fleet.nodes) {
        const held = listed.images.filter((image) => image.cached_on.includes(node.name)).map((image) => image.id);
        expect(held.sort()).toEqual(node.state().cached.map((entry) => entry.id).sort());
      }
    } finally {
      await fleet.close();
    }
  });

  it('puts the man page where man finds it', () => {
    const page = join(prefix, 'share/man/man1/glance-cache.1');
    expect(existsSync(page)).toBe(true);
    expect(readFileSync(page, 'utf8')).toBe(readFileSync(join(root, 'man/glance-cache.1'), 'utf8'));
  });
});
