/**
 * Hostile names on hostile terminals: names that are wide (CJK, emoji), carry zero-width and combining
 * characters, escapes, newlines and bidi overrides, on terminals of 0 (unknown: 80 assumed), 1, 5, 20 and
 * 65535 columns. Nothing crashes, nothing reaches the terminal raw, and from 20 columns up no line is
 * wider than the terminal (below that, a bordered table cannot be drawn at all).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/output/width.js';
import { buildDist } from '../helpers/build.js';
import { runOnTerminal } from '../helpers/pty.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';

const HOSTILE = ['镜像名称很长的中文名字镜像名称很长的中文名字镜像名称', '👨‍👩‍👧‍👦-family-🚀🚀🚀🚀🚀🚀🚀🚀', 'e\u0301\u0301\u0301\u0301-combining-cafe\u0301', 'zero\u200d\u200b\u200dwidth\u200b\u200b\u200b\u200b', 'red\u001b[31mRED\u001b]0;pwned\u0007\u001b[2J', 'new\nline\rcarriage', 'bidi\u202eevil'];

let fleet: SimFleetOnDisk;
beforeAll(async () => {
  buildDist();
  fleet = await simFleetOnDisk({ count: 4, imagesPerNode: 7 });
  fleet.catalog.visible().forEach((image, index) => fleet.catalog.update(image.id, { name: HOSTILE[index % HOSTILE.length]! }));
});
afterAll(async () => {
  await fleet?.close();
});

const COMMANDS: [string, string[], number][] = [
  ['ls', ['ls', '-a'], 0],
  ['ls --per-node', ['ls', '-a', '--per-node'], 0],
  ['nodes', ['nodes', '-a'], 0],
  ['diff', ['diff', '-a'], 1],
  ['prune --dry-run with size and reasons', ['prune', '-a', '--max-size', '0', '--dry-run', '-c', 'node,image,name,action,size,reasons'], 0],
];

describe.each([
  [0, 80],
  [1, null],
  [5, null],
  [20, 20],
  [65535, 65535],
])('a terminal of %i columns', (columns, widest) => {
  it.each(COMMANDS)('%s', async (_name, args, code) => {
    const extra = args[0] === 'prune' ? ['--lock', `${fleet.dir}/prune.lock`] : [];
    const run = await runOnTerminal(columns, ['-i', fleet.inventory, ...args, ...extra]);
    expect(run.code).toBe(code);
    expect(`${run.lines.join('\n')}${run.stderr}`).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    if (widest !== null) expect(Math.max(...run.lines.map(displayWidth))).toBeLessThanOrEqual(widest);
  });
});
