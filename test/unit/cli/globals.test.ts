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

  it('defaults to TSV when piped, with headers as -f tsv has them', () => {
    expect(parseGlobalOptions({}, pipe)).toEqual(parseGlobalOptions({ format: 'tsv' }, pipe));
    expect(parseGlobalOptions({}, pipe)).toMatchObject({ format: 'tsv', headers: true, tableWidth: null });
  });

  it('reads -f, its synonym -o and --json, which must agree', () => {
    expect(parseGlobalOptions({ format: 'json' }, tty).format).toBe('json');
    expect(parseGlobalOptions({ output: 'yaml' }, tty).format).toBe('yaml');
    expect(parseGlobalOptions({ format: 'csv', output: 'csv' }, tty).format).toBe('csv');
    expect(usageError({ format: 'json', output: 'csv' }).message).toBe('-f json conflicts with -o csv');
    expect(usageError({ format: 'csv', json: true }).message).toBe('-f csv conflicts with --json');
    expect(usageError({ format: 'xml' }).message).toBe("-f: unknown format 'xml'; choose from table, json, yaml, csv, tsv, value");
  });

  it('fits tables to the terminal, not when piped unless --fit-width; --max-width and --wide override', () => {
    const wide = { write: () => true, isTTY: true, columns: 132 };
    expect(parseGlobalOptions({}, wide).tableWidth).toBe(132);
    expect(parseGlobalOptions({}, tty).tableWidth).toBe(80);
    expect(parseGlobalOptions({ fitWidth: true }, pipe).tableWidth).toBe(80);
    expect(parseGlobalOptions({ fitWidth: true }, { ...pipe, columns: 100 }).tableWidth).toBe(100);
    expect(parseGlobalOptions({ maxWidth: '60' }, wide).tableWidth).toBe(60);
    expect(parseGlobalOptions({ maxWidth: '60' }, pipe).tableWidth).toBe(60);
    expect(parseGlobalOptions({ maxWidth: '0' }, wide).tableWidth).toBeNull();
    expect(parseGlobalOptions({ wide: true }, wide).tableWidth).toBeNull();
    expect(parseGlobalOptions({ wide: true, maxWidth: '0' }, wide).tableWidth).toBeNull();
    expect(usageError({ wide: true, maxWidth: '50' }).message).toBe('--wide conflicts with --max-width 50');
    expect(usageError({ maxWidth: '-1' }).message).toBe("--max-width: '-1' is not a whole number (0 for no limit)");
  });

  it('reads the sort order and --noindent', () => {
    expect(parseGlobalOptions({ sortColumn: ['size', 'name'], sortDescending: true, noindent: true }, tty)).toMatchObject({ sortColumns: ['size', 'name'], sortDescending: true, indent: false });
    expect(parseGlobalOptions({ sortAscending: true }, tty)).toMatchObject({ sortColumns: [], sortDescending: false, indent: true });
    expect(usageError({ sortAscending: true, sortDescending: true }).message).toBe('--sort-ascending conflicts with --sort-descending');
  });

  it('checks -c and --sort-column against the command\'s columns, naming the flag and every valid column', () => {
    const known = ['id', 'name', 'node:'];
    expect(parseGlobalOptions({ column: ['id,node:glance01'], sortColumn: ['name'] }, tty, known).columns).toEqual(['id,node:glance01']);
    expect(() => parseGlobalOptions({ column: ['id', 'reasons'] }, tty, known)).toThrow(new UsageError("-c: unknown column 'reasons'; choose from: id, name, node:<node>"));
    expect(() => parseGlobalOptions({ sortColumn: ['size'] }, tty, known)).toThrow(new UsageError("--sort-column: unknown column 'size'; choose from: id, name, node:<node>"));
    expect(parseGlobalOptions({ column: ['anything'] }, tty).columns).toEqual(['anything']);
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
    expect(usageError({ json: true, output: 'csv' }).message).toBe('-o csv conflicts with --json');
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
