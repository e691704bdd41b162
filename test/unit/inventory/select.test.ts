import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ExitCode, UsageError } from '../../../src/errors.js';
import { parseInventory } from '../../../src/inventory/parse.js';
import { selectNodes } from '../../../src/inventory/select.js';
import type { Selection } from '../../../src/inventory/types.js';

const fleet = parseInventory(
  readFileSync(fileURLToPath(new URL('../../fixtures/inventory/fleet.yaml', import.meta.url)), 'utf8'),
  'fleet.yaml',
);
const single = parseInventory('nodes: [{name: lab, url: "http://lab:9292"}]\n', 'small.yaml');

const select = (selection: Partial<Selection>, inventory = fleet): string[] =>
  selectNodes(inventory, { nodes: [], exclude: [], all: false, ...selection }).map((node) => node.name);

function usageError(selection: Partial<Selection>, inventory = fleet): string {
  try {
    select(selection, inventory);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(ExitCode.usage);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('selectNodes', () => {
  it('selects every node with --all-nodes', () => {
    expect(select({ all: true })).toHaveLength(8);
  });

  it('takes names, ranges and several terms per flag and across flags', () => {
    expect(select({ nodes: ['glance[02-03],glance07', 'glance01'] })).toEqual(['glance01', 'glance02', 'glance03', 'glance07']);
  });

  it('resolves @groups, globs and node URLs', () => {
    expect(select({ nodes: ['@az2'] })).toEqual(['glance04', 'glance05', 'glance06']);
    expect(select({ nodes: ['glance0[7-8]*'] })).toEqual(['glance07', 'glance08']);
    expect(select({ nodes: ['*'] })).toHaveLength(8);
    expect(select({ nodes: ['https://glance08.dc2.example.net:9393/glance/'] })).toEqual(['glance08']);
  });

  it('selects a node written as an IPv6 address by its name, in brackets or by its URL', () => {
    const v6 = parseInventory('nodes: ["[::1]:9293", "[fe80::1]", glance01]\n', 'v6.yaml');
    for (const term of ['::1', '[::1]', 'http://[::1]:9293']) expect(select({ nodes: [term] }, v6)).toEqual(['::1']);
    expect(select({ nodes: ['[fe80::1],glance01'] }, v6)).toEqual(['fe80::1', 'glance01']);
  });

  it('keeps inventory order and drops repeats', () => {
    expect(select({ nodes: ['glance05,@az1,glance02'] })).toEqual(['glance01', 'glance02', 'glance03', 'glance05']);
  });

  it('applies -x after -n or --all-nodes', () => {
    expect(select({ all: true, exclude: ['@az1,@az2'] })).toEqual(['glance07', 'glance08']);
    expect(select({ nodes: ['@az1'], exclude: ['glance02'] })).toEqual(['glance01', 'glance03']);
  });

  it('picks the only node of a one-node inventory without a selection', () => {
    expect(select({}, single)).toEqual(['lab']);
  });

  it('refuses to guess with several nodes and no selection', () => {
    expect(usageError({})).toBe('fleet.yaml has 8 nodes: choose some with -n (e.g. -n glance01) or all with --all-nodes');
    expect(usageError({ exclude: ['glance01'] })).toContain('or all with --all-nodes');
  });

  it('rejects -n with --all-nodes', () => {
    expect(usageError({ all: true, nodes: ['glance01'] })).toBe('-n/--nodes and -a/--all-nodes cannot be used together');
  });

  it.each([
    [{ nodes: ['glance09'] }, "-n: 'glance09' matches no node in fleet.yaml; known: glance[01-08]"],
    [{ nodes: ['glance[07-10]'] }, "-n: 'glance[07-10]' names unknown nodes glance[09-10] in fleet.yaml; known: glance[01-08]"],
    [{ nodes: ['web*'] }, "-n: 'web*' matches no node (web*) in fleet.yaml; known: glance[01-08]"],
    [{ nodes: ['http://10.0.0.99:9292'] }, "-n: 'http://10.0.0.99:9292' is the URL of no node in fleet.yaml; known: glance[01-08]"],
    [{ nodes: ['@az9'] }, "-n: '@az9' is not a group in fleet.yaml; groups: @az1, @az2, @dc2, @tls"],
    [{ all: true, exclude: ['glance1'] }, "-x: 'glance1' matches no node in fleet.yaml; known: glance[01-08]"],
    [{ nodes: ['glance[01'] }, '-n: \'glance[01\' is not a node set: "glance[01" has a "[" without "]"'],
    [{ nodes: ['glance01,'] }, "-n: empty node name in 'glance01,'"],
    [{ nodes: ['@az1'], exclude: ['glance0[1-3]'] }, '-x: every selected node is excluded: nothing left to act on'],
  ])('rejects %j', (selection, message) => {
    expect(usageError(selection)).toBe(message);
  });

  it('says so when an inventory has no groups', () => {
    expect(usageError({ nodes: ['@az1'] }, single)).toBe("-n: '@az1' is not a group in small.yaml; it defines no groups");
  });
});
