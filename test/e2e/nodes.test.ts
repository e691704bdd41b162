/**
 * nodes through main(): the latency is the node's own round trip, and the cache driver is shown where a
 * listing reveals it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeKeystone, type FakeKeystone } from '../helpers/fake-keystone.js';
import { runCli } from '../helpers/run-cli.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';
import { placeImage } from './act-support.js';

interface NodeJson {
  name: string;
  api: string | null;
  version: string | null;
  cache_driver: string | null;
  latency_ms: number | null;
  warnings: unknown[];
}

let fleet: SimFleetOnDisk | undefined;
let keystone: FakeKeystone | undefined;
afterEach(async () => {
  await fleet?.close();
  await keystone?.close();
  fleet = undefined;
  keystone = undefined;
});

const nodesJson = async (args: string[] = [], options: Parameters<typeof runCli>[1] = {}) => {
  const run = await runCli(['-i', fleet!.inventory, 'nodes', '-a', '--json', ...args], options);
  return { ...run, nodes: run.code === 0 ? (JSON.parse(run.stdout) as { nodes: NodeJson[] }).nodes : [] };
};

describe('nodes', () => {
  it('measures each node from the moment its request goes out, not from before the Keystone token', async () => {
    // The run's clock jumps a minute while Keystone issues the token: only time spent waiting for it sees the jump.
    let skew = 0;
    keystone = await startFakeKeystone({
      tokenFor: (index) => {
        skew += 60_000;
        return `latency-token-${index + 1}`;
      },
    });
    fleet = await simFleetOnDisk({ tokens: { admin: ['latency-token-1'], member: [] }, latencyMs: 100 });
    const env = { OS_AUTH_URL: keystone.url, OS_USERNAME: 'admin', OS_PASSWORD: 'secret', OS_PROJECT_NAME: 'admin', OS_USER_DOMAIN_NAME: 'Default', OS_PROJECT_DOMAIN_NAME: 'Default' };
    const run = await nodesJson([], { env, now: () => Date.now() + skew });
    expect(run.code).toBe(0);
    expect(keystone.requests).toHaveLength(1);
    for (const node of run.nodes) {
      // At least the simulated latency (timers may fire a millisecond early), far below the jump.
      expect(node.latency_ms).toBeGreaterThanOrEqual(95);
      expect(node.latency_ms).toBeLessThan(30_000);
    }
  });

  it('shows centralized_db beside the API version where the entries carry row ids, and nothing where they cannot tell', async () => {
    fleet = await simFleetOnDisk({ release: 'epoxy', imagesPerNode: 0 });
    placeImage(fleet, 'one', [0]);
    const epoxy = await nodesJson();
    expect(epoxy.nodes.map((node) => [node.name, node.api, node.version, node.cache_driver])).toEqual([
      ['glance01', 'cache', 'v2.17', 'centralized_db'],
      // An empty cache reveals no driver.
      ['glance02', 'cache', 'v2.17', null],
      ['glance03', 'cache', 'v2.17', null],
    ]);
    const table = await runCli(['-i', fleet.inventory, 'nodes', '-a', '--wide'], { tty: true });
    expect(table.stdout).toMatch(/│ cache v2\.17 │ centralized_db │/);
    await fleet.close();
    fleet = await simFleetOnDisk();
    const zed = await nodesJson();
    expect(zed.nodes.map((node) => [node.version, node.cache_driver, node.warnings])).toEqual([
      ['v2.16', null, []],
      ['v2.16', null, []],
      ['v2.16', null, []],
    ]);
  });
});
