import { describe, expect, it } from 'vitest';
import type { ActionOutcome } from '../../../src/core/plan-outcome.js';
import type { Eviction, PruneAction } from '../../../src/core/plan-prune.js';
import { tallyPrune } from '../../../src/core/prune-tally.js';
import { cachedImage, listing } from './listings.js';

const eviction = (node: string, image: string, size: number): Eviction => ({ node, image, size, hits: 0, lastAccessed: null, reasons: ['max-size'] });
const outcome = (node: string, image: string | null, result: ActionOutcome<PruneAction>['result'], errorKind: ActionOutcome<PruneAction>['errorKind'] = result === 'failed' ? 'refused' : null): ActionOutcome<PruneAction> => ({
  action: { node, image, action: image === null ? 'prune' : 'delete' },
  result,
  sent: result !== 'skipped',
  error: result === 'failed' || result === 'skipped' ? 'boom' : null,
  errorKind,
});

describe('tallyPrune', () => {
  const listings = [listing('g10', { cached: [cachedImage('a')], queued: [] }), listing('g2', { cached: [cachedImage('a')], queued: [] }), listing('g3', null), listing('g4', { cached: [], queued: [] })];

  it('counts what was deleted (not what was already gone), the nodes own server-side figures, and which nodes failed', () => {
    const tallies = tallyPrune(
      listings,
      [eviction('g2', 'a', 100), eviction('g2', 'b', 50), eviction('g10', 'a', 100), eviction('g10', 'b', 70)],
      [outcome('g2', 'a', 'done'), outcome('g2', 'b', 'already'), outcome('g10', 'a', 'done'), outcome('g10', 'b', 'failed'), outcome('g4', null, 'done')],
      new Map([['g4', { filesPruned: 3, bytesPruned: 999 }]]),
    );
    expect(tallies).toEqual([
      { node: 'g2', freedBytes: 100, freedImages: 1, failed: false, interrupted: false },
      { node: 'g3', freedBytes: 0, freedImages: 0, failed: true, interrupted: false },
      { node: 'g4', freedBytes: 999, freedImages: 3, failed: false, interrupted: false },
      { node: 'g10', freedBytes: 100, freedImages: 1, failed: true, interrupted: false },
    ]);
  });

  it('counts a node an interrupt cut short (actions not sent, answers not awaited, listing stopped) as interrupted, not failed', () => {
    const stopped = { ...listing('g3', null), error: 'interrupted', errorKind: 'aborted' as const };
    const tallies = tallyPrune(
      [listings[0]!, listings[1]!, stopped, listings[3]!],
      [eviction('g2', 'a', 100), eviction('g10', 'a', 100), eviction('g10', 'b', 70)],
      [outcome('g2', 'a', 'skipped', 'aborted'), outcome('g10', 'a', 'done'), outcome('g10', 'b', 'unknown', 'aborted')],
      new Map(),
    );
    expect(tallies).toEqual([
      { node: 'g2', freedBytes: 0, freedImages: 0, failed: false, interrupted: true },
      { node: 'g3', freedBytes: 0, freedImages: 0, failed: false, interrupted: true },
      { node: 'g4', freedBytes: 0, freedImages: 0, failed: false, interrupted: false },
      { node: 'g10', freedBytes: 100, freedImages: 1, failed: false, interrupted: true },
    ]);
  });

  it('still counts as failed what the interrupt did not cause: a timeout, a withheld node', () => {
    const tallies = tallyPrune(listings, [eviction('g2', 'a', 100), eviction('g10', 'a', 100)], [outcome('g2', 'a', 'unknown', 'timeout'), outcome('g10', 'a', 'skipped')], new Map());
    expect(tallies.filter((tally) => tally.failed).map((tally) => tally.node)).toEqual(['g2', 'g3', 'g10']);
    expect(tallies.some((tally) => tally.interrupted)).toBe(false);
  });
});
