/**
 * A simulated fleet with its inventory on disk, for in-process CLI tests.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimFleet, type SimFleet, type SimFleetOptions } from '../../src/sim/index.js';

export interface SimFleetOnDisk extends SimFleet {
  inventory: string;
  dir: string;
}

export async function simFleetOnDisk(options: Partial<SimFleetOptions> = {}): Promise<SimFleetOnDisk> {
  const fleet = await startSimFleet({ count: 3, imagesPerNode: 4, seed: 11, namePrefix: 'glance', ...options });
  const dir = mkdtempSync(join(tmpdir(), 'glance-cache-e2e-'));
  const inventory = join(dir, 'inventory.yaml');
  writeFileSync(inventory, fleet.inventoryYaml(), { mode: 0o600 });
  return {
    ...fleet,
    inventory,
    dir,
    async close() {
      await fleet.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
