// `node bench/act.mjs` (or `npm run bench -- act`): queue, then purge, 50 images on 100 simulated nodes
// answering after 50 ms, for several --node-concurrency values, against two lower bounds:
//   sequential  every request one after another: nodes x images x latency
//   fan-out     --fanout nodes at a time, --node-concurrency requests at a time per node, plus the
//               listing's round trip: ceil(nodes / fanout) x (1 + ceil(images / per-node)) x latency
// Each run is checked: after queue every node caches all 50 images, after purge none.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { timeOnce } from './measure.mjs';
import { startSimFleet } from '../dist/sim.js';

const NODES = 100;
const IMAGES = 50;
const LATENCY_MS = 50;
const FANOUT = 64;
const PER_NODE = [1, 4, 16];
const RUNS = 3;

export async function benchAct(record = printFigure) {
  const bin = new URL('../bin/glance-cache.js', import.meta.url).pathname;
  const fleet = await startSimFleet({ count: NODES, imagesPerNode: 5, latencyMs: LATENCY_MS, seed: 7, namePrefix: 'sim' });
  try {
    const images = Array.from({ length: IMAGES }, (_, index) => fleet.catalog.add({ name: `bench-${index + 1}`, size: 1024 * 1024 }).id);
    const inventory = join(mkdtempSync(join(tmpdir(), 'glance-cache-bench-act-')), 'inventory.yaml');
    writeFileSync(inventory, fleet.inventoryYaml());
    const sequentialMs = NODES * IMAGES * LATENCY_MS;
    process.stdout.write(`act: ${NODES} sim nodes x ${IMAGES} images, ${LATENCY_MS} ms latency, fanout ${FANOUT}; sequential lower bound ${(sequentialMs / 1000).toFixed(0)} s\n`);
    for (const perNode of PER_NODE) {
      const floorMs = Math.ceil(NODES / FANOUT) * (1 + Math.ceil(IMAGES / perNode)) * LATENCY_MS;
      // Queue then purge, in turn: each run finds all 5000 requests still to do.
      const times = { queue: [], purge: [] };
      for (let run = 0; run < RUNS; run++) {
        for (const command of ['queue', 'purge']) {
          const result = await timeOnce(process.execPath, [bin, '-i', inventory, command, ...images, '--all-nodes', '--yes', '-o', 'json', '--fanout', String(FANOUT), '--node-concurrency', String(perNode)]);
          if (result.code !== 0) throw new Error(`${command} exited ${result.code}: ${result.stderr.slice(0, 500)}`);
          checkFleet(fleet, images, command);
          times[command].push(result.ms);
        }
      }
      for (const command of ['queue', 'purge']) {
        const sorted = times[command].sort((a, b) => a - b);
        const figure = { runs: RUNS, p50: sorted[Math.floor(RUNS / 2)], p90: sorted[RUNS - 1], min: sorted[0], codes: [0] };
        record(`${command} ${IMAGES} images x ${NODES} sim nodes, --node-concurrency ${perNode}`, figure, { floorMs, sequentialMs });
        process.stdout.write(`  fan-out floor ${floorMs} ms (p50 = ${(figure.p50 / floorMs).toFixed(2)} x floor); sequential floor / p50 = ${(sequentialMs / figure.p50).toFixed(0)}x\n`);
      }
    }
  } finally {
    await fleet.close();
  }
}

function checkFleet(fleet, images, command) {
  for (const node of fleet.nodes) {
    const cached = new Set(node.state().cached.map((entry) => entry.id));
    const wrong = images.filter((id) => cached.has(id) !== (command === 'queue'));
    if (wrong.length) throw new Error(`after ${command}, ${node.name} is wrong about ${wrong.length} images`);
  }
}

function printFigure(scenario, figure) {
  process.stdout.write(`${scenario}: p50 ${figure.p50.toFixed(0)} ms, p90 ${figure.p90.toFixed(0)} ms (${figure.runs} runs)\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchAct();
