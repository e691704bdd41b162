import { describe, expect, it } from 'vitest';
import { ConfigError, ExitCode, exitCodeOf, LockedError, UsageError } from '../../src/errors.js';

describe('exitCodeOf', () => {
  it("is an error's own code, interrupted or not", () => {
    expect(exitCodeOf(new UsageError('bad flag'), false)).toBe(ExitCode.usage);
    expect(exitCodeOf(new ConfigError({ file: 'inventory.yaml', line: 3 }, 'no url'), true)).toBe(ExitCode.usage);
    expect(exitCodeOf(new LockedError('held'), false)).toBe(ExitCode.locked);
  });

  it('is 130 for anything else thrown once the run was interrupted, 70 (a bug) otherwise', () => {
    expect(exitCodeOf(new Error('aborted'), true)).toBe(ExitCode.interrupted);
    expect(exitCodeOf(new TypeError('x is undefined'), false)).toBe(ExitCode.internal);
    expect(exitCodeOf('thrown text', false)).toBe(ExitCode.internal);
  });
});
