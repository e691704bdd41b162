import { randomUUID } from 'node:crypto';
import { describe, it } from 'vitest';
import { defineCacheApiContract } from './cache-api.contract.js';
import { fleetSession, readThroughNode, realFleetAvailable } from './real-fleet.js';
import { wire } from './wire.js';

const availability = realFleetAvailable();

if (!availability.ok) {
  if (process.env.CI === 'true') {
    // In CI a missing fleet is a broken pipeline, never a silent pass.
    describe('real Glance fleet', () => {
      it('is running', () => {
        throw new Error(`the real Glance contract cannot run: ${availability.reason}`);
      });
    });
  } else {
    console.warn(`\n*** SKIPPED: the real Glance cache API contract. ${availability.reason} ***\n`);
  }
}

describe.skipIf(!availability.ok)('real Glance fleet', () => {
  defineCacheApiContract('real Glance (test/fleet)', async () => {
    if (!availability.ok) throw new Error(availability.reason);
    const { fleet } = availability;
    const net = wire();
    const admin = fleetSession(fleet, 'admin', net.http);
    const member = fleetSession(fleet, 'member', net.http);
    const first = fleet.nodes[0]!;
    // An image the first node does not hold at the start, so caching it is a visible change.
    const active = fleet.images.find((image) => !image.cached_on.includes(first.name)) ?? fleet.images[0]!;
    return {
      nodes: fleet.nodes.map((node) => ({ name: node.name, url: node.url })),
      imagesUrl: first.url,
      session: admin,
      memberToken: (await member.token()) ?? undefined,
      activeImageId: active.id,
      unknownImageId: randomUUID(),
      makeCached: async (node, id) => readThroughNode(node.url, id, await admin.token(), net.agent),
      close: () => net.close(),
    };
  });
});
