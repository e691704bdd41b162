/** ls's flags into settings, each bad value refused before any node is asked; and the totals line. */
import { describe, expect, it } from 'vitest';
import { lsSettings } from '../../../../src/cli/commands/ls/options.js';
import { lsSpec } from '../../../../src/cli/commands/ls/spec.js';
import { totalsText } from '../../../../src/cli/commands/ls/view.js';
import { ExitCode, UsageError } from '../../../../src/errors.js';
import { parseCommand } from '../../../helpers/parse-command.js';

const settings = (argv: string[]) => lsSettings(parseCommand(lsSpec, ['ls', ...argv]).options);

function usageError(argv: string[]): string {
  try {
    settings(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(ExitCode.usage);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('lsSettings', () => {
  it('has no filter and no limit by default', () => {
    expect(settings([])).toEqual({ filter: { name: null, olderThanMs: null, newerThanMs: null }, limit: null });
  });

  it('reads --name, --older-than, --newer-than and --limit', () => {
    expect(settings(['--name', 'cirros-*', '--older-than', '30d', '--newer-than', '90d', '--limit', '10'])).toEqual({
      filter: { name: 'cirros-*', olderThanMs: 30 * 86_400_000, newerThanMs: 90 * 86_400_000 },
      limit: 10,
    });
  });

  it.each([
    [['--name', ''], '--name: empty name'],
    [['--name', 'img-[9-0]'], "--name: 'img-[9-0]' has a character range that runs backwards"],
    [['--older-than', 'soon'], '--older-than: "soon" is not a duration: use a number with a unit like 500ms, 10s, 2m, 1h30m, 7d'],
    [['--newer-than', '0'], "--newer-than: '0' must be longer than 0"],
    [['--older-than', '7d', '--newer-than', '7d'], '--newer-than 7d with --older-than 7d leaves no time between them: --newer-than must be the longer'],
    [['--older-than', '30d', '--newer-than', '1d'], '--newer-than 1d with --older-than 30d leaves no time between them: --newer-than must be the longer'],
    [['--limit', '0'], "--limit: '0' is not a whole number of 1 or more"],
    [['--limit', 'ten'], "--limit: 'ten' is not a whole number of 1 or more"],
  ])('refuses %j', (argv, message) => {
    expect(usageError(argv)).toBe(message);
  });
});

describe('totalsText', () => {
  it('states images, cached copies and bytes', () => {
    expect(totalsText({ images: 12, copies: 30, bytes: 3 * 1024 ** 3 }, 12)).toBe('12 images, 30 cached copies, 3.0 GiB');
    expect(totalsText({ images: 1, copies: 1, bytes: 512 }, 1)).toBe('1 image, 1 cached copy, 512 B');
  });

  it('says how many are shown when --limit cut the list', () => {
    expect(totalsText({ images: 12, copies: 30, bytes: 0 }, 5)).toBe('showing 5 of 12 images, 30 cached copies, 0 B');
  });
});
