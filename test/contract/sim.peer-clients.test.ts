/**
 * The peer-client contract against the simulator: python-glanceclient and glance-cache-manage drive a
 * simulated node of each release through the recording proxy, and every request must answer as the real
 * release's column of test/contract/peer-clients/recorded.json says.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SimCatalog } from '../../src/sim/catalog.js';
import { startSimNode, type SimRelease } from '../../src/sim/node.js';
import { readRecorded, recordedColumn } from './peer-clients/recorded.js';
import { TABLE, renderTable } from './peer-clients/render-table.mjs';
import { peerClientsMissing, runPeerScenario } from './peer-clients/scenario.js';
import { differences } from './peer-clients/shape.js';
import { eventually } from './wire.js';

const TOKEN = 'sim-admin-token-for-peer-clients';
const missing = peerClientsMissing();

if (missing !== null) {
  if (process.env.CI === 'true') {
    describe('peer clients against the simulator', () => {
      it('can run', () => {
        throw new Error(`the peer-client contract cannot run: ${missing}`);
      });
    });
  } else {
    console.warn(`\n*** SKIPPED: the peer-client contract against the simulator. ${missing} ***\n`);
  }
}

describe.skipIf(missing !== null)('peer clients against the simulator', () => {
  it.each<SimRelease>(['zed', 'epoxy'])('the %s simulator answers as the recorded real column says', async (release) => {
    const catalog = new SimCatalog({ seed: 16 });
    const image = catalog.add({ name: 'peer-client-image', size: 4096 });
    const node = await startSimNode({ name: `sim-${release}`, catalog, release, flavor: 'cachemanagement', tokens: { admin: [TOKEN], member: [] } });
    try {
      const calls = await runPeerScenario({
        url: node.url,
        token: TOKEN,
        image: { id: image.id, name: image.name ?? '' },
        unknownId: '7e57c0de-0000-4000-8000-000000000404',
        waitCached: (id) => eventually(() => node.state().cached.some((entry) => entry.id === id), `sim-${release} caching ${id}`),
        readThrough: async (id) => node.readImage(id),
      });
      expect(differences(recordedColumn(`real-${release}`), calls, [`real ${release}`, `simulator ${release}`])).toEqual([]);
    } finally {
      await node.close();
    }
  }, 60_000);
});

describe('the recorded table', () => {
  it('TABLE.md is rendered from recorded.json (node test/contract/peer-clients/render-table.mjs)', () => {
    expect(readFileSync(TABLE, 'utf8')).toBe(renderTable(readRecorded()));
  });
});
