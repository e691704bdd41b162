import { describe, expect, it } from 'vitest';
import { actionLineLevel, emptyTally, PLAIN_PROGRESS_EVERY_MS, plainProgressDue, progressText, tallyOutcome } from '../../../../src/cli/act/progress-line.js';
import type { ActionResult } from '../../../../src/core/plan-outcome.js';

const MiB = 1024 * 1024;

function tallied(total: number, settled: [ActionResult, number | null][]) {
  return settled.reduce((tally, [result, bytes]) => tallyOutcome(tally, { result }, bytes), emptyTally(total));
}

describe('the progress line of a long write', () => {
  it('starts with everything left', () => {
    expect(progressText('Pruning', emptyTally(200), 'freed')).toBe('Pruning… 0 done, 0 failed, 200 left, 0 B freed');
  });

  it('counts done and already as done, failed and unanswered as failed, and the bytes only of what was done', () => {
    const tally = tallied(10, [
      ['done', 3 * MiB],
      ['already', 5 * MiB],
      ['failed', 7 * MiB],
      ['unknown', 11 * MiB],
      ['done', MiB],
    ]);
    expect(tally).toEqual({ done: 3, failed: 2, skipped: 0, total: 10, bytes: 4 * MiB });
    expect(progressText('Purging', tally, 'freed')).toBe('Purging… 3 done, 2 failed, 5 left, 4.0 MiB freed');
  });

  it('names what an interruption left unsent, and leaves out bytes for commands that do not count them', () => {
    const tally = tallied(4, [
      ['done', null],
      ['skipped', null],
      ['skipped', null],
    ]);
    expect(progressText('Queueing', tally, null)).toBe('Queueing… 1 done, 0 failed, 2 not sent, 1 left');
  });

  it('sends the line about each action to -v on a terminal, else to every run', () => {
    expect(actionLineLevel(true)).toBe('verbose');
    expect(actionLineLevel(false)).toBe('info');
  });

  it('makes a plain progress line due once the pace has passed since the last one, not before', () => {
    expect(plainProgressDue(1_000, 1_000 + PLAIN_PROGRESS_EVERY_MS - 1)).toBe(false);
    expect(plainProgressDue(1_000, 1_000 + PLAIN_PROGRESS_EVERY_MS)).toBe(true);
    expect(plainProgressDue(1_000, 1_000)).toBe(false);
  });
});
