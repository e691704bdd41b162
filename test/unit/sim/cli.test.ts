import { describe, it, expect } from 'vitest';
import { runSimCli, type SimCliIo } from '../../../src/sim/cli.js';
import { parseInventory } from '../../../src/inventory/parse.js';

function fakeIo(onReady: (io: ReturnType<typeof fakeIo>) => Promise<void> = async () => {}) {
  let stop!: () => void;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const io = {
    out: '',
    err: '',
    files: new Map<string, string>(),
    stdout: (text: string) => {
      io.out += text;
    },
    stderr: (text: string) => {
      io.err += text;
      if (text.includes('ready')) void onReady(io).finally(stop);
    },
    writeFileAtomic: async (path: string, text: string) => {
      io.files.set(path, text);
    },
    stopped: () => stopped,
  } satisfies SimCliIo & Record<string, unknown>;
  return io;
}

describe('runSimCli', () => {
  it('serves the fleet it printed until stopped', async () => {
    let answered = 0;
    const io = fakeIo(async (current) => {
      const inventory = parseInventory(current.out, 'sim.yaml');
      for (const node of inventory.nodes) {
        const response = await fetch(`${node.url}/v2/cache`);
        if (response.status === 200) answered++;
      }
    });
    expect(await runSimCli(['--nodes', '3', '--images', '4', '--legacy', '1', '--latency', '5ms', '--inventory-out', '/x/inv.yaml'], io)).toBe(0);
    // The legacy node has no /v2/cache.
    expect(answered).toBe(2);
    expect(io.files.get('/x/inv.yaml')).toBe(io.out);
    expect(io.err).toContain('3 nodes ready');
  });

  it('serves an Epoxy fleet with --release epoxy', async () => {
    let entry: Record<string, unknown> = {};
    const io = fakeIo(async (current) => {
      const [node] = parseInventory(current.out, 'sim.yaml').nodes;
      entry = ((await (await fetch(`${node!.url}/v2/cache`)).json()) as { cached_images: Record<string, unknown>[] }).cached_images[0]!;
    });
    expect(await runSimCli(['--nodes', '1', '--images', '2', '--release', 'epoxy'], io)).toBe(0);
    expect(entry).toMatchObject({ id: expect.any(Number), checksum: null });
    const bad = fakeIo();
    expect(await runSimCli(['--release', 'yoga'], bad)).toBe(2);
    expect(bad.err.split('\n')[0]).toBe('sim: --release "yoga" is not one of zed, epoxy, next');
  });

  it('explains bad flags in one line plus usage', async () => {
    const io = fakeIo();
    expect(await runSimCli(['--nodes', 'many'], io)).toBe(2);
    expect(io.err.split('\n')[0]).toBe('sim: --nodes "many" is not a whole number of at least 1');
    const other = fakeIo();
    expect(await runSimCli(['--nodes', '2', '--legacy', '3'], other)).toBe(2);
    expect(other.err).toContain('--legacy 3 is more than --nodes 2');
  });

  it('serves /v2/cache and the legacy middleware side by side by default; --flavor cache drops the middleware', async () => {
    const statuses = (flags: string[]) => {
      const seen: number[] = [];
      const io = fakeIo(async (current) => {
        const [node] = parseInventory(current.out, 'sim.yaml').nodes;
        for (const path of ['/v2/cache', '/v2/cached_images', '/v2/queued_images']) seen.push((await fetch(`${node!.url}${path}`)).status);
      });
      return runSimCli(['--nodes', '1', '--images', '2', ...flags], io).then((code) => [code, ...seen]);
    };
    expect(await statuses([])).toEqual([0, 200, 200, 200]);
    expect(await statuses(['--flavor', 'cache'])).toEqual([0, 200, 404, 404]);
    expect(await statuses(['--flavor', 'legacy'])).toEqual([0, 404, 200, 200]);
    const bad = fakeIo();
    expect(await runSimCli(['--flavor', 'keystone'], bad)).toBe(2);
    expect(bad.err.split('\n')[0]).toBe('sim: --flavor "keystone" is not one of cache, cachemanagement, legacy');
  });

  it('starts node 3 with node 2\'s worker_self_reference_url with --shared-reference 3:2, so both list the same rows', async () => {
    let listings: unknown[] = [];
    const io = fakeIo(async (current) => {
      const nodes = parseInventory(current.out, 'sim.yaml').nodes;
      listings = await Promise.all(nodes.map(async (node) => (await (await fetch(`${node.url}/v2/cache`)).json()) as unknown));
    });
    expect(await runSimCli(['--nodes', '3', '--images', '3', '--release', 'epoxy', '--shared-reference', '3:2'], io)).toBe(0);
    expect(listings[2]).toEqual(listings[1]);
    expect(listings[0]).not.toEqual(listings[1]);
    for (const pair of ['3:3', '4:1', '3-2']) {
      const bad = fakeIo();
      expect(await runSimCli(['--nodes', '3', '--shared-reference', pair], bad)).toBe(2);
      expect(bad.err.split('\n')[0]).toBe(`sim: --shared-reference "${pair}" is not N:M, two different node numbers from 1 to 3`);
    }
  });

  it('refuses --shared-reference on Zed, twice for one node, and through a node that borrows itself: exit 2, naming the flag', async () => {
    const cases: [string[], string][] = [
      [['--shared-reference', '2:1'], 'sim: --shared-reference needs the centralized_db driver: --release epoxy or next'],
      [['--release', 'epoxy', '--shared-reference', '2:1', '--shared-reference', '2:3'], 'sim: --shared-reference "2:3": node 2 already takes node 1\'s reference'],
      [['--release', 'epoxy', '--shared-reference', '2:1', '--shared-reference', '1:2'], 'sim: --shared-reference "2:1": node 1 takes another node\'s reference itself; name the node that owns it'],
      [['--release', 'next', '--shared-reference', '3:2', '--shared-reference', '2:1'], 'sim: --shared-reference "3:2": node 2 takes another node\'s reference itself; name the node that owns it'],
    ];
    for (const [args, line] of cases) {
      const bad = fakeIo();
      expect(await runSimCli(['--nodes', '3', ...args], bad)).toBe(2);
      expect(bad.err.split('\n')[0]).toBe(line);
    }
  });

  it('reports a fleet that cannot start', async () => {
    const io = fakeIo();
    expect(await runSimCli(['--api-version', 'v2.9'], io)).toBe(1);
    expect(io.err).toMatch(/^sim: cannot start the fleet: the cachemanagement flavor needs apiVersion v2.14/);
  });
});
