// `npm run demo`: the main job against a built-in local fleet. Starts simulated glance-api nodes on
// loopback (one is down, to show how failures read), runs the built CLI against them, then stops them.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimFleet } from '../dist/sim.js';

const bin = new URL('../bin/glance-cache.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'glance-cache-demo-'));
const inventory = join(dir, 'inventory.yaml');
const fleet = await startSimFleet({ count: 4, imagesPerNode: 6, latencyMs: 20, seed: 42, namePrefix: 'glance' });

try {
  writeFileSync(inventory, fleet.inventoryYaml());
  // The fourth node stops answering: the others are still listed and it is named on stderr (exit 3).
  fleet.nodes[3].setFaults({ status: 503, htmlErrors: true });
  const image = fleet.catalog.visible().find((candidate) => candidate.status === 'active');
  const steps = [
    ['inventory'],
    ['ls', '--all-nodes'],
    ['ls', '--all-nodes', '--per-node', '-x', 'glance04'],
    ['nodes', '--all-nodes'],
    ['where', image.name, '--all-nodes'],
  ];
  for (const args of steps) {
    process.stdout.write(`\n$ glance-cache ${args.join(' ')}\n`);
    // Asynchronous on purpose: the simulated nodes answer from this very process.
    const child = spawn(process.execPath, [bin, '-i', inventory, ...args], { stdio: 'inherit' });
    const [code] = await once(child, 'exit');
    process.stdout.write(`(exit ${code})\n`);
  }
} finally {
  await fleet.close();
  rmSync(dir, { recursive: true, force: true });
}
