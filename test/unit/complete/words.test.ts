import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandHome, inventoryFlag, shellUnquote, splitNodeSet } from '../../../src/complete/words.js';

/** How bash's printf %q-free quoting of a user would look: each word single-quoted. */
const singleQuoted = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
const backslashed = (text: string) => text.replace(/[^A-Za-z0-9_.,/-]/g, (char) => `\\${char}`);

describe('shellUnquote', () => {
  it('undoes backslashes, single and double quotes as a POSIX shell does', () => {
    expect(shellUnquote('cirros\\ 0.6')).toBe('cirros 0.6');
    expect(shellUnquote("'my image'")).toBe('my image');
    expect(shellUnquote('"a \\"b\\" \\$c \\d"')).toBe('a "b" $c \\d');
    expect(shellUnquote('pre"mid"\'post\'')).toBe('premidpost');
  });

  it('takes an unterminated quote as running to the end of the word (the user is still typing)', () => {
    expect(shellUnquote("'my im")).toBe('my im');
    expect(shellUnquote('"my im')).toBe('my im');
    expect(shellUnquote('trailing\\')).toBe('trailing');
  });

  it('never evaluates anything: $(…) and backticks stay text', () => {
    expect(shellUnquote('$(touch /tmp/x)')).toBe('$(touch /tmp/x)');
    expect(shellUnquote('"`id`"')).toBe('`id`');
  });

  it('inverts single-quoting and backslash-quoting of any text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(shellUnquote(singleQuoted(text))).toBe(text);
        expect(shellUnquote(backslashed(text.replace(/\n/g, '')))).toBe(text.replace(/\n/g, ''));
      }),
    );
  });
});

describe('inventoryFlag', () => {
  it('finds -i in every spelling commander accepts, the last one winning', () => {
    expect(inventoryFlag(['-i', 'a.yaml', 'ls'])).toBe('a.yaml');
    expect(inventoryFlag(['--inventory', 'a.yaml'])).toBe('a.yaml');
    expect(inventoryFlag(['--inventory=a.yaml'])).toBe('a.yaml');
    expect(inventoryFlag(['-ia.yaml'])).toBe('a.yaml');
    expect(inventoryFlag(['--inventory', '=', 'a.yaml'])).toBe('a.yaml');
    expect(inventoryFlag(['-i', 'a.yaml', '-n', 'x', '-i', 'b.yaml'])).toBe('b.yaml');
  });

  it('unquotes the path as typed, and is undefined without -i', () => {
    expect(inventoryFlag(['-i', "'my dir/inv.yaml'"])).toBe('my dir/inv.yaml');
    expect(inventoryFlag(['ls', '-n', 'glance01'])).toBeUndefined();
    expect(inventoryFlag(['-i'])).toBeUndefined();
  });

  it('does not take the value of another option for -i', () => {
    expect(inventoryFlag(['-n', '-i'])).toBeUndefined();
    expect(inventoryFlag(['--ignore'])).toBeUndefined();
  });
});

describe('splitNodeSet', () => {
  it('separates the terms already chosen from the one being typed', () => {
    expect(splitNodeSet('glance01,@az1,gl')).toEqual({ chosen: ['glance01', '@az1'], head: 'glance01,@az1,', typing: 'gl' });
    expect(splitNodeSet('gl')).toEqual({ chosen: [], head: '', typing: 'gl' });
    expect(splitNodeSet('')).toEqual({ chosen: [], head: '', typing: '' });
  });
});

describe('expandHome', () => {
  it('expands ~ and ~/ only', () => {
    expect(expandHome('~/inv.yaml', '/home/op')).toBe('/home/op/inv.yaml');
    expect(expandHome('~', '/home/op')).toBe('/home/op');
    expect(expandHome('~other/inv.yaml', '/home/op')).toBe('~other/inv.yaml');
    expect(expandHome('inv.yaml', '/home/op')).toBe('inv.yaml');
  });
});
