import { SimCatalog } from '../../src/sim/catalog.js';
import { startSimNode, type SimNode, type SimNodeOptions } from '../../src/sim/node.js';
import { defineCacheApiContract, type ContractTarget } from './cache-api.contract.js';
import { fixedSession } from './wire.js';

const ADMIN = 'sim-admin-token-for-contract';
const MEMBER = 'sim-member-token-for-contract';

async function simTarget(options: Partial<SimNodeOptions>): Promise<ContractTarget> {
  const catalog = new SimCatalog({ seed: 11 });
  const active = catalog.add({ name: 'contract-active', size: 4096 });
  const seeded = catalog.add({ name: 'contract-seeded', size: 8192 });
  const notActive = catalog.add({ name: 'contract-uploading', status: 'queued', size: null });
  const nodes = await Promise.all(['sim01', 'sim02'].map((name) => startSimNode({ name, catalog, ...options })));
  for (const node of nodes) node.readImage(seeded.id);
  const byName = new Map<string, SimNode>(nodes.map((node) => [node.name, node]));
  const held = () => nodes.map((node) => [node.state().cached.map((entry) => entry.id).sort(), node.state().queued]);
  const before = JSON.stringify(held());
  return {
    release: options.release === 'epoxy' ? 'epoxy' : 'zed',
    nodes: nodes.map((node) => ({ name: node.name, url: node.url })),
    imagesUrl: nodes[0]!.url,
    session: fixedSession(options.tokens ? ADMIN : null),
    memberToken: options.tokens ? MEMBER : undefined,
    activeImageId: active.id,
    unknownImageId: '7e57c0de-0000-4000-8000-000000000404',
    notActiveImageId: notActive.id,
    makeCached: async (node, id) => byName.get(node.name)!.readImage(id),
    // The suite must leave the nodes as it found them: checked here, where the sim can see its state.
    close: async () => {
      const after = JSON.stringify(held());
      await Promise.all(nodes.map((node) => node.close()));
      if (after !== before) throw new Error(`the contract suite did not restore the nodes: ${before} became ${after}`);
    },
  };
}

defineCacheApiContract('simulator with Keystone tokens', 'keystone', () => simTarget({ tokens: { admin: [ADMIN], member: [MEMBER] } }));
defineCacheApiContract('simulator as Epoxy (centralized_db) with Keystone tokens', 'keystone', () => simTarget({ release: 'epoxy', tokens: { admin: [ADMIN], member: [MEMBER] } }));
defineCacheApiContract('simulator, noauth, behind a path prefix, caching after a delay', 'noauth', () => simTarget({ prefix: '/glance', cacheDelayMs: 100 }));
