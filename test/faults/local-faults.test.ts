/**
 * The fault matrix, local faults (test/FAULTS.md), on the built bin as a real process: a full disk under
 * stdout, SIGTERM mid-run, and a reader that leaves (`ls | head -1`, also in test/e2e/bin.test.ts).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildDist } from '../helpers/build.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';
import { errorLines, type LsJson } from './support.js';

const bin = new URL('../../bin/glance-cache.js', import.meta.url).pathname;
const childEnv = { ...process.env, NO_COLOR: '1' };

let fleet: SimFleetOnDisk;
beforeAll(buildDist);
beforeEach(async () => {
  fleet = await simFleetOnDisk({ imagesPerNode: 600 });
});
afterEach(async () => {
  await fleet.close();
});

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('local faults', () => {
  it('disk full under stdout (/dev/full): one line, exit 74, never a silent 0', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const child = spawn(process.execPath, [bin, '-i', fleet.inventory, 'ls', '-a', '--json'], { stdio: ['ignore', full, 'pipe'], env: childEnv });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(74);
      expect(errorLines(stderr)).toEqual(['error: cannot write the output: ENOSPC: no space left on device, write']);
    } finally {
      closeSync(full);
    }
  });

  /** Runs the bin under a 1 KiB file size limit (`ulimit -f 1`): a disk that fills up mid-write. */
  async function underFileLimit(redirect: string) {
    const shell = spawn('bash', ['-c', `ulimit -f 1; exec "${process.execPath}" "${bin}" -i "${fleet.inventory}" ls -a --json --debug ${redirect}`], { env: childEnv });
    let stdout = '';
    let stderr = '';
    shell.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    shell.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(shell, 'close')) as [number | null];
    return { code, stdout, stderr };
  }

  it('a disk that fills up in the middle of the output file: exit 74, never a cut document with exit 0', async () => {
    const file = join(fleet.dir, 'out.json');
    const run = await underFileLimit(`> "${file}"`);
    expect(run.code).toBe(74);
    expect(errorLines(run.stderr).filter((line) => line.startsWith('error:'))).toEqual(['error: cannot write the output: EFBIG: file too large, write']);
    expect(statSync(file).size).toBe(1024);
  });

  it('a disk that fills up under the log (stderr to a file) does not stop the run', async () => {
    const run = await underFileLimit(`2> "${join(fleet.dir, 'log.txt')}"`);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as LsJson).nodes.every((node) => node.ok)).toBe(true);
  });

  it('a reader slower than the run still gets the whole output (the exit waits for the pipe to drain)', async () => {
    const child = spawn(process.execPath, [bin, '-i', fleet.inventory, 'ls', '-a', '--json'], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv });
    const chunks: Buffer[] = [];
    child.stdout.pause();
    const closed = once(child, 'close');
    // Not reading while the run finishes: the output outgrows the pipe buffer and waits in the process.
    await waitFor(() => fleet.nodes.every((node) => node.requests.some((request) => request.path.startsWith('/v2/images'))));
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stdout.resume();
    const [code] = (await closed) as [number | null];
    expect(code).toBe(0);
    const result = JSON.parse(Buffer.concat(chunks).toString()) as LsJson;
    expect(result.nodes.map((node) => node.ok)).toEqual([true, true, true]);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('%s mid-run: what completed is printed, exit 130', async (signal) => {
    fleet.nodes[2]!.setFaults({ hang: 'before-headers' });
    const child = spawn(process.execPath, [bin, '-i', fleet.inventory, 'ls', '-a', '--json', '--timeout', '60s'], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = once(child, 'exit');
    // The healthy nodes answered and their names were looked up: only the hung node is still out.
    await waitFor(() => fleet.nodes[2]!.requests.length > 0 && fleet.nodes[0]!.requests.some((request) => request.path.startsWith('/v2/images')));
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.kill(signal);
    const [code] = (await exited) as [number | null];
    expect(code).toBe(130);
    const result = JSON.parse(stdout) as LsJson;
    expect(result.nodes.map((node) => node.ok)).toEqual([true, true, false]);
    expect(result.nodes[2]!.error).toBe('interrupted');
    const held = fleet.nodes[0]!.state().cached.map((entry) => entry.id);
    for (const id of held) expect(result.images.find((image) => image.id === id)?.cached_on).toContain('glance01');
    expect(errorLines(stderr)).toEqual([expect.stringMatching(/^error: glance03 \(.*\): interrupted$/), 'error: interrupted: showing the nodes that answered']);
  });

  it('a hung node still ends at --timeout when memory is collected mid-run (no deadline lost to GC)', async () => {
    // Node 20 drops an AbortSignal.timeout combined through AbortSignal.any when a full GC runs first: the
    // run then waited for the hung node forever. V8's flags make such GCs happen all the time here.
    fleet.nodes[1]!.setFaults({ hang: 'before-headers' });
    const child = spawn(process.execPath, ['--gc-interval=2000', '--gc-global', bin, '-i', fleet.inventory, 'ls', '-a', '--json', '--timeout', '1s'], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const stop = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const [code] = (await once(child, 'close')) as [number | null];
    clearTimeout(stop);
    expect(code).toBe(3);
    expect((JSON.parse(stdout) as LsJson).nodes.map((node) => node.ok)).toEqual([true, false, true]);
  });

  it('SIGPIPE in a shell pipeline (ls | head -1): one line out, exit 0, nothing on stderr', async () => {
    // Asynchronously: the simulated nodes answer from this very process.
    const shell = spawn('bash', ['-c', `"${process.execPath}" "${bin}" -i "${fleet.inventory}" ls -a | head -1; echo "status=\${PIPESTATUS[0]}"`], { env: childEnv });
    let stdout = '';
    let stderr = '';
    shell.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    shell.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await once(shell, 'exit');
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe('status=0');
    expect(stderr).toBe('');
  });
});
