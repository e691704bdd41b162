/**
 * Simulated nodes started by a test and closed after it, with the test's own connection pool (wire()):
 * `const sims = simNodesPerTest()` at the top of a file, then `await sims.start({...})` and `sims.net.agent`.
 */
import { afterEach, beforeEach } from 'vitest';
import { startSimNode, type SimNode, type SimNodeOptions } from '../../src/sim/node.js';
import { wire, type Wire } from '../contract/wire.js';

export interface SimNodesPerTest {
  readonly net: Wire;
  start(options?: SimNodeOptions): Promise<SimNode>;
}

export function simNodesPerTest(): SimNodesPerTest {
  let nodes: SimNode[] = [];
  let net: Wire | undefined;
  beforeEach(() => {
    net = wire();
  });
  afterEach(async () => {
    await Promise.all(nodes.map((node) => node.close()));
    nodes = [];
    await net?.close();
  });
  return {
    get net() {
      if (!net) throw new Error('simNodesPerTest: net is only there inside a test');
      return net;
    },
    async start(options = {}) {
      const node = await startSimNode(options);
      nodes.push(node);
      return node;
    },
  };
}
