/**
 * What every cell of the fault matrix checks (test/FAULTS.md): the documented exit code, exactly one
 * stderr line naming the failed node and the cause, and the healthy nodes' results intact in the JSON.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { expect } from 'vitest';
import type { CliRun } from '../helpers/run-cli.js';
import type { SimNode } from '../../src/sim/index.js';

export interface LsJson {
  nodes: { name: string; url: string; ok: boolean; error: string | null; cached_images?: number | null }[];
  images: { id: string; name: string | null; size: number | null; cached_on: string[]; queued_on: string[]; hits: number; last_accessed: string | null }[];
}

/** The diagnostic lines, without the timestamps a non-terminal stderr gets. */
export function errorLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^\d{4}-\d\d-\d\dT[\d:.]+Z /, ''));
}

/**
 * One node failed, the others answered: exit 3, one line `error: NAME (URL): REASON` where REASON, also the
 * node's `error` in the JSON, matches `cause`; and every image the healthy nodes hold listed as cached on
 * them, no more, no less.
 */
export function expectOnlyNodeFailed(run: CliRun, nodes: readonly SimNode[], failed: { name: string; url: string }, cause: RegExp): LsJson {
  expect(run.code, run.stderr).toBe(3);
  const lines = errorLines(run.stderr);
  expect(lines, run.stderr).toHaveLength(1);
  const result = JSON.parse(run.stdout) as LsJson;
  const failedEntry = result.nodes.find((node) => node.name === failed.name)!;
  expect(failedEntry.ok).toBe(false);
  expect(failedEntry.error).toMatch(cause);
  // The line on stderr is the node, its URL and the very reason the JSON gives.
  expect(lines[0]).toBe(`error: ${failed.name} (${failed.url}): ${failedEntry.error}`);
  for (const node of nodes) {
    if (node.name === failed.name) continue;
    expect(result.nodes.find((entry) => entry.name === node.name)).toMatchObject({ ok: true, error: null });
    const listed = result.images.filter((image) => image.cached_on.includes(node.name)).map((image) => image.id).sort();
    expect(listed).toEqual(node.state().cached.map((entry) => entry.id).sort());
  }
  expect(result.images.every((image) => !image.cached_on.includes(failed.name))).toBe(true);
  return result;
}

/**
 * A loopback port whose listener accepts nothing: a stopped process with a full accept queue, so the
 * kernel drops further SYNs and a connect hangs as it would towards a dead host. Loopback only.
 */
export interface Unanswering {
  url: string;
  close(): void;
}

export async function startUnansweringPort(): Promise<Unanswering> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['-e', "const s=require('net').createServer();s.listen({port:0,host:'127.0.0.1',backlog:1},()=>process.stdout.write(s.address().port+'\\n'))"],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve) => child.stdout!.once('data', (data: Buffer) => resolve(Number(String(data).trim()))));
  process.kill(child.pid!, 'SIGSTOP');
  const fillers: Socket[] = [];
  // A backlog of 1 holds two completed connections; after those, SYNs go unanswered.
  for (let index = 0; index < 2; index++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    fillers.push(socket);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      for (const socket of fillers) socket.destroy();
      process.kill(child.pid!, 'SIGCONT');
      child.kill('SIGKILL');
    },
  };
}
