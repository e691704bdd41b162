/**
 * Fuzzing the whole CLI in-process: a node that answers fuzzed statuses and bodies, and fuzzed command
 * lines. main() always resolves to a documented exit code (never the internal-error 70), every stderr line
 * is one escaped line, a failed node is named, and no promise is left rejected.
 */
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../../helpers/sim-fleet.js';
import { cacheBody, imagesBody, peerString, versionsBody } from './arbitraries.js';

const DOCUMENTED = [0, 1, 2, 3, 4, 5, 130];
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

interface Answer {
  status: number;
  body: string;
}

let fleet: SimFleetOnDisk;
let fuzzNode: Server;
let answers: Record<'cache' | 'images' | 'versions', Answer>;
let inventory: string;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  fleet = await simFleetOnDisk();
  fuzzNode = createServer((request, response) => {
    const path = request.url ?? '/';
    const answer = path.startsWith('/v2/images') ? answers.images : path.startsWith('/v2/') ? answers.cache : answers.versions;
    response.writeHead(answer.status, { 'content-type': 'application/json' });
    response.end(answer.body);
  });
  await new Promise<void>((resolve) => fuzzNode.listen(0, '127.0.0.1', resolve));
  inventory = join(fleet.dir, 'fuzz.yaml');
  const url = `http://127.0.0.1:${(fuzzNode.address() as AddressInfo).port}`;
  writeFileSync(inventory, ['nodes:', ...fleet.nodes.map((node) => `  - { name: ${node.name}, url: "${node.url}" }`), `  - { name: fuzz01, url: "${url}" }`, 'auth: { type: none }', ''].join('\n'));
});

afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  fuzzNode.closeAllConnections();
  await new Promise((resolve) => fuzzNode.close(resolve));
  await fleet.close();
});

function expectSaneRun(run: { code: number; stdout: string; stderr: string }): void {
  expect(DOCUMENTED).toContain(run.code);
  expect(run.stderr).not.toContain('internal error');
  for (const line of run.stderr.split('\n').filter(Boolean)) expect(line).not.toMatch(RAW_CONTROL);
}

const answer = (body: fc.Arbitrary<unknown>) =>
  fc.record({
    status: fc.constantFrom(200, 200, 200, 300, 301, 400, 401, 403, 404, 500, 503),
    body: fc.oneof(body.map((value) => JSON.stringify(value) ?? ''), body.map((value) => (JSON.stringify(value) ?? '').slice(0, 7)), peerString()),
  });

describe('the CLI against a fuzzed node', () => {
  it('ls, nodes and where: documented codes, the fuzzed node named when it fails, the others listed', async () => {
    await fc.assert(
      fc.asyncProperty(answer(cacheBody), answer(imagesBody), answer(versionsBody), fc.constantFrom('ls', 'nodes', 'where'), async (cache, images, versions, command) => {
        answers = { cache, images, versions };
        const id = fleet.nodes[0]!.state().cached[0]!.id;
        const run = await runCli(['-i', inventory, command, ...(command === 'where' ? [id] : []), '-a', '--json', '--timeout', '5s']);
        expectSaneRun(run);
        expect([0, 3]).toContain(run.code);
        if (run.code === 3) expect(run.stderr).toMatch(/error: fuzz01[ :]/);
        const document = JSON.parse(run.stdout) as { nodes?: { name: string; ok: boolean }[] };
        if (document.nodes) expect(document.nodes.filter((node) => node.name !== 'fuzz01').every((node) => node.ok)).toBe(true);
      }),
      { numRuns: 150 },
    );
    expect(rejections).toEqual([]);
  });
});

describe('fuzzed command lines', () => {
  const word = fc.oneof(
    fc.constantFrom('ls', 'nodes', 'where', 'diff', 'inventory', 'completion', 'bash', '-a', '-n', 'glance0*', 'glance[01-02]', '@nope', '-x', '-o', 'json', 'yaml', 'csv', '-c', 'id',
      '--json', '--fanout', '0', '99999', '--timeout', '1s', '-1s', '--connect-timeout', '--state', 'cached', '--sort', 'hits', '--per-node', '--no-headers', '-q', '-v', '--debug',
      '--dry-run', '--os-cloud', '--no-auth', '--cacert', '/nonexistent', '--insecure', '--', '-', '--help', 'help', '-V'),
    peerString(),
  );
  it('every argv resolves to a documented exit code, never a crash', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(word, { maxLength: 7 }), async (argv) => {
        answers = { cache: { status: 200, body: '{"cached_images":[],"queued_images":[]}' }, images: { status: 200, body: '{"images":[]}' }, versions: { status: 200, body: '{"versions":[{"id":"v2.16","status":"CURRENT"}]}' } };
        expectSaneRun(await runCli(['-i', inventory, ...argv]));
      }),
      { numRuns: 300 },
    );
    expect(rejections).toEqual([]);
  });
});
