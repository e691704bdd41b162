/**
 * The fault matrix, images API faults (test/FAULTS.md, "Issue 11: untrusted peers"): the nodes are healthy
 * simulated nodes, the images API (the inventory's images_url) is a small loopback server that lies, hangs
 * or drips. A name is resolved only to an image of exactly that name; a lookup that does not answer costs
 * the run its --timeout, once, and a listing still lists.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';
import { allWrites, holdsImage, placeImage, type ActJson } from '../e2e/act-support.js';
import { errorLines, type LsJson } from './support.js';

type Behaviour = { answer: (query: URLSearchParams) => object[] } | 'hang' | 'drip';

interface FakeImagesApi {
  url: string;
  queries: string[];
  close(): Promise<void>;
}

/** An images API on loopback: answers every GET /v2/images with `answer`, or hangs, or drips. */
async function startImagesApi(behaviour: Behaviour): Promise<FakeImagesApi> {
  const queries: string[] = [];
  const drips = new Set<NodeJS.Timeout>();
  const server = createServer((request, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://images.invalid');
    queries.push(url.search);
    if (behaviour === 'hang') return;
    if (behaviour === 'drip') {
      // One byte every 500 ms of a body that never ends: no idle timeout ever fires.
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"images": [');
      const timer = setInterval(() => response.write(' '), 500);
      drips.add(timer);
      response.on('close', () => clearInterval(timer));
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ images: behaviour.answer(url.searchParams) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    queries,
    async close() {
      for (const timer of drips) clearInterval(timer);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const glanceImage = (id: string, name: string) => ({ id, name, status: 'active', size: 1024 * 1024, visibility: 'public' });

let fleet: SimFleetOnDisk;
let images: FakeImagesApi | undefined;
beforeEach(async () => {
  fleet = await simFleetOnDisk();
});
afterEach(async () => {
  await images?.close();
  images = undefined;
  await fleet.close();
});

/** The sim fleet's nodes, with the fake as the images API every name and status is asked of. */
function inventoryWith(api: FakeImagesApi): string {
  const file = join(fleet.dir, 'with-images-api.yaml');
  const nodes = fleet.nodes.map((node) => `  - { name: ${node.name}, url: "${node.url}" }`);
  writeFileSync(file, ['nodes:', ...nodes, `images_url: "${api.url}"`, 'auth: { type: none }', ''].join('\n'), { mode: 0o600 });
  return file;
}

describe('an images API that ignores name=', () => {
  const WANTED = 'production-db-golden-image';
  let other: string;
  beforeEach(async () => {
    // Cached on every node: the image a trusting purge would delete everywhere.
    other = placeImage(fleet, 'scratch-build-42', [0, 1, 2]);
    images = await startImagesApi({ answer: () => [glanceImage(other, 'scratch-build-42')] });
  });

  it.each<[string, string[]]>([
    ['purge', ['purge', WANTED, '-y']],
    ['queue', ['queue', WANTED, '-y']],
    ['sync --images', ['sync', '--replicas', '3', '--images', WANTED, '-y']],
    ['where', ['where', WANTED]],
  ])('%s: no image of that name, exit 2, nothing sent', async (_command, args) => {
    const run = await runCli(['-i', inventoryWith(images!), ...args, '-a', '--json']);
    expect(run.code, run.stderr).toBe(2);
    expect(errorLines(run.stderr)).toEqual([
      `error: no image named '${WANTED}' in Glance (${images!.url}): the images API answered with 1 other image, ignored; give an image ID for images Glance no longer knows`,
    ]);
    // The name was asked for; the answer was not believed.
    expect(images!.queries).toContain(`?name=${WANTED}&limit=100`);
    expect(allWrites(fleet)).toEqual([]);
    for (const node of fleet.nodes) expect(holdsImage(node, other)).toBe('cached');
  });

  it('purges only the image of exactly that name, and the plan names it with its ID', async () => {
    const wanted = placeImage(fleet, WANTED, [1]);
    await images!.close();
    images = await startImagesApi({ answer: () => [glanceImage(other, 'scratch-build-42'), glanceImage(wanted, WANTED), glanceImage(other, `${WANTED} `)] });
    const run = await runCli(['-i', inventoryWith(images), 'purge', WANTED, '-a', '-y', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(errorLines(run.stderr)).toContain(`  delete "${WANTED}" (${wanted}) on glance02`);
    const result = JSON.parse(run.stdout) as ActJson;
    expect(result.plan).toEqual([{ node: 'glance02', image: wanted, action: 'delete' }]);
    expect(allWrites(fleet)).toEqual([`glance02 DELETE /v2/cache/${wanted}`]);
    for (const node of fleet.nodes) expect(holdsImage(node, other)).toBe('cached');
  });
});

describe('an images API that does not answer', () => {
  it.each<['hang' | 'drip']>([['hang'], ['drip']])('%s: ls lists every node, names null, one warning naming the endpoint, exit 0', async (behaviour) => {
    images = await startImagesApi(behaviour);
    const run = await runCli(['-i', inventoryWith(images), 'ls', '-a', '--json', '--timeout', '3s']);
    expect(run.code, run.stderr).toBe(0);
    expect(errorLines(run.stderr)).toEqual([`warning: image names unavailable: images API ${images.url}: timed out after 3s`]);
    const result = JSON.parse(run.stdout) as LsJson;
    expect(result.nodes.every((node) => node.ok)).toBe(true);
    expect(result.images.length).toBeGreaterThan(0);
    expect(result.images.every((image) => image.name === null)).toBe(true);
  });

  it.each<[string, string[], number]>([
    ['where ID', ['where', '%ID%'], 0],
    ['diff', ['diff'], 1],
    ['prune --dry-run', ['prune', '--dry-run', '--older-than', '1d', '--lock', '%DIR%/prune.lock'], 0],
  ])('drip: %s ends at the timeout with names unavailable', async (_command, args, code) => {
    images = await startImagesApi('drip');
    const held = fleet.nodes[0]!.state().cached[0]!.id;
    const argv = args.map((arg) => arg.replace('%ID%', held).replace('%DIR%', fleet.dir));
    const run = await runCli(['-i', inventoryWith(images), ...argv, '-a', '--json', '--timeout', '3s']);
    expect(run.code, run.stderr).toBe(code);
    expect(errorLines(run.stderr)).toContain(`warning: image names unavailable: images API ${images.url}: timed out after 3s`);
  });

  it.each<['hang' | 'drip']>([['hang'], ['drip']])('%s: a name to resolve fails the run in one line at the timeout, exit 4, nothing sent', async (behaviour) => {
    images = await startImagesApi(behaviour);
    const run = await runCli(['-i', inventoryWith(images), 'purge', 'cirros', '-a', '-y', '--json', '--timeout', '3s']);
    expect(run.code, run.stderr).toBe(4);
    // The run ends on the name it could not resolve: the listing it will not show warns of nothing.
    expect(errorLines(run.stderr)).toEqual([`error: cannot resolve image name 'cirros': images API ${images.url}: timed out after 3s`]);
    expect(allWrites(fleet)).toEqual([]);
  });
});
