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
    expect(entry).toMatchObject({ id: expect.any(Number), checksum: expect.any(String) });
    const bad = fakeIo();
    expect(await runSimCli(['--release', 'yoga'], bad)).toBe(2);
    expect(bad.err.split('\n')[0]).toBe('sim: --release "yoga" is not one of zed, epoxy');
  });

  it('explains bad flags in one line plus usage', async () => {
    const io = fakeIo();
    expect(await runSimCli(['--nodes', 'many'], io)).toBe(2);
    expect(io.err.split('\n')[0]).toBe('sim: --nodes "many" is not a whole number of at least 1');
    const other = fakeIo();
    expect(await runSimCli(['--nodes', '2', '--legacy', '3'], other)).toBe(2);
    expect(other.err).toContain('--legacy 3 is more than --nodes 2');
  });

  it('reports a fleet that cannot start', async () => {
    const io = fakeIo();
    expect(await runSimCli(['--api-version', 'v2.9'], io)).toBe(1);
    expect(io.err).toMatch(/^sim: cannot start the fleet: the cache flavor needs apiVersion v2.14/);
  });
});
