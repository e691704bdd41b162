import { describe, expect, it } from 'vitest';
import { actExitCode } from '../../../src/core/outcome.js';
import type { ActionOutcome, ActionResult } from '../../../src/core/plan-outcome.js';

const outcome = (node: string, result: ActionResult, sent = result !== 'skipped'): ActionOutcome<{ node: string }> => ({
  action: { node },
  result,
  sent,
  error: result === 'failed' || result === 'skipped' ? 'x' : null,
  errorKind: null,
});
const up = (...names: string[]) => names.map((name) => ({ name, ok: true }));
const down = (name: string) => ({ name, ok: false });

describe('actExitCode', () => {
  it('is 0 when every action took effect or was already so', () => {
    expect(actExitCode(up('a', 'b'), [outcome('a', 'done'), outcome('b', 'already'), outcome('b', 'already', false)], false)).toBe(0);
  });

  it('is 0 with nothing to do on nodes that all answered', () => {
    expect(actExitCode(up('a', 'b'), [], false)).toBe(0);
  });

  it('is 3 when some actions failed and others took effect', () => {
    expect(actExitCode(up('a', 'b'), [outcome('a', 'done'), outcome('b', 'failed')], false)).toBe(3);
    expect(actExitCode(up('a'), [outcome('a', 'done'), outcome('a', 'failed')], false)).toBe(3);
  });

  it('is 3 when a node did not answer and the others were done, or had nothing to do', () => {
    expect(actExitCode([...up('a'), down('b')], [outcome('a', 'done')], false)).toBe(3);
    expect(actExitCode([...up('a'), down('b')], [outcome('a', 'already', false)], false)).toBe(3);
  });

  it('is 4 when every request sent failed, even if other nodes had nothing to do', () => {
    expect(actExitCode(up('a', 'b', 'c'), [outcome('a', 'failed'), outcome('b', 'failed'), outcome('c', 'already', false)], false)).toBe(4);
  });

  it('is 4 when no node answered', () => {
    expect(actExitCode([down('a'), down('b')], [], false)).toBe(4);
  });

  it('counts a queued image that never got cached (a plan-time "already" turned failed) as a failure', () => {
    expect(actExitCode(up('a', 'b'), [outcome('a', 'done'), outcome('b', 'failed', false)], false)).toBe(3);
  });

  it('is 130 when interrupted, whatever else happened', () => {
    expect(actExitCode(up('a'), [outcome('a', 'done'), outcome('a', 'skipped')], true)).toBe(130);
  });
});
