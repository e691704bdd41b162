/**
 * bin/ turns on Node's compile cache (Node 22.1 and later) in the user's cache directory, only where the
 * running user alone can write, and never lets it fail a run. Under Node 20, which has none, the same
 * runs must simply leave no cache behind.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import module from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist } from '../helpers/build.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';

const bin = new URL('../../bin/glance-cache.js', import.meta.url).pathname;
const nodeHasCompileCache = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';
let fleet: SimFleetOnDisk;
let dir: string;

function run(args: string[], cacheHome: string) {
  return promisify(execFile)(process.execPath, [bin, ...args], { env: { ...process.env, XDG_CACHE_HOME: cacheHome, NO_COLOR: '1', NODE_COMPILE_CACHE: '' } });
}

/** Every file under the compile cache directory, by path relative to it. */
function cached(cacheHome: string): string[] {
  const root = join(cacheHome, 'glance-cache', 'compile');
  return existsSync(root) ? (readdirSync(root, { recursive: true }) as string[]).filter((path) => statSync(join(root, path)).isFile()) : [];
}

beforeAll(async () => {
  buildDist();
  fleet = await simFleetOnDisk();
  dir = mkdtempSync(join(tmpdir(), 'glance-cache-code-'));
  // A JavaScript inventory: loaded through import() from the bundle.
  writeFileSync(join(dir, 'inventory.mjs'), `export default ${JSON.stringify({ nodes: fleet.nodes.map((node) => ({ name: node.name, url: node.url })), auth: { type: 'none' } })};\n`);
});
afterAll(async () => {
  await fleet.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the compile cache', () => {
  it(`is ${nodeHasCompileCache ? 'written by the first run and kept by the next' : 'not written on a Node without one'}, with the same answers`, async () => {
    const cacheHome = join(dir, 'cache-a');
    const args = ['-i', join(dir, 'inventory.mjs'), 'ls', '-a', '-o', 'json'];
    const first = await run(args, cacheHome);
    const written = cached(cacheHome);
    if (!nodeHasCompileCache) {
      expect(written).toEqual([]);
    } else {
      expect(written.length).toBeGreaterThan(0);
      expect(statSync(join(cacheHome, 'glance-cache')).mode & 0o777).toBe(0o700);
    }
    const second = await run(args, cacheHome);
    expect(JSON.parse(second.stdout).images).toEqual(JSON.parse(first.stdout).images);
    expect(JSON.parse(first.stdout).images.length).toBeGreaterThan(0);
    expect(cached(cacheHome)).toEqual(written);
  });

  it("is neither read nor written in a directory others can write to (sudo keeping HOME must not run another user's code)", async () => {
    const cacheHome = join(dir, 'cache-c');
    await run(['-i', fleet.inventory, 'nodes', '-a', '-o', 'json'], cacheHome);
    rmSync(join(cacheHome, 'glance-cache', 'compile'), { recursive: true, force: true });
    mkdirSync(join(cacheHome, 'glance-cache'), { recursive: true });
    chmodSync(join(cacheHome, 'glance-cache'), 0o777);
    const result = await run(['-i', fleet.inventory, 'nodes', '-a', '-o', 'json'], cacheHome);
    expect(JSON.parse(result.stdout).nodes).toHaveLength(3);
    expect(cached(cacheHome)).toEqual([]);
  });

  it('is skipped when the cache directory cannot be created, and never creates a missing home', async () => {
    const result = await run(['-i', fleet.inventory, 'ls', '-a', '-o', 'json'], '/dev/null/cache');
    expect(JSON.parse(result.stdout).nodes).toHaveLength(3);
    expect(result.stderr).toBe('');
    const missing = join(dir, 'no-such-home', 'cache');
    await run(['-i', fleet.inventory, 'nodes', '-a', '-o', 'json'], missing);
    expect(existsSync(join(dir, 'no-such-home'))).toBe(false);
  });
});
