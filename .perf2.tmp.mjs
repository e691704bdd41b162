import { startSimFleet } from '/tmp/simtest/sim.js';
import { Agent, request } from 'undici';
const fleet = await startSimFleet({ count: 1000, imagesPerNode: 1000, seed: 1 });
const agent = new Agent({ connections: 2 });
for (const round of [1, 2, 3]) {
  const t = performance.now();
  for (let i = 0; i < fleet.nodes.length; i += 50) {
    await Promise.all(fleet.nodes.slice(i, i + 50).map(async (n) => { const r = await request(n.url + '/v2/cache', { dispatcher: agent }); await r.body.arrayBuffer(); }));
  }
  console.log('round', round, 'ms', Math.round(performance.now() - t));
}
const t = performance.now();
for (const n of fleet.nodes) { /* render cost only */ }
await fleet.close(); await agent.close();
