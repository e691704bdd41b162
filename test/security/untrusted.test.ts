/**
 * Everything a node returns is untrusted (extends the image-ID case in test/e2e/listing.test.ts): terminal
 * escapes in image names and in node error messages are shown escaped in every format and on stderr; IDs
 * that are not UUIDs never become URL paths; names are capped.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';
import type { LsJson } from '../faults/support.js';

/** OSC retitle, CSI colour, C1 CSI, bidi override, BEL, NUL: none may reach a terminal raw. */
const HOSTILE = '\u001b]0;pwned\u0007\u001b[31mred\u009b2J\u202eevil\u0000';
const RAW_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const FORMATS = ['table', 'json', 'yaml', 'csv', 'tsv', 'value'];

let fleet: SimFleetOnDisk;
beforeEach(async () => {
  fleet = await simFleetOnDisk();
});
afterEach(async () => {
  await fleet.close();
});

describe('hostile image names', () => {
  it('are escaped in every format', async () => {
    const image = fleet.catalog.add({ name: `name${HOSTILE}`, size: 4096 });
    fleet.nodes[0]!.readImage(image.id);
    for (const format of FORMATS) {
      const run = await runCli(['-i', fleet.inventory, 'ls', '-a', '-o', format], { tty: true });
      expect(run.code).toBe(0);
      expect(run.stdout + run.stderr).not.toMatch(RAW_CONTROLS);
      expect(run.stdout).toMatch(/name\\(x1b|u001b|e)\]0;pwned/i);
    }
  });

  it('are capped at 255 characters', async () => {
    const image = fleet.catalog.add({ name: 'n'.repeat(10_000), size: 1 });
    fleet.nodes[0]!.readImage(image.id);
    const result = JSON.parse((await runCli(['-i', fleet.inventory, 'ls', '-a', '--json'])).stdout) as LsJson;
    expect(result.images.find((entry) => entry.id === image.id)?.name).toHaveLength(255);
  });
});

describe('hostile error messages', () => {
  let hostile: Server;
  let inventory: string;
  beforeEach(async () => {
    // JSON message, HTML title and a status text, each carrying escapes.
    hostile = createServer((request, response) => {
      if (request.url === '/v2/cache') {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: `database ${HOSTILE} on fire`, code: 500, title: HOSTILE }));
        return;
      }
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end(`<html><head><title>${HOSTILE}</title></head><body><h1>${HOSTILE}</h1></body></html>`);
    });
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    inventory = join(fleet.dir, 'hostile.yaml');
    const url = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}`;
    writeFileSync(inventory, ['nodes:', ...fleet.nodes.map((node) => `  - { name: ${node.name}, url: "${node.url}" }`), `  - { name: evil01, url: "${url}" }`, 'auth: { type: none }', ''].join('\n'));
  });
  afterEach(async () => {
    hostile.closeAllConnections();
    await new Promise((resolve) => hostile.close(resolve));
  });

  it('reach stderr and every format escaped, on ls and nodes', async () => {
    for (const command of ['ls', 'nodes']) {
      for (const format of FORMATS) {
        const run = await runCli(['-i', inventory, command, '-a', '-o', format, '--debug'], { tty: true });
        expect(run.code).toBe(3);
        expect(run.stdout + run.stderr).not.toMatch(RAW_CONTROLS);
        // ls asks /v2/cache (the JSON message); nodes also asks /versions (the HTML page).
        expect(run.stderr).toMatch(/error: evil01 .*HTTP 50[02]: (database )?\\x1b\]0;pwned\\x07/);
      }
    }
  });
});

describe('hostile image IDs', () => {
  const IDS = ['../../v2/cache', '%2e%2e%2fv2%2fcache', 'a/b?x=1#frag', `id${HOSTILE}`];

  it('are listed escaped, and never put into a URL', async () => {
    const node = fleet.nodes[0]!;
    for (const id of IDS) node.putCacheEntry({ id, size: 1 });
    node.queueImage('../queued');
    const run = await runCli(['-i', fleet.inventory, 'ls', '-a', '--json']);
    expect(run.code).toBe(0);
    const listed = (JSON.parse(run.stdout) as LsJson).images.map((image) => image.id);
    for (const id of [...IDS, '../queued']) expect(listed).toContain(id);
    const paths = fleet.nodes.flatMap((each) => each.requests.map((request) => decodeURIComponent(request.path)));
    expect(paths.filter((path) => IDS.some((id) => path.includes(id)) || path.includes('../queued'))).toEqual([]);
  });

  it('that a sync would copy or delete are never sent', async () => {
    const node = fleet.nodes[0]!;
    for (const id of IDS) node.putCacheEntry({ id, size: 1 });
    fleet.nodes[1]!.putCacheEntry({ id: '../../v2/images', size: 1 });
    const before = fleet.nodes.map((each) => each.requests.length);
    const run = await runCli(['-i', fleet.inventory, 'sync', '--like', 'glance01', '--delete', '-a', '--yes', '--json']);
    expect(run.stdout + run.stderr).not.toMatch(RAW_CONTROLS);
    const sent = fleet.nodes.flatMap((each, index) => each.requests.slice(before[index]).filter((request) => request.method === 'PUT' || request.method === 'DELETE'));
    expect(sent.map((request) => decodeURIComponent(request.path)).filter((path) => !/^\/v2\/cache\/[0-9a-f-]{36}$/.test(path))).toEqual([]);
  });
});
