import { describe, expect, it } from 'vitest';
import { colourEnabled, liveLineEnabled, type ColourMode } from '../../../src/output/io.js';

const tty = { write: () => true, isTTY: true };
const pipe = { write: () => true, isTTY: false };

describe('colourEnabled', () => {
  it.each<[string, ColourMode, Record<string, string>, typeof tty, boolean]>([
    ['a terminal', 'auto', {}, tty, true],
    ['a pipe', 'auto', {}, pipe, false],
    ['NO_COLOR on a terminal', 'auto', { NO_COLOR: '1' }, tty, false],
    ['an empty NO_COLOR', 'auto', { NO_COLOR: '' }, tty, true],
    ['CLICOLOR=0 on a terminal', 'auto', { CLICOLOR: '0' }, tty, false],
    ['CLICOLOR=1 in a pipe', 'auto', { CLICOLOR: '1' }, pipe, false],
    ['CLICOLOR_FORCE in a pipe', 'auto', { CLICOLOR_FORCE: '1' }, pipe, true],
    ['CLICOLOR_FORCE=0 on a terminal', 'auto', { CLICOLOR_FORCE: '0' }, tty, true],
    ['CLICOLOR_FORCE=0 in a pipe', 'auto', { CLICOLOR_FORCE: '0' }, pipe, false],
    ['CLICOLOR_FORCE over CLICOLOR=0 and TERM=dumb', 'auto', { CLICOLOR_FORCE: '1', CLICOLOR: '0', TERM: 'dumb' }, pipe, true],
    ['NO_COLOR over CLICOLOR_FORCE', 'auto', { NO_COLOR: '1', CLICOLOR_FORCE: '1' }, tty, false],
    ['TERM=dumb on a terminal', 'auto', { TERM: 'dumb' }, tty, false],
    ['--color=always in a pipe under NO_COLOR and TERM=dumb', 'always', { NO_COLOR: '1', TERM: 'dumb', CLICOLOR: '0' }, pipe, true],
    ['--color=never on a terminal under CLICOLOR_FORCE', 'never', { CLICOLOR_FORCE: '1' }, tty, false],
  ])('%s', (_case, mode, env, stream, expected) => {
    expect(colourEnabled(mode, env, stream)).toBe(expected);
  });

  it('treats a stream without isTTY as a pipe', () => {
    expect(colourEnabled('auto', {}, { write: () => true })).toBe(false);
  });
});

describe('liveLineEnabled', () => {
  const terminal = { write: () => true, isTTY: true, columns: 80 };
  const plain = { quiet: false, debug: false, colour: 'auto' as ColourMode };
  // The output rule: no spinner under NO_COLOR (--color always overrides it); --color never only takes colour.
  it.each<[string, Record<string, string>, typeof terminal | typeof pipe, typeof plain, boolean]>([
    ['a terminal', {}, terminal, plain, true],
    ['a terminal under NO_COLOR', { NO_COLOR: '1' }, terminal, plain, false],
    ['a terminal under NO_COLOR with --color always', { NO_COLOR: '1' }, terminal, { ...plain, colour: 'always' }, true],
    ['a terminal with --color never', {}, terminal, { ...plain, colour: 'never' }, true],
    ['a terminal under an empty NO_COLOR', { NO_COLOR: '' }, terminal, plain, true],
    ['a terminal under CLICOLOR=0', { CLICOLOR: '0' }, terminal, plain, true],
    ['a pipe', {}, pipe, plain, false],
    ['TERM=dumb', { TERM: 'dumb' }, terminal, plain, false],
    ['a terminal reporting no width', {}, { ...terminal, columns: 0 }, plain, false],
    ['-q', {}, terminal, { ...plain, quiet: true }, false],
    ['--debug', {}, terminal, { ...plain, debug: true }, false],
  ])('%s', (_case, env, stream, flags, expected) => {
    expect(liveLineEnabled(env, stream, flags)).toBe(expected);
  });
});
