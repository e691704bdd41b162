/**
 * bin/ compiles dist/main.cjs with a V8 code cache in the user's cache directory: written by the first
 * run, used by the next, rewritten when V8 refuses it, and never a reason for a run to fail.
 */
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist } from '../helpers/build.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';

const bin = new URL('../../bin/glance-cache.js', import.meta.url).pathname;
let fleet: SimFleetOnDisk;
let dir: string;

function run(args: string[], cacheHome: string) {
  return promisify(execFile)(process.execPath, [bin, ...args], { env: { ...process.env, XDG_CACHE_HOME: cacheHome, NO_COLOR: '1' } });
}

const codeCaches = (cacheHome: string) => readdirSync(join(cacheHome, 'glance-cache')).filter((name) => name.startsWith('code-') && name.endsWith('.v8'));
const commandsOf = (cacheHome: string) => JSON.parse(readFileSync(join(cacheHome, 'glance-cache', `${codeCaches(cacheHome)[0]!}.commands`), 'utf8')) as string[];

beforeAll(async () => {
  buildDist();
  fleet = await simFleetOnDisk();
  dir = mkdtempSync(join(tmpdir(), 'glance-cache-code-'));
  // A JavaScript inventory: loaded through import(), which code from a code cache cannot call itself.
  writeFileSync(join(dir, 'inventory.mjs'), `export default ${JSON.stringify({ nodes: fleet.nodes.map((node) => ({ name: node.name, url: node.url })), auth: { type: 'none' } })};\n`);
});
afterAll(async () => {
  await fleet.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the code cache', () => {
  it('is written by the first run and used, unchanged, by the next, with the same answers', async () => {
    const cacheHome = join(dir, 'cache-a');
    const args = ['-i', join(dir, 'inventory.mjs'), 'ls', '-a', '-o', 'json'];
    const first = await run(args, cacheHome);
    const [cache] = codeCaches(cacheHome);
    expect(cache).toMatch(/^code-v\d+\.\d+\.\d+-\w+-\d+-\d+-\d+\.v8$/);
    const written = statSync(join(cacheHome, 'glance-cache', cache!));
    expect(written.mode & 0o777).toBe(0o600);
    const second = await run(args, cacheHome);
    expect(JSON.parse(second.stdout).images).toEqual(JSON.parse(first.stdout).images);
    expect(codeCaches(cacheHome)).toEqual([cache]);
    expect(statSync(join(cacheHome, 'glance-cache', cache!)).mtimeMs).toBe(written.mtimeMs);
  });

  it('grows when a command it has not seen runs, and stays as it is for one it has', async () => {
    const cacheHome = join(dir, 'cache-d');
    await run(['--help'], cacheHome);
    expect(commandsOf(cacheHome)).toEqual(['help']);
    const path = join(cacheHome, 'glance-cache', codeCaches(cacheHome)[0]!);
    const helpOnly = statSync(path).size;
    await run(['-i', fleet.inventory, 'ls', '-a', '-o', 'json'], cacheHome);
    expect(commandsOf(cacheHome)).toEqual(['help', 'ls']);
    // ls's own code (the listing, undici, the merge) is in it now.
    expect(statSync(path).size).toBeGreaterThan(helpOnly);
    const written = statSync(path).mtimeMs;
    await run(['-i', fleet.inventory, 'ls', '-a', '-o', 'json'], cacheHome);
    await run(['--help'], cacheHome);
    expect(statSync(path).mtimeMs).toBe(written);
  });

  it('is rewritten when V8 refuses it, and the run goes on', async () => {
    const cacheHome = join(dir, 'cache-b');
    await run(['-i', fleet.inventory, 'nodes', '-a', '-o', 'json'], cacheHome);
    const [cache] = codeCaches(cacheHome);
    const path = join(cacheHome, 'glance-cache', cache!);
    writeFileSync(path, Buffer.alloc(4096, 7));
    const result = await run(['-i', fleet.inventory, 'nodes', '-a', '-o', 'json'], cacheHome);
    expect(JSON.parse(result.stdout).nodes).toHaveLength(3);
    expect(readFileSync(path).equals(Buffer.alloc(4096, 7))).toBe(false);
  });

  it('is used only when the running user alone can have written it (sudo keeping HOME must not run another user\'s code)', async () => {
    const cacheHome = join(dir, 'cache-c');
    await run(['-i', fleet.inventory, 'nodes', '-a', '-o', 'json'], cacheHome);
    const codeDir = join(cacheHome, 'glance-cache');
    const path = join(codeDir, codeCaches(cacheHome)[0]!);
    // Writable by others: not read, and replaced by a private one.
    chmodSync(path, 0o666);
    const before = statSync(path).ino;
    await run(['-i', fleet.inventory, 'nodes', '-a', '-o', 'json'], cacheHome);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(path).ino).not.toBe(before);
    // In a directory others can write to: neither read nor written.
    chmodSync(codeDir, 0o777);
    rmSync(path);
    const result = await run(['-i', fleet.inventory, 'nodes', '-a', '-o', 'json'], cacheHome);
    expect(JSON.parse(result.stdout).nodes).toHaveLength(3);
    expect(codeCaches(cacheHome)).toEqual([]);
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
