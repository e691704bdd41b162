/**
 * Fuzzing the inventory readers: whatever text or structure arrives, the result is an inventory or a
 * ConfigError naming the file (and, when it can, the line and field), never another exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigError } from '../../../src/errors.js';
import { parseInventory } from '../../../src/inventory/parse.js';
import { parseKollaInventory } from '../../../src/inventory/kolla.js';
import { parseOsaInventory } from '../../../src/inventory/osa.js';
import { expandNodeSet, foldNodeSet, NodeSetError } from '../../../src/inventory/nodeset.js';
import { inventoryDocument, jsonish, peerString, yamlish } from './arbitraries.js';

const FILE = '/etc/glance-cache/fuzz-inventory.yaml';
const options = { home: '/home/op' };

/** Runs `read`; a ConfigError must name FILE first, anything else thrown fails the property. */
function readsOrNamesFile<T>(read: () => T, file = FILE): T | undefined {
  try {
    return read();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    expect(error.at.file).toBe(file);
    // Quoted values may hold control characters: main() escapes them when it prints the one line.
    expect(error.message.startsWith(`${file}:`)).toBe(true);
    return undefined;
  }
}

describe('parseInventory', () => {
  it('takes any text: an inventory or a ConfigError naming the file', () => {
    fc.assert(
      fc.property(fc.oneof(yamlish, peerString()), (text) => {
        readsOrNamesFile(() => parseInventory(text, FILE, options));
      }),
      { numRuns: 1500 },
    );
  });

  it('takes any structure, as YAML or JSON: errors name file, line and field; inventories hold their invariants', () => {
    fc.assert(
      fc.property(inventoryDocument, fc.boolean(), (document, asJson) => {
        const text = asJson ? JSON.stringify(document) : stringify(document);
        const inventory = readsOrNamesFile(() => parseInventory(text, FILE, options));
        if (!inventory) return;
        const names = inventory.nodes.map((node) => node.name);
        expect(new Set(names).size).toBe(names.length);
        for (const node of inventory.nodes) {
          expect(node.url).toMatch(/^https?:\/\/[^/?#@]+(\/[^?#]*[^/?#])?$/);
          expect(node.timeoutMs).toBeGreaterThan(0);
          expect(node.at.file).toBe(FILE);
        }
        for (const members of Object.values(inventory.groups)) for (const member of members) expect(names).toContain(member);
      }),
      { numRuns: 1500 },
    );
  });

  it('says which field is wrong when a structure is wrong', () => {
    fc.assert(
      fc.property(jsonish, (nodes) => {
        const error = (() => {
          try {
            parseInventory(JSON.stringify({ nodes }), FILE, options);
            return undefined;
          } catch (caught) {
            return caught as ConfigError;
          }
        })();
        if (error) expect(error.at.field ?? error.reason).toBeTruthy();
      }),
      { numRuns: 500 },
    );
  });
});

describe('kolla-ansible and openstack-ansible inventories', () => {
  const ini = fc
    .array(fc.oneof(fc.constantFrom('[glance-api]', '[glance-api:children]', '[control]', 'control01', 'glance01 ansible_host=10.0.0.1', 'api_interface_address=1.2.3.4', '# c', '; c', '[', 'x ansible_host='), peerString()), { maxLength: 10 })
    .map((lines) => lines.join('\n'));
  it('kolla: hosts or a ConfigError naming the file', () => {
    fc.assert(
      fc.property(ini, (text) => {
        readsOrNamesFile(() => parseKollaInventory(text, FILE));
      }),
      { numRuns: 1000 },
    );
  });

  const osa = fc.oneof(
    jsonish.map((value) => JSON.stringify(value)),
    fc.record({ glance_api: fc.oneof(jsonish, fc.record({ hosts: fc.array(fc.oneof(fc.constant('g1'), peerString()), { maxLength: 3 }) })), _meta: fc.oneof(jsonish, fc.record({ hostvars: fc.dictionary(fc.constantFrom('g1', 'g2'), fc.oneof(jsonish, fc.record({ management_address: fc.oneof(fc.constantFrom('10.0.0.1', ''), jsonish) }))) })) }, { requiredKeys: [] }).map((value) => JSON.stringify(value)),
    peerString(),
  );
  it('openstack-ansible: hosts or a ConfigError naming the file', () => {
    fc.assert(
      fc.property(osa, (text) => {
        readsOrNamesFile(() => parseOsaInventory(text, FILE));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('node sets', () => {
  it('expand any text to names or a NodeSetError, nothing else', () => {
    const tricky = fc.string({ unit: fc.constantFrom('a', 'g', '0', '1', '9', '[', ']', '-', ',', '.', ' ', '*', '@', '\u0000'), maxLength: 24 });
    fc.assert(
      fc.property(fc.oneof(tricky, peerString()), (text) => {
        try {
          const names = expandNodeSet(text);
          expect(names.length).toBeGreaterThan(0);
          expect(new Set(names).size).toBe(names.length);
        } catch (error) {
          expect(error).toBeInstanceOf(NodeSetError);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('fold then expand gives back the same names, for any names a node can have', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9._-]{0,3}[0-9]{0,4}([.-][a-z0-9]{1,3})?$/);
    fc.assert(
      fc.property(fc.uniqueArray(name, { maxLength: 25 }), (names) => {
        const folded = foldNodeSet(names);
        expect(names.length === 0 ? [] : [...expandNodeSet(folded)].sort()).toEqual([...names].sort());
      }),
      { numRuns: 2000 },
    );
  });
});
