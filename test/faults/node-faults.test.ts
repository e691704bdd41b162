/**
 * The fault matrix, node faults (test/FAULTS.md): one simulated node of three breaks in one way; the run
 * names it in one line, exits 3, and lists the other two exactly as they are.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SimFaults } from '../../src/sim/index.js';
import { buildDist } from '../helpers/build.js';
import { runCli } from '../helpers/run-cli.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';
import { errorLines, expectOnlyNodeFailed, startUnansweringPort, type LsJson } from './support.js';

let fleet: SimFleetOnDisk;
beforeEach(async () => {
  fleet = await simFleetOnDisk();
});
afterEach(async () => {
  await fleet.close();
});

const ls = (inventory: string, ...args: string[]) => runCli(['-i', inventory, 'ls', '-a', '--json', ...args]);

/** The fleet's three nodes and one more, wherever it points. */
function withExtraNode(name: string, url: string, extra = ''): string {
  const file = join(fleet.dir, `${name}.yaml`);
  const nodes = [...fleet.nodes.map((node) => ({ name: node.name, url: node.url })), { name, url }];
  writeFileSync(file, ['nodes:', ...nodes.map((node) => `  - { name: ${node.name}, url: "${node.url}" }`), extra || 'auth: { type: none }', ''].join('\n'), { mode: 0o600 });
  return file;
}

describe('transport faults', () => {
  it('refused: the node is down', async () => {
    const broken = fleet.nodes[1]!;
    await broken.close();
    expectOnlyNodeFailed(await ls(fleet.inventory), fleet.nodes, broken, /^connection refused$/);
  });

  it('DNS failure: the node name does not resolve', async () => {
    const url = 'http://glance-nowhere.invalid:9292';
    expectOnlyNodeFailed(await ls(withExtraNode('glance09', url)), fleet.nodes, { name: 'glance09', url }, /^cannot resolve host$/);
  });

  it('connect timeout: the SYN goes unanswered', async () => {
    const port = await startUnansweringPort();
    try {
      const run = await ls(withExtraNode('glance09', port.url), '--connect-timeout', '500ms', '--timeout', '20s');
      expectOnlyNodeFailed(run, fleet.nodes, { name: 'glance09', url: port.url }, /^connect timed out after 500ms$/);
    } finally {
      port.close();
    }
  });

  it.each<[string, SimFaults, RegExp]>([
    ['hang before headers', { hang: 'before-headers' }, /^timed out after 2s$/],
    ['hang after headers', { hang: 'after-headers' }, /^timed out after 2s$/],
    ['hang mid-body', { hang: 'mid-body' }, /^timed out after 2s$/],
    ['slow drip (1 byte a second)', { drip: 1 }, /^timed out after 2s$/],
    ['reset mid-body', { reset: true }, /^connection reset$/],
  ])('%s: the node costs its timeout, not the run', async (_cell, faults, cause) => {
    const broken = fleet.nodes[1]!;
    broken.setFaults(faults);
    expectOnlyNodeFailed(await ls(fleet.inventory, '--timeout', '2s'), fleet.nodes, broken, cause);
  });

  it('retries a reset read twice, then gives up', async () => {
    fleet.nodes[1]!.setFaults({ reset: true });
    await ls(fleet.inventory, '--timeout', '5s');
    expect(fleet.nodes[1]!.requests.filter((request) => request.path === '/v2/cache')).toHaveLength(3);
  });
});

describe('HTTP statuses', () => {
  const cells: [number, RegExp, RegExp][] = [
    // Under noauth a node that wants a token is misconfigured, not Keystone: that node alone fails.
    [401, /^a node asked for a token but authentication is off/, /^a node asked for a token but authentication is off/],
    [403, /forbidden: policy cache_list .*glance said: HTTP 403: Access was denied to this resource\./, /forbidden: policy cache_list .*glance said: HTTP 403: 403 Forbidden nginx/],
    [404, /^HTTP 404: The resource could not be found\.$/, /^HTTP 404: 404 Not Found nginx$/],
    [409, /^HTTP 409$/, /^HTTP 409: 409 Conflict nginx$/],
    [413, /^HTTP 413$/, /^HTTP 413: 413 Request Entity Too Large nginx$/],
    [500, /^HTTP 500: The server has either erred or is incapable of performing the requested operation\.$/, /^HTTP 500: 500 Internal Server Error nginx$/],
    [502, /^HTTP 502: Bad gateway\.$/, /^HTTP 502: 502 Bad Gateway nginx$/],
    [503, /^HTTP 503: The server is currently unavailable\. Please try again at a later time\.$/, /^HTTP 503: 503 Service Unavailable nginx$/],
  ];
  for (const [status, json, html] of cells) {
    for (const [body, cause] of [['JSON', json], ['HTML', html]] as const) {
      it(`${status} with a ${body} body`, async () => {
        const broken = fleet.nodes[1]!;
        broken.setFaults({ status, htmlErrors: body === 'HTML' });
        const run = await ls(fleet.inventory);
        if (status === 403) {
          // explainForbidden's line names the node without its URL.
          expect(run.code).toBe(3);
          expect(errorLines(run.stderr)).toEqual([expect.stringMatching(new RegExp(`^error: glance02: ${cause.source}`))]);
          return;
        }
        expectOnlyNodeFailed(run, fleet.nodes, broken, cause);
        // Only the transient statuses are asked again.
        const tries = broken.requests.filter((request) => request.path === '/v2/cache').length;
        expect(tries).toBe(status === 502 || status === 503 ? 3 : 1);
      });
    }
  }
});

describe('bodies', () => {
  it('truncated JSON', async () => {
    fleet.nodes[1]!.setFaults({ truncate: true });
    expectOnlyNodeFailed(await ls(fleet.inventory), fleet.nodes, fleet.nodes[1]!, /^answered truncated JSON \(\d+ bytes\)$/);
  });

  it('valid JSON of the wrong shape', async () => {
    fleet.nodes[1]!.setFaults({ wrongShape: true });
    expectOnlyNodeFailed(await ls(fleet.inventory), fleet.nodes, fleet.nodes[1]!, /^cached_images is not a list \(got an object\)$/);
  });

  it('a 200 with 50 MB of JSON is refused by the size cap', async () => {
    fleet.nodes[1]!.setFaults({ hugeBody: 50 * 1024 * 1024 });
    const run = await ls(fleet.inventory, '--timeout', '20s');
    expectOnlyNodeFailed(run, fleet.nodes, fleet.nodes[1]!, /^response from http:\/\/127\.0\.0\.1:\d+\/v2\/cache is larger than 33554432 bytes; refused$/);
  });

  it('duplicate image IDs in one listing count once', async () => {
    const node = fleet.nodes[1]!;
    node.setFaults({ duplicateIds: true });
    const run = await ls(fleet.inventory);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as LsJson;
    const held = node.state().cached.map((entry) => entry.id);
    for (const id of held) {
      const rows = result.images.filter((image) => image.id === id);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.cached_on.filter((name) => name === node.name)).toHaveLength(1);
    }
    const queued = result.images.filter((image) => image.queued_on.includes(node.name));
    expect(queued.map((image) => image.queued_on.filter((name) => name === node.name).length)).toEqual(node.state().queued.map(() => 1));
  });

  it.each<[string, Record<string, number>, RegExp]>([
    ['a negative size', { size: -1 }, /^cached_images\[\d+\]\.size is negative$/],
    ['an absurd size (2^60 bytes)', { size: 2 ** 60 }, /^cached_images\[\d+\]\.size is not a plausible image size$/],
    ['a fractional hit count', { hits: 1.5 }, /^cached_images\[\d+\]\.hits is not a whole number$/],
    ['a negative timestamp', { lastAccessed: -5 }, /^cached_images\[\d+\]\.last_accessed is negative$/],
    ['a timestamp in milliseconds (year 50000+)', { lastModified: Date.now() }, /^cached_images\[\d+\]\.last_modified is not a plausible time in epoch seconds$/],
  ])('%s fails that node, naming the field', async (_cell, entry, cause) => {
    const node = fleet.nodes[1]!;
    node.putCacheEntry({ id: '0b0b0b0b-0000-4000-8000-000000000001', size: 1, ...entry });
    expectOnlyNodeFailed(await ls(fleet.inventory), fleet.nodes, node, cause);
  });
});

describe('a redirect to another host', () => {
  let other: Server;
  let otherRequests: string[];
  beforeEach(async () => {
    otherRequests = [];
    other = createServer((request, response) => {
      otherRequests.push(`${request.method} ${request.url} token=${String(request.headers['x-auth-token'])}`);
      response.end('{"cached_images":[],"queued_images":[]}');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  });
  afterEach(async () => {
    other.closeAllConnections();
    await new Promise((resolve) => other.close(resolve));
  });

  it('is not followed: the token never reaches the other host', async () => {
    await fleet.close();
    fleet = await simFleetOnDisk({ tokens: { admin: ['redirect-admin-token-1'], member: [] } });
    const elsewhere = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const node = fleet.nodes[1]!;
    node.setFaults({ redirectTo: elsewhere });
    const run = await ls(fleet.inventory, '--os-token', 'redirect-admin-token-1');
    expectOnlyNodeFailed(run, fleet.nodes, node, new RegExp(`^answered 307 redirect to ${elsewhere}/v2/cache; redirects are not followed$`));
    expect(otherRequests).toEqual([]);
    // Redirects are not retried either: one request, one refusal.
    expect(node.requests.filter((request) => request.path === '/v2/cache')).toHaveLength(1);
  });
});

describe('a fleet larger than the open-files limit', () => {
  const root = new URL('../..', import.meta.url).pathname;
  let sim: ChildProcess | undefined;
  beforeAll(buildDist);
  afterEach(async () => {
    if (sim && sim.exitCode === null) {
      sim.kill('SIGTERM');
      await once(sim, 'exit');
    }
    sim = undefined;
  });

  it('1500 nodes under ulimit -n 1024: every node answers, exit 0', async () => {
    const inventory = join(fleet.dir, 'sim-1500.yaml');
    // The simulator holds a socket per node and per connection: its own process, its soft limit raised to the hard one.
    sim = spawn('bash', ['-c', `ulimit -n "$(ulimit -Hn)"; exec "${process.execPath}" dist/sim.js --nodes 1500 --images 5 --inventory-out "${inventory}"`], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    while (!existsSync(inventory)) {
      expect(sim.exitCode, 'the simulator stopped before it was ready').toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const cli = spawn('bash', ['-c', `ulimit -n 1024; exec "${process.execPath}" bin/glance-cache.js -i "${inventory}" ls -a --json`], { cwd: root, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    cli.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    cli.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(cli, 'close')) as [number | null];
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as LsJson;
    expect(result.nodes).toHaveLength(1500);
    expect(result.nodes.filter((node) => !node.ok)).toEqual([]);
  }, 120_000);
});
