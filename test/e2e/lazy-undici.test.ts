/**
 * A networked run loads undici, and nothing else's HTTP stack: on Node 20 the global Headers is a getter
 * that compiles Node's own bundled undici (40–70 ms), which undici's cookie helpers would trigger as they
 * load (src/lazy/dispatcher.ts hides it meanwhile). Node 22 and later load that copy at start-up anyway,
 * so there the run must only leave the global as it found it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildDist } from '../helpers/build.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';

const bin = new URL('../../bin/glance-cache.js', import.meta.url).pathname;
const NODE_UNDICI = 'NativeModule internal/deps/undici/undici';
let fleet: SimFleetOnDisk;
let dir: string;

beforeAll(async () => {
  await buildDist();
  fleet = await simFleetOnDisk();
  dir = mkdtempSync(join(tmpdir(), 'glance-cache-undici-'));
});
afterAll(async () => {
  await fleet.close();
});

it("loads Node's bundled undici only where Node itself had, and leaves the Headers global working", async () => {
  const preload = join(dir, 'probe.cjs');
  const report = join(dir, 'report.json');
  // Read at start and at exit, before anything here touches the global.
  writeFileSync(
    preload,
    `const fs = require('node:fs');
const lazyAtStart = typeof Object.getOwnPropertyDescriptor(globalThis, 'Headers')?.get === 'function';
const loadedAtStart = process.moduleLoadList.includes(${JSON.stringify(NODE_UNDICI)});
process.on('exit', () => {
  const loadedAtExit = process.moduleLoadList.includes(${JSON.stringify(NODE_UNDICI)});
  const sameKind = typeof Object.getOwnPropertyDescriptor(globalThis, 'Headers')?.get === 'function' === lazyAtStart;
  fs.writeFileSync(${JSON.stringify(report)}, JSON.stringify({ lazyAtStart, loadedAtStart, loadedAtExit, sameKind, headers: typeof globalThis.Headers }));
});
`,
  );
  const { stdout } = await promisify(execFile)(process.execPath, ['-r', preload, bin, '-i', fleet.inventory, 'ls', '-a', '-f', 'json'], { env: { ...process.env, NO_COLOR: '1' } });
  expect((JSON.parse(stdout) as { images: unknown[] }).images.length).toBeGreaterThan(0);
  const seen = JSON.parse(readFileSync(report, 'utf8')) as { lazyAtStart: boolean; loadedAtStart: boolean; loadedAtExit: boolean; sameKind: boolean; headers: string };
  expect(seen.loadedAtExit).toBe(seen.loadedAtStart);
  expect(seen.sameKind).toBe(true);
  expect(seen.headers).toBe('function');
});
