import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../src/core/outcome.js';
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
