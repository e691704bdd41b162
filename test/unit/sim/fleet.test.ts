import { describe, it, expect, afterEach } from 'vitest';
import { startSimFleet, type SimFleet, type SimFleetOptions } from '../../../src/sim/fleet.js';
import { parseInventory } from '../../../src/inventory/parse.js';

const NOW = () => 1_750_000_000_000;
let fleets: SimFleet[] = [];

afterEach(async () => {
  await Promise.all(fleets.map((fleet) => fleet.close()));
  fleets = [];
});

async function fleetOf(options: Partial<SimFleetOptions> = {}): Promise<SimFleet> {
  const fleet = await startSimFleet({ count: 6, imagesPerNode: 20, seed: 42, now: NOW, ...options });
  fleets.push(fleet);
  return fleet;
}

describe('startSimFleet', () => {
  it('builds the same fleet from the same seed', async () => {
    const [one, two, other] = await Promise.all([fleetOf(), fleetOf(), fleetOf({ seed: 43 })]);
    const states = (fleet: SimFleet) => fleet.nodes.map((node) => [node.name, node.state()]);
    expect(states(one)).toEqual(states(two));
    expect(one.catalog.visible()).toEqual(two.catalog.visible());
    expect(states(one)).not.toEqual(states(other));
  });

  it('spreads overlapping caches, with orphans and queued images', async () => {
    const fleet = await fleetOf();
    const holders = new Map<string, number>();
    for (const node of fleet.nodes) {
      const { cached } = node.state();
      expect(cached).toHaveLength(20);
      for (const entry of cached) {
        holders.set(entry.id, (holders.get(entry.id) ?? 0) + 1);
        expect(entry.lastAccessed).toBeGreaterThanOrEqual(entry.lastModified);
        expect(entry.lastModified * 1000).toBeLessThanOrEqual(NOW());
      }
    }
    expect(Math.max(...holders.values())).toBeGreaterThan(1);
    const orphans = [...holders.keys()].filter((id) => fleet.catalog.find(id) === undefined);
    expect(orphans.length).toBeGreaterThan(0);
    expect(orphans.every((id) => fleet.catalog.record(id)?.status === 'deleted')).toBe(true);
    expect(fleet.nodes.filter((node) => node.state().queued.length > 0).length).toBeGreaterThan(0);
    expect(fleet.catalog.visible().some((image) => image.status !== 'active')).toBe(true);
  });

  it('names nodes with the prefix and applies flavors and per-node options', async () => {
    const fleet = await fleetOf({ count: 3, namePrefix: 'glance', flavorOf: (index) => (index === 2 ? 'legacy' : 'cache'), nodeOptions: (index) => (index === 0 ? { apiVersion: 'v2.18' } : {}) });
    expect(fleet.nodes.map((node) => [node.name, node.flavor])).toEqual([
      ['glance01', 'cache'],
      ['glance02', 'cache'],
      ['glance03', 'legacy'],
    ]);
    const versions = (await (await fetch(`${fleet.nodes[0]!.url}/versions`)).json()) as { versions: { id: string }[] };
    expect(versions.versions[0]!.id).toBe('v2.18');
  });

  it('writes an inventory the inventory parser accepts', async () => {
    const fleet = await fleetOf({ count: 3 });
    const inventory = parseInventory(fleet.inventoryYaml(), 'sim.yaml');
    expect(inventory.nodes.map((node) => [node.name, node.url])).toEqual(fleet.nodes.map((node) => [node.name, node.url]));
    expect(inventory.auth?.settings).toEqual({ type: 'none' });
    const withTokens = await fleetOf({ count: 1, tokens: { admin: ['a-token'], member: [] } });
    expect(parseInventory(withTokens.inventoryYaml(), 'sim.yaml').auth).toBeUndefined();
    expect(withTokens.inventoryYaml()).not.toContain('a-token');
  });

  it('starts an Epoxy fleet: row ids from one sequence, never-read copies accessed just before they were written', async () => {
    const fleet = await fleetOf({ count: 3, release: 'epoxy' });
    const entries = fleet.nodes.flatMap((node) => node.state().cached);
    const rowIds = entries.map((entry) => entry.rowId!);
    expect(new Set(rowIds).size).toBe(entries.length);
    expect(entries.every((entry) => entry.checksum === null)).toBe(true);
    const neverRead = entries.filter((entry) => entry.hits === 0);
    expect(neverRead.length).toBeGreaterThan(0);
    for (const entry of neverRead) expect(entry.lastModified - entry.lastAccessed).toBeCloseTo(0.000_004, 6);
  });

  it('starts a node with the worker_self_reference_url of another: both list the same rows, holding both windows', async () => {
    const fleet = await fleetOf({ count: 3, release: 'epoxy', referenceOf: (index) => (index === 2 ? 1 : index) });
    const [first, second, third] = fleet.nodes.map((node) => node.state().cached);
    expect(third).toEqual(second);
    // Neighbours' windows overlap: the shared rows hold their union.
    expect(second!.length).toBeGreaterThan(20);
    expect(first!.some((entry) => second!.some((shared) => shared.rowId === entry.rowId))).toBe(false);
    await expect(startSimFleet({ count: 2, imagesPerNode: 1, release: 'epoxy', referenceOf: (index) => 1 - index })).rejects.toThrow('must name a node that uses its own reference');
  });

  it('handles an empty catalog', async () => {
    const fleet = await fleetOf({ count: 2, imagesPerNode: 0 });
    expect(fleet.nodes.map((node) => node.state())).toEqual([
      { cached: [], queued: [] },
      { cached: [], queued: [] },
    ]);
  });
});
