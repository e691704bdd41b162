import { describe, expect, it } from 'vitest';
import { descriptorsNeeded, openFilesNote, softOpenFilesLimit } from '../../../src/fleet/open-files.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            1024                 524288               files
Max locked memory         8388608              8388608              bytes
`;

describe('softOpenFilesLimit', () => {
  it('reads the soft limit from /proc/self/limits', () => {
    expect(softOpenFilesLimit(() => LIMITS)).toBe(1024);
  });

  it('is null where the file is missing or the limit unlimited', () => {
    expect(
      softOpenFilesLimit(() => {
        throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      }),
    ).toBeNull();
    expect(softOpenFilesLimit(() => LIMITS.replace('1024 ', 'unlimited'))).toBeNull();
  });

  it('reads this process', () => {
    expect(softOpenFilesLimit()).toBeGreaterThan(0);
  });
});

describe('openFilesNote', () => {
  it('gives the figures for --debug when the default fan-out fits', () => {
    expect(openFilesNote(1024, 64, 1)).toEqual({ warning: false, text: `open files: up to ${descriptorsNeeded(64, 1)} needed (--fanout 64), soft limit 1024 (ulimit -n)` });
  });

  it('warns when the fan-out, not the fleet, would need more than the limit', () => {
    const note = openFilesNote(1024, 500, 4);
    expect(note?.warning).toBe(true);
    expect(note?.text).toBe(
      `--fanout 500 x 4 connections per node may need ${descriptorsNeeded(500, 4)} open files, more than this process may open (ulimit -n: 1024): nodes past the limit fail with "too many open files"; lower --fanout or raise ulimit -n`,
    );
  });

  it('grows with the fan-out and the connections per node only', () => {
    expect(descriptorsNeeded(128, 1) - descriptorsNeeded(64, 1)).toBe(64);
    expect(descriptorsNeeded(64, 4) - descriptorsNeeded(64, 1)).toBe(64 * 3);
  });

  it('says nothing without a known limit', () => {
    expect(openFilesNote(null, 64, 1)).toBeNull();
  });
});
