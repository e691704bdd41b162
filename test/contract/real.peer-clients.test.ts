/**
 * The peer-client contract against the real fleet of GLANCE_CACHE_FLEET_RELEASE: python-glanceclient and
 * glance-cache-manage through the recording proxy, compared request by request with that release's column
 * of test/contract/peer-clients/recorded.json. A drift fails, whichever side moved; GLANCE_CACHE_RECORD=1
 * records the column instead. The node is put back as it was found: same images cached, same queued.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { recordColumn, recordedColumn, recording } from './peer-clients/recorded.js';
import { peerClientsMissing, runPeerScenario } from './peer-clients/scenario.js';
import { differences } from './peer-clients/shape.js';
import { fleetSession, readThroughNode, realFleetAvailable } from './real-fleet.js';
import { eventually, wire } from './wire.js';

const availability = realFleetAvailable();
const missing = peerClientsMissing();
const reason = !availability.ok ? availability.reason : missing;

if (reason !== null) {
  if (process.env.CI === 'true') {
    // In CI a missing fleet or client is a broken pipeline, never a silent pass.
    describe('peer clients against the real fleet', () => {
      it('can run', () => {
        throw new Error(`the peer-client contract cannot run: ${reason}`);
      });
    });
  } else {
    console.warn(`\n*** SKIPPED: the peer-client contract against the real fleet. ${reason} ***\n`);
  }
}

interface CacheListing {
  cached_images: { image_id: string }[];
  queued_images: string[];
}

describe.skipIf(reason !== null)('peer clients against the real fleet', () => {
  it(recording ? 'records its column of the table' : 'answer as the recorded column says', async () => {
    if (!availability.ok) throw new Error(availability.reason);
    const { fleet } = availability;
    const column = `real-${fleet.release}`;
    const net = wire();
    const token = (await fleetSession(fleet, 'admin', net.http).token())!;
    // The last node: the other real suites work on the first.
    const node = fleet.nodes[fleet.nodes.length - 1]!;
    const names = fleet.images.map((image) => image.name);
    const image = fleet.images.filter((each) => names.indexOf(each.name) === names.lastIndexOf(each.name)).sort((a, b) => a.size - b.size)[0]!;
    const headers = { 'x-auth-token': token };
    const listing = async (): Promise<CacheListing> => {
      const response = await request(`${node.url}/v2/cache`, { headers, dispatcher: net.agent });
      if (response.statusCode !== 200) throw new Error(`GET ${node.url}/v2/cache answered ${response.statusCode}`);
      return (await response.body.json()) as CacheListing;
    };
    const held = (state: CacheListing) => ({ cached: state.cached_images.map((entry) => entry.image_id).sort(), queued: [...state.queued_images].sort() });
    const before = held(await listing());
    let calls;
    try {
      calls = await runPeerScenario({
        url: node.url,
        token,
        image: { id: image.id, name: image.name },
        unknownId: randomUUID(),
        waitCached: (id) => eventually(async () => (await listing()).cached_images.some((entry) => entry.image_id === id), `${node.name} caching ${id}`, 60_000),
        readThrough: (id) => readThroughNode(node.url, id, token, net.agent),
      });
    } finally {
      // Back as found, even after a failed call: empty the cache, re-read what was cached, re-queue what was queued.
      const cleared = await request(`${node.url}/v2/cache`, { method: 'DELETE', headers, dispatcher: net.agent });
      await cleared.body.dump();
      for (const id of before.cached) await readThroughNode(node.url, id, token, net.agent);
      for (const id of before.queued) {
        const queued = await request(`${node.url}/v2/queued_images/${id}`, { method: 'PUT', headers, dispatcher: net.agent });
        await queued.body.dump();
      }
    }
    try {
      expect(held(await listing()), `${node.name} is not as the suite found it`).toEqual(before);
    } finally {
      await net.close();
    }
    if (recording) {
      recordColumn(column, fleet.glance.package, calls);
      return;
    }
    expect(differences(recordedColumn(column), calls, [`recorded ${column}`, `${node.name} now`])).toEqual([]);
  }, 180_000);
});
