import { randomUUID } from 'node:crypto';
import { request } from 'undici';
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
  defineCacheApiContract(`real Glance ${availability.ok ? availability.fleet.release : ''} (test/fleet)`, 'keystone', async () => {
    if (!availability.ok) throw new Error(availability.reason);
    const { fleet } = availability;
    const net = wire();
    const admin = fleetSession(fleet, 'admin', net.http);
    const member = fleetSession(fleet, 'member', net.http);
    const first = fleet.nodes[0]!;
    // An image the first node does not hold at the start, so caching it is a visible change.
    const active = fleet.images.find((image) => !image.cached_on.includes(first.name)) ?? fleet.images[0]!;
    const token = (await admin.token())!;
    // An image record without data stays `queued`: the one kind of image that is not active.
    const created = await request(`${first.url}/v2/images`, {
      method: 'POST',
      headers: { 'x-auth-token': token, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `contract-no-data-${randomUUID().slice(0, 8)}`, disk_format: 'raw', container_format: 'bare' }),
      dispatcher: net.agent,
    });
    const notActive = (await created.body.json()) as { id: string; status: string };
    if (created.statusCode !== 201 || notActive.status !== 'queued') throw new Error(`creating an image without data answered ${created.statusCode} (${notActive.status})`);
    return {
      release: fleet.release,
      nodes: fleet.nodes.map((node) => ({ name: node.name, url: node.url })),
      imagesUrl: first.url,
      session: admin,
      memberToken: (await member.token()) ?? undefined,
      activeImageId: active.id,
      unknownImageId: randomUUID(),
      notActiveImageId: notActive.id,
      makeCached: async (node, id) => readThroughNode(node.url, id, await admin.token(), net.agent),
      close: async () => {
        const deleted = await request(`${first.url}/v2/images/${notActive.id}`, { method: 'DELETE', headers: { 'x-auth-token': token }, dispatcher: net.agent });
        await deleted.body.dump();
        await net.close();
        if (deleted.statusCode !== 204) throw new Error(`deleting image ${notActive.id} answered ${deleted.statusCode}`);
      },
    };
  });
});
