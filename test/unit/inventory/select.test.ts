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
  selectNodes(inventory, { nodes: [], exclude: [], all: false, labels: [], ...selection }).map((node) => node.name);

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

  describe('-l key=value', () => {
    const labelled = parseInventory(
      ['nodes:', '  - { name: a1, url: "http://a1:9292", labels: { az: az1, role: gpu } }', '  - { name: a2, url: "http://a2:9292", labels: { az: az1, role: cpu } }', '  - { name: b1, url: "http://b1:9292", labels: { az: az2, role: gpu, note: "x=y" } }', '  - { name: c1, url: "http://c1:9292" }', ''].join('\n'),
      'labelled.yaml',
    );

    it('selects every node with the label, without -n or -a', () => {
      expect(select({ labels: ['az=az1'] }, labelled)).toEqual(['a1', 'a2']);
      expect(select({ labels: ['role=gpu'] }, labelled)).toEqual(['a1', 'b1']);
    });

    it('ANDs several labels', () => {
      expect(select({ labels: ['az=az1', 'role=gpu'] }, labelled)).toEqual(['a1']);
    });

    it('filters what -n or --all-nodes chose, and -x still applies', () => {
      expect(select({ nodes: ['a2,b1,c1'], labels: ['az=az1'] }, labelled)).toEqual(['a2']);
      expect(select({ all: true, labels: ['role=gpu'] }, labelled)).toEqual(['a1', 'b1']);
      expect(select({ labels: ['role=gpu'], exclude: ['a1'] }, labelled)).toEqual(['b1']);
    });

    it('splits at the first =, so values may hold one', () => {
      expect(select({ labels: ['note=x=y'] }, labelled)).toEqual(['b1']);
    });

    it('matches the fixture inventory, whose labels come from defaults of a range too', () => {
      expect(select({ labels: ['az=az3'] })).toEqual(['glance07', 'glance08']);
      expect(select({ labels: ['az=az1', 'rack=r1'] })).toEqual(['glance01']);
    });

    it.each([
      [{ labels: ['az'] }, "-l: 'az' is not key=value (e.g. -l az=az1)"],
      [{ labels: ['=az1'] }, "-l: '=az1' is not key=value (e.g. -l az=az1)"],
      [{ labels: ['az=az9'] }, '-l: no node in labelled.yaml has the label az=az9; labels: az=az1, az=az2, note=x=y, role=cpu, role=gpu'],
      [{ labels: ['zone=az1'] }, '-l: no node in labelled.yaml has the label zone=az1; labels: az=az1, az=az2, note=x=y, role=cpu, role=gpu'],
      [{ labels: ['az=az2', 'role=cpu'] }, '-l: no node has az=az2 and role=cpu'],
      [{ nodes: ['a1,a2'], labels: ['az=az2'] }, '-l: no node -n selects has az=az2'],
      [{ labels: ['az=az1'], exclude: ['a*'] }, '-x: every selected node is excluded: nothing left to act on'],
    ])('rejects %j', (selection, message) => {
      expect(usageError(selection, labelled)).toBe(message);
    });

    it('says so when no node has labels', () => {
      expect(usageError({ labels: ['az=az1'] }, single)).toBe('-l: no node in small.yaml has the label az=az1; its nodes have no labels');
    });

    it('checks the labels even when -n is wrong too, label first', () => {
      expect(usageError({ nodes: ['zz'], labels: ['az'] }, labelled)).toBe("-l: 'az' is not key=value (e.g. -l az=az1)");
    });
  });
});
