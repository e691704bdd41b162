import { describe, expect, it } from 'vitest';
import { pruneSpec } from '../../../../src/cli/commands/prune/spec.js';
import { pruneSettings, type PruneOptions } from '../../../../src/cli/commands/prune/options.js';
import { ExitCode, UsageError } from '../../../../src/errors.js';
import { parseCommand } from '../../../helpers/parse-command.js';
import { runCli } from '../../../helpers/run-cli.js';

describe('prune options', () => {
  it('reads every flag of the command line into its typed option', () => {
    const { options } = parseCommand(pruneSpec, [
      'prune', '-a', '--max-size', '80%', '--older-than', '30d', '--orphans', '--max-replicas', '2', '--keep', 'cirros,ubuntu', '--keep', 'debian',
      '--max-deletes', '200', '--lock', 'l', '--summary', 's', '--metrics-file', 'm', '--yes', '--dry-run', '--node-concurrency', '8',
    ]);
    expect(options).toEqual({
      maxSize: '80%', olderThan: '30d', orphans: true, maxReplicas: '2', keep: ['cirros,ubuntu', 'debian'], maxDeletes: '200',
      lock: 'l', summary: 's', metricsFile: 'm', yes: true, dryRun: true, nodeConcurrency: '8',
    } satisfies PruneOptions);
    expect(parseCommand(pruneSpec, ['prune', '--server-side']).options).toEqual({ serverSide: true });
    expect(parseCommand(pruneSpec, ['prune']).options).toEqual({});
  });

  it('a misspelt option name does not compile', () => {
    const { options } = parseCommand(pruneSpec, ['prune', '--max-size', '1GiB']);
    // @ts-expect-error: prune has no option maxSise; tsc --noEmit fails if this line ever compiles.
    expect(options.maxSise).toBeUndefined();
    expect(options.maxSize).toBe('1GiB');
  });

  it.each([
    [['prune', '--max-sise', '1GiB'], /unknown option '--max-sise'/],
    [['prune', '--max-size'], /prune: --max-size needs a value; see glance-cache prune --help/],
    // The value of an unknown option is never repeated: it may be a mistyped --os-password's.
    [['prune', '--orphans=yes'], /unknown option '--orphans=…' \(its value is not shown\)/],
  ])('refuses %o as a usage error, before anything is read', async (argv, message) => {
    expect(() => parseCommand(pruneSpec, argv)).toThrow(message);
    const run = await runCli(argv);
    expect(run.code).toBe(ExitCode.usage);
    expect(run.stderr).toMatch(message);
  });

  it('reads sizes, shares of max_size, durations, counts and --keep lists', () => {
    const settings = pruneSettings({ maxSize: '50GiB', olderThan: '1d12h', orphans: true, maxReplicas: '2', maxDeletes: '0', keep: ['cirros, ubuntu', 'debian'], lock: 'l', summary: 's', metricsFile: 'm' });
    expect(settings.policy).toEqual({ maxSize: { bytes: 50 * 2 ** 30 }, olderThanMs: 36 * 3_600_000, orphans: true, maxReplicas: 2, maxDeletes: 0, serverSide: false });
    expect(settings.keep).toEqual(['cirros', 'ubuntu', 'debian']);
    expect(settings.given).toEqual({ maxSize: '50GiB', olderThan: '1d12h' });
    expect(pruneSettings({ maxSize: '80%' }).policy.maxSize).toEqual({ percent: 80 });
    expect(pruneSettings({}).policy).toEqual({ maxSize: null, olderThanMs: null, orphans: false, maxReplicas: null, maxDeletes: null, serverSide: false });
  });

  it.each([
    [['--max-size', '120%'], /--max-size: '120%' is more than 100%/],
    [['--max-size', 'big'], /--max-size: "big" is not a size.*or a share of max_size like 80%/],
    [['--older-than', '0s'], /--older-than: '0s' must be longer than 0/],
    [['--older-than', 'soon'], /--older-than: "soon" is not a duration/],
    [['--max-replicas', '0'], /--max-replicas: '0' is not a whole number of 1 or more/],
    [['--max-deletes', '-1'], /--max-deletes: '-1' is not a whole number of 0 or more/],
    [['--server-side', '--max-size', '1GiB'], /--server-side: nodes that prune themselves use their own image_cache_max_size/],
  ])('refuses %o before anything is sent', async (flags, message) => {
    const { options } = parseCommand(pruneSpec, ['prune', ...flags]);
    expect(() => pruneSettings(options)).toThrow(UsageError);
    expect(() => pruneSettings(options)).toThrow(message);
    const run = await runCli(['prune', '-a', ...flags]);
    expect(run.code).toBe(ExitCode.usage);
    expect(run.stderr).toMatch(message);
  });
});
