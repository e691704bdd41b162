import { describe, expect, it } from 'vitest';
import { DEFAULT_FANOUT, parseGlobalOptions } from '../../../src/cli/globals.js';
import { UsageError } from '../../../src/errors.js';

const tty = { write: () => true, isTTY: true };
const pipe = { write: () => true, isTTY: false };

function usageError(raw: Record<string, unknown>): UsageError {
  try {
    parseGlobalOptions(raw, tty);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('parseGlobalOptions', () => {
  it('defaults to a table with headers on a terminal', () => {
    expect(parseGlobalOptions({}, tty)).toMatchObject({ format: 'table', headers: true, fanout: DEFAULT_FANOUT, colour: 'auto', nodes: [], exclude: [], columns: [], allNodes: false });
  });

  it('defaults to TSV without headers when piped', () => {
    expect(parseGlobalOptions({}, pipe)).toMatchObject({ format: 'tsv', headers: false });
  });

  it('keeps headers for an explicit format, piped or not', () => {
    expect(parseGlobalOptions({ output: 'tsv' }, pipe)).toMatchObject({ format: 'tsv', headers: true });
    expect(parseGlobalOptions({ output: 'csv' }, pipe)).toMatchObject({ format: 'csv', headers: true });
  });

  it('drops headers on --no-headers', () => {
    expect(parseGlobalOptions({ output: 'csv', headers: false }, pipe).headers).toBe(false);
    expect(parseGlobalOptions({ headers: false }, tty).headers).toBe(false);
  });

  it('reads --json as -o json, also alongside -o json', () => {
    expect(parseGlobalOptions({ json: true }, tty).format).toBe('json');
    expect(parseGlobalOptions({ json: true, output: 'json' }, pipe).format).toBe('json');
  });

  it('refuses --json with another -o', () => {
    expect(usageError({ json: true, output: 'csv' }).message).toBe('--json conflicts with -o csv');
  });

  it('refuses an unknown format, listing the known ones', () => {
    expect(usageError({ output: 'xml' }).message).toBe("-o: unknown format 'xml'; choose from table, json, yaml, csv, tsv, value");
  });

  it.each(['0', '-1', '1.5', 'abc', '', '10001'])('refuses --fanout %j, naming the flag', (fanout) => {
    expect(usageError({ fanout }).message).toMatch(/^--fanout: /);
  });

  it('reads a valid --fanout', () => {
    expect(parseGlobalOptions({ fanout: '8' }, tty).fanout).toBe(8);
  });

  it('reads durations in milliseconds', () => {
    expect(parseGlobalOptions({ timeout: '1m30s', connectTimeout: '500ms' }, tty)).toMatchObject({ timeoutMs: 90_000, connectTimeoutMs: 500 });
    expect(parseGlobalOptions({ timeout: '10' }, tty).timeoutMs).toBe(10_000);
    expect(parseGlobalOptions({}, tty)).toMatchObject({ timeoutMs: undefined, connectTimeoutMs: undefined });
  });

  it.each([
    ['timeout', '--timeout', 'soon'],
    ['timeout', '--timeout', '0'],
    ['timeout', '--timeout', '-5s'],
    ['connectTimeout', '--connect-timeout', '10x'],
  ])('refuses a bad %s, naming %s', (key, flag, value) => {
    const error = usageError({ [key]: value });
    expect(error.message.startsWith(`${flag}: `)).toBe(true);
    expect(error.message).toContain(value);
  });

  it('passes the selection, columns and verbosity through, and gathers the auth flags', () => {
    const globals = parseGlobalOptions(
      { inventory: 'fleet.yaml', nodes: ['glance[01-02]'], exclude: ['glance02'], allNodes: true, column: ['id', 'hits'], color: 'never', quiet: true, verbose: true, debug: true, osCloud: 'prod', osAuthUrl: 'http://ks:5000/v3', auth: false },
      tty,
    );
    expect(globals).toMatchObject({ inventory: 'fleet.yaml', nodes: ['glance[01-02]'], exclude: ['glance02'], allNodes: true, columns: ['id', 'hits'], colour: 'never', quiet: true, verbose: true, debug: true });
    expect(globals.auth).toEqual({ osCloud: 'prod', osAuthUrl: 'http://ks:5000/v3', auth: false });
  });
});
