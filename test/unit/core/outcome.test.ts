import { describe, expect, it } from 'vitest';
import { comparisonExitCode, exitCodeFor, listingExitCode, withOutputLost } from '../../../src/core/outcome.js';
import { ExitCode } from '../../../src/errors.js';

describe('exitCodeFor', () => {
  it.each([
    [{ ok: 3, failed: 0, interrupted: false }, ExitCode.ok],
    [{ ok: 0, failed: 0, interrupted: false }, ExitCode.ok],
    [{ ok: 2, failed: 1, interrupted: false }, ExitCode.partial],
    [{ ok: 0, failed: 3, interrupted: false }, ExitCode.failed],
    [{ ok: 2, failed: 1, interrupted: true }, ExitCode.interrupted],
    [{ ok: 3, failed: 0, interrupted: true }, ExitCode.interrupted],
  ])('maps %j to %d', (counts, code) => {
    expect(exitCodeFor(counts)).toBe(code);
  });
});

describe('listingExitCode', () => {
  it.each([
    [{ ok: 3, failed: 0, interrupted: false, shared: 0 }, ExitCode.ok],
    [{ ok: 3, failed: 0, interrupted: false, shared: 1 }, ExitCode.partial],
    [{ ok: 2, failed: 1, interrupted: false, shared: 1 }, ExitCode.partial],
    [{ ok: 0, failed: 3, interrupted: false, shared: 0 }, ExitCode.failed],
    [{ ok: 3, failed: 0, interrupted: true, shared: 1 }, ExitCode.interrupted],
  ])('maps %j to %d: nodes listing the same records make an otherwise whole listing partial', (counts, code) => {
    expect(listingExitCode(counts)).toBe(code);
  });
});

describe('comparisonExitCode', () => {
  it('is 1 when the comparison found something, 0 when not; a listing that fell short says so instead', () => {
    expect(comparisonExitCode(ExitCode.ok, true)).toBe(ExitCode.differences);
    expect(comparisonExitCode(ExitCode.ok, false)).toBe(ExitCode.ok);
    for (const listing of [ExitCode.partial, ExitCode.failed, ExitCode.interrupted]) {
      expect(comparisonExitCode(listing, true)).toBe(listing);
      expect(comparisonExitCode(listing, false)).toBe(listing);
    }
  });
});

describe('withOutputLost', () => {
  it('turns a success into 74 and leaves a failure as it was', () => {
    expect(withOutputLost(ExitCode.ok)).toBe(ExitCode.outputFailed);
    for (const code of [ExitCode.usage, ExitCode.partial, ExitCode.failed, ExitCode.locked, ExitCode.interrupted, ExitCode.internal]) expect(withOutputLost(code)).toBe(code);
  });
});
