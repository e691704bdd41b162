/**
 * A fleet large enough that the built CLI decodes listings on other threads (40 nodes, ~90 kB each)
 * lists exactly what the same CLI run in-process, decoding everything in place, lists.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDist } from '../helpers/build.js';
import { runCli } from '../helpers/run-cli.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';

const bin = new URL('../../bin/glance-cache.js', import.meta.url).pathname;
const withoutLatency = (json: string) => JSON.stringify(JSON.parse(json), (key, value: unknown) => (key === 'latency_ms' ? 0 : value));

let fleet: SimFleetOnDisk;
beforeAll(async () => {
  buildDist();
  fleet = await simFleetOnDisk({ count: 40, imagesPerNode: 600, seed: 5 });
  // One node broken mid-body: its failure must read the same from a decoding thread.
  fleet.nodes[7]!.setFaults({ truncate: true });
});
afterAll(async () => {
  await fleet.close();
});

describe('listings decoded on other threads', () => {
  it('give the same JSON, failures included, as decoding in place', async () => {
    const args = ['-i', fleet.inventory, 'ls', '-a', '--per-node', '-o', 'json', '--debug'];
    const built = await promisify(execFile)(process.execPath, [bin, ...args], { maxBuffer: 256 * 1024 * 1024 }).catch((error: { code: number; stdout: string; stderr: string }) => error);
    const inProcess = await runCli(args);
    // The sources run unbundled have no worker file to start: the in-process run decodes in place.
    expect(built.stderr).toContain('debug: decoding large cache listings on');
    expect(built.stderr).not.toContain('decoding thread');
    expect(inProcess.stderr).not.toContain('decoding large cache listings');
    expect('code' in built ? built.code : 0).toBe(3);
    expect(inProcess.code).toBe(3);
    expect(built.stderr).toContain('truncated JSON');
    expect(withoutLatency(built.stdout)).toEqual(withoutLatency(inProcess.stdout));
    expect((JSON.parse(inProcess.stdout) as { images: unknown[] }).images.length).toBeGreaterThan(600);
  });

  it('are never started when no answer is large enough to need one', async () => {
    // 40 nodes (enough for a pool) of a few images each: every answer is decoded in place.
    const small = await simFleetOnDisk({ count: 40, imagesPerNode: 5, seed: 5 });
    try {
      const built = await promisify(execFile)(process.execPath, [bin, '-i', small.inventory, 'ls', '-a', '-o', 'json', '--debug']);
      expect((JSON.parse(built.stdout) as { nodes: { ok: boolean }[] }).nodes.filter((node) => node.ok)).toHaveLength(40);
      expect(built.stderr).not.toContain('decoding large cache listings');
    } finally {
      await small.close();
    }
  });
});
