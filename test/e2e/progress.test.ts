/**
 * A long write as an operator sees it: the built bin run under a pseudo-terminal (util-linux `script`)
 * against 200 simulated nodes, stdout to a file so the terminal shows stderr alone. On a terminal the run
 * is one progress line redrawn in place; piped (a cron log), or with -v, it is a line per eviction. The
 * live line is drawn plain under --color never, not at all under NO_COLOR (the project's output rule)
 * unless --color always says so, and cyan where colour is on.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildDist } from '../helpers/build.js';
import { runCli } from '../helpers/run-cli.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';

const SCRIPT = '/usr/bin/script';
const NODES = 200;
const PER_NODE = 3;
const bin = new URL('../../bin/glance-cache.js', import.meta.url).pathname;

let fleet: SimFleetOnDisk;

/** Without NO_COLOR or CI, as an operator's terminal is; each case adds what it tests. */
const baseEnv = (extra: Record<string, string>) => ({ PATH: process.env.PATH ?? '', HOME: fleet.dir, TERM: 'xterm', ...extra });
const pruneArgs = (extra: string[]) => ['-i', fleet.inventory, ...extra, 'prune', '-a', '--max-size', '1B', '--yes', '--lock', join(fleet.dir, 'prune.lock')];

async function finished(child: ReturnType<typeof spawn>): Promise<number | null> {
  const [code] = (await once(child, 'close')) as [number | null];
  return code;
}

/** The bin on a 100-column pseudo-terminal; returns what the terminal showed (stderr) and stdout's file. */
async function onTerminal(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; terminal: string; stdout: string }> {
  const transcript = join(fleet.dir, 'terminal.txt');
  const stdout = join(fleet.dir, 'stdout.txt');
  const command = `stty cols 100 rows 40; exec '${process.execPath}' '${bin}' ${args.map((arg) => `'${arg}'`).join(' ')} > '${stdout}'`;
  const child = spawn(SCRIPT, ['-q', '-e', '-f', '-c', command, transcript], { cwd: fleet.dir, env: baseEnv(env), stdio: ['ignore', 'ignore', 'inherit'] });
  const code = await finished(child);
  return { code, terminal: readFileSync(transcript, 'utf8'), stdout: readFileSync(stdout, 'utf8') };
}

async function piped(args: string[]): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, [bin, ...args], { cwd: fleet.dir, env: baseEnv({}), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await finished(child);
  return { code, stderr, stdout };
}

const lines = (text: string) => text.split('\n').length - 1;
const evictions = (text: string) => text.split('\n').filter((line) => / evicted /.test(line)).length;
const DELETIONS = NODES * PER_NODE;

describe.skipIf(!existsSync(SCRIPT))('a long write on a terminal', () => {
  beforeAll(() => buildDist());
  beforeEach(async () => {
    fleet = await simFleetOnDisk({ count: NODES, imagesPerNode: PER_NODE });
  });
  afterEach(async () => {
    await fleet.close();
  });

  it(`prunes ${DELETIONS} copies on ${NODES} nodes as one progress line on a terminal, and still prints the outcome`, async () => {
    const run = await onTerminal(pruneArgs([]));
    expect(run.code).toBe(0);
    // The plan (one line per image), the live line redrawn in place, the freed figure: not 600 lines.
    expect(lines(run.terminal)).toBeLessThan(40);
    expect(evictions(run.terminal)).toBe(0);
    expect(run.terminal).toMatch(/Pruning… \d+ done, \d+ failed, \d+ left, [\d.]+ \S+ freed/);
    expect(run.stdout.split('\n').filter((line) => /\bdone\b/.test(line)).length).toBe(DELETIONS);
  }, 120_000);

  it('prints a line per eviction when piped, as cron logs keep them', async () => {
    const cron = await piped(pruneArgs([]));
    expect(cron.code).toBe(0);
    expect(evictions(cron.stderr)).toBe(DELETIONS);
    expect(cron.stderr).not.toContain('Pruning…');
  }, 120_000);

  it('prints a line per eviction on a terminal with -v, under the progress line', async () => {
    const run = await onTerminal(pruneArgs(['-v']));
    expect(run.code).toBe(0);
    expect(evictions(run.terminal)).toBe(DELETIONS);
  }, 120_000);

  it.each<[string, string[], Record<string, string>, boolean]>([
    ['--color never', ['--color', 'never'], {}, false],
    ['--color always over NO_COLOR', ['--color', 'always'], { NO_COLOR: '1' }, true],
    ['a terminal, stdout a file', [], {}, true],
  ])('%s: the live line is drawn on a terminal, cyan only where colour is on', async (_case, flags, env, cyan) => {
    const run = await onTerminal(['-i', fleet.inventory, ...flags, 'nodes', '-n', 'glance001'], env);
    expect(run.code).toBe(0);
    expect(run.terminal).toContain('Asking 1 node…');
    // Cyan frames, though stdout is a file; without colour, no SGR sequence at all (the line is still redrawn).
    if (cyan) expect(run.terminal).toContain('\u001b[36m');
    else expect(run.terminal).not.toMatch(/\u001b\[[\d;]*m/);
  }, 120_000);

  it('draws no live line under NO_COLOR: no spinner, no escape sequence', async () => {
    const run = await onTerminal(['-i', fleet.inventory, 'nodes', '-n', 'glance001'], { NO_COLOR: '1' });
    expect(run.code).toBe(0);
    expect(run.terminal).not.toContain('Asking 1 node…');
    expect(run.terminal).not.toMatch(/\u001b\[/);
  }, 120_000);

  it('prunes under NO_COLOR without a line per eviction on the terminal, and still prints the outcome', async () => {
    const run = await onTerminal(pruneArgs([]), { NO_COLOR: '1' });
    expect(run.code).toBe(0);
    expect(evictions(run.terminal)).toBe(0);
    expect(lines(run.terminal)).toBeLessThan(40);
    expect(run.terminal).not.toMatch(/\u001b\[/);
    expect(run.stdout.split('\n').filter((line) => /\bdone\b/.test(line)).length).toBe(DELETIONS);
  }, 120_000);
});

describe('the plan before a long write', () => {
  let small: SimFleetOnDisk;
  beforeEach(async () => {
    small = await simFleetOnDisk({ count: 3, imagesPerNode: 0 });
    // 25 images on glance01 alone: 25 plan lines, more than the 20 shown.
    for (let index = 0; index < 25; index++) small.nodes[0]!.readImage(small.catalog.add({ name: `image-${index}`, size: 1024 }).id);
  });
  afterEach(async () => {
    await small.close();
  });
  const prune = (args: string[], options: Parameters<typeof runCli>[1] = {}) =>
    runCli(['-i', small.inventory, 'prune', '-a', '--max-size', '1B', '--lock', join(small.dir, 'prune.lock'), ...args], options);
  // Piped stderr is timestamped, as in a cron log.
  const planLines = (stderr: string) => stderr.split('\n').filter((line) => /^(\S+Z )? {2}delete /.test(line)).length;

  it('--dry-run shows 20 plan lines, says the rest are in the plan it prints, and prints every action', async () => {
    const run = await prune(['--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    expect(planLines(run.stderr)).toBe(20);
    expect(run.stderr).toContain('  … and 5 more lines (-v lists them; the plan on stdout has every action)\n');
    expect(run.stdout.split('\n').filter((line) => /\bdelete\b/.test(line)).length).toBe(25);
  });

  it('-v lists every plan line, with no note', async () => {
    const run = await prune(['-v', '--dry-run']);
    expect(planLines(run.stderr)).toBe(25);
    expect(run.stderr).not.toContain('more lines');
  });

  it('-q on a terminal still asks with the plan in one line, and shows nothing else before it', async () => {
    const questions: string[] = [];
    const run = await prune(['-q'], { tty: true, confirm: async (question) => (questions.push(question), false) });
    expect(run.code).toBe(2);
    expect(questions).toEqual(['prune 1 node (25 deletions of 25 images, 25 KiB)?']);
    expect(run.stderr).toBe('error: not confirmed: nothing was sent\n');
  });
});
