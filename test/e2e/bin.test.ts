/**
 * The built bin as a real process: signals, pipes, exit codes.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildDist } from '../helpers/build.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';

const bin = new URL('../../bin/glance-cache.js', import.meta.url).pathname;

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function start(args: string[], options: { stdoutTo?: 'pipe' | 'close-early' } = {}) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (options.stdoutTo === 'close-early') child.stdout.destroy();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const finished = once(child, 'exit').then(([code, signal]) => ({ code, signal, stdout, stderr }) as Finished);
  return { child, finished };
}

let fleet: SimFleetOnDisk;
beforeAll(buildDist);
beforeEach(async () => {
  // Enough images that the listing outgrows a pipe buffer, so a closed reader really causes EPIPE.
  fleet = await simFleetOnDisk({ imagesPerNode: 600 });
});
afterEach(async () => {
  await fleet.close();
});

describe('bin/glance-cache.js', () => {
  it('prints the version and exits 0', async () => {
    const { finished } = start(['--version']);
    const result = await finished;
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 2 on an unknown command or option', async () => {
    const command = await start(['frobnicate']).finished;
    expect(command.code).toBe(2);
    expect(command.stderr).toMatch(/unknown command/);
    const option = await start(['ls', '--frobnicate']).finished;
    expect(option.code).toBe(2);
  });

  it('stops on SIGINT, prints what completed and exits 130', async () => {
    fleet.nodes[2]!.setFaults({ hang: 'before-headers' });
    const { child, finished } = start(['-i', fleet.inventory, 'ls', '-a', '--json', '--timeout', '60s']);
    while (fleet.nodes[2]!.requests.length === 0 || fleet.nodes[0]!.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill('SIGINT');
    const result = await finished;
    expect(result.code).toBe(130);
    const listing = JSON.parse(result.stdout) as { nodes: { ok: boolean }[] };
    expect(listing.nodes.map((node) => node.ok)).toEqual([true, true, false]);
  });

  it('exits quietly when the reader of its output goes away (ls | head -1)', async () => {
    const { finished } = start(['-i', fleet.inventory, 'ls', '-a'], { stdoutTo: 'close-early' });
    const result = await finished;
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });
});
