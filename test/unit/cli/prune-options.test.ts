import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { pruneSettings } from '../../../src/cli/prune-options.js';

describe('pruneSettings', () => {
  it('reads sizes, shares of max_size, durations, counts and --keep lists', () => {
    const settings = pruneSettings({ maxSize: '50GiB', olderThan: '1d12h', orphans: true, maxReplicas: '2', maxDeletes: '0', keep: ['cirros, ubuntu', 'debian'], lock: 'l', summary: 's', metricsFile: 'm' });
    expect(settings.policy).toEqual({ maxSize: { bytes: 50 * 2 ** 30 }, olderThanMs: 36 * 3_600_000, orphans: true, maxReplicas: 2, maxDeletes: 0, serverSide: false });
    expect(settings.keep).toEqual(['cirros', 'ubuntu', 'debian']);
    expect(settings.given).toEqual({ maxSize: '50GiB', olderThan: '1d12h' });
    expect(pruneSettings({ maxSize: '80%' }).policy.maxSize).toEqual({ percent: 80 });
    expect(pruneSettings({}).policy).toEqual({ maxSize: null, olderThanMs: null, orphans: false, maxReplicas: null, maxDeletes: null, serverSide: false });
  });

  it.each([
    [{ maxSize: '120%' }, /--max-size: '120%' is more than 100%/],
    [{ maxSize: 'big' }, /--max-size: "big" is not a size.*or a share of max_size like 80%/],
    [{ olderThan: '0s' }, /--older-than: '0s' must be longer than 0/],
    [{ olderThan: 'soon' }, /--older-than: "soon" is not a duration/],
    [{ maxReplicas: '0' }, /--max-replicas: '0' is not a whole number of 1 or more/],
    [{ maxDeletes: '-1' }, /--max-deletes: '-1' is not a whole number of 0 or more/],
    [{ serverSide: true, maxSize: '1GiB' }, /--server-side: nodes that prune themselves use their own image_cache_max_size/],
  ])('refuses %o before anything is sent', (options, message) => {
    expect(() => pruneSettings(options)).toThrow(UsageError);
    expect(() => pruneSettings(options)).toThrow(message);
  });
});
