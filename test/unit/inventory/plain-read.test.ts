/**
 * Completion reads the inventory without field lines (plain-yaml.ts); whatever it accepts must be the
 * inventory a full read gives, and whatever a full read refuses it must refuse with the same error.
 */
import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { readInventory, type InventoryFiles } from '../../../src/inventory/locate.js';
import type { Inventory } from '../../../src/inventory/types.js';
import { inventoryDocument, yamlish } from '../fuzz/arbitraries.js';

const PATH = '/inv/inventory.yaml';
const FACTS = { uid: 0, mode: 0o600, directory: false };
const files = (text: string): InventoryFiles => ({
  readFile: async (path) => {
    if (path !== PATH) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
    return { text, facts: FACTS };
  },
  stat: async () => FACTS,
});

type Outcome = { inventory: unknown } | { error: string };

async function read(text: string, lines: boolean): Promise<Outcome> {
  try {
    const { inventory } = await readInventory({ path: PATH, display: PATH, how: 'flag' }, { home: '/home/op', files: files(text), lines });
    return { inventory: withoutLines(inventory) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function withoutLines(inventory: Inventory): unknown {
  return { ...inventory, nodes: inventory.nodes.map((node) => ({ ...node, at: { ...node.at, line: undefined } })), auth: inventory.auth && { ...inventory.auth, at: { ...inventory.auth.at, line: undefined } } };
}

async function expectSameReading(text: string): Promise<void> {
  expect(await read(text, false)).toEqual(await read(text, true));
}

describe('reading an inventory without field lines', () => {
  it('gives what a full read gives, for every YAML fixture', async () => {
    const dir = new URL('../../fixtures/inventory/', import.meta.url);
    const fixtures = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name));
    expect(fixtures.length).toBeGreaterThan(3);
    for (const name of fixtures) await expectSameReading(readFileSync(new URL(name, dir), 'utf8'));
  });

  it('gives what a full read gives, anchors, merges and flow style included', async () => {
    await expectSameReading('defaults: &d {port: 9292}\nnodes:\n  - {name: a, url: "http://h:1"}\n  - host: b.example\n    <<: *d\ngroups: {g: [a]}\n');
    await expectSameReading('nodes: [glance[01-03].dc1]\ndefaults: {timeout: 2024-01-01}\n');
    await expectSameReading('nodes:\n  - name: a\n    url: http://h:1\n  - name: a\n    url: http://h:2\n');
    await expectSameReading('nodes: [a]\nnodes: [b]\n');
    await expectSameReading('nodes: [*nowhere]\n');
  });

  it('agrees with a full read on generated inventories and on YAML-ish noise', async () => {
    await fc.assert(fc.asyncProperty(inventoryDocument, async (document) => expectSameReading(stringify(document))), { numRuns: 300 });
    await fc.assert(fc.asyncProperty(yamlish, async (text) => expectSameReading(text)), { numRuns: 500 });
  });
});
