import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cacheFile, readCache, writeCache } from '../../../src/complete/cache-files.js';

let home: string | undefined;
afterEach(() => {
  if (home) rmSync(home, { recursive: true, force: true });
});

describe('writeCache', () => {
  it('replaces the file whole, and removes staging files that dead runs left, not those of live ones', async () => {
    home = mkdtempSync(join(tmpdir(), 'glance-cache-files-'));
    const dir = join(home, '.cache', 'glance-cache');
    const file = cacheFile(dir, 'images', '/etc/inventory.yaml');
    await writeCache(file, { first: true });
    // A pid that has certainly exited: a child we waited for.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const staging = (pid: number) => join(dir, `.${file.slice(dir.length + 1)}.${pid}.0badc0de.tmp`);
    const orphan = staging(dead);
    const live = staging(process.ppid);
    writeFileSync(orphan, '{"half');
    writeFileSync(live, '{"being written');
    await writeCache(file, { second: true });
    expect(await readCache(file)).toEqual({ second: true });
    expect(readdirSync(dir).sort()).toEqual([file, live].map((path) => path.slice(dir.length + 1)).sort());
  });
});

describe('readCache', () => {
  it('reads nothing from a FIFO at the cache path instead of waiting for a writer', async () => {
    home = mkdtempSync(join(tmpdir(), 'glance-cache-files-'));
    const file = cacheFile(home, 'nodes', '/etc/inventory.yaml');
    spawnSync('mkfifo', [file]);
    expect(await readCache(file)).toBeUndefined();
  });
});
