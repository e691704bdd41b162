/**
 * The fault matrix, Keystone faults (test/FAULTS.md): a fake Keystone on loopback issues the tokens that
 * three simulated nodes accept. Keystone trouble fails the whole run in one line (exit 4) before any node
 * is asked; a token that expires mid-run is renewed once; a node that alone refuses the token is that
 * node's failure.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { simFleetOnDisk, type SimFleetOnDisk } from '../helpers/sim-fleet.js';
import { startFakeKeystone, type FakeKeystone } from '../helpers/fake-keystone.js';
import { errorLines, expectOnlyNodeFailed, type LsJson } from './support.js';

const PASSWORD = 'ks-fault-Passw0rd';
const issued = (index: number) => `ks-fault-token-${index + 1}`;

let keystone: FakeKeystone;
let fleet: SimFleetOnDisk;
let env: Record<string, string>;

async function start(options: { maxUses?: number; imageUrl?: string } = {}): Promise<void> {
  keystone = await startFakeKeystone({ tokenFor: issued, imageUrl: options.imageUrl });
  fleet = await simFleetOnDisk({ tokens: { admin: Array.from({ length: 5 }, (_, index) => issued(index)), member: [], maxUses: options.maxUses } });
  env = {
    OS_AUTH_URL: keystone.url,
    OS_USERNAME: 'cache-admin',
    OS_PASSWORD: PASSWORD,
    OS_PROJECT_NAME: 'admin',
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
  };
}

afterEach(async () => {
  await fleet.close();
  await keystone.close();
});

const ls = (...args: string[]) => runCli(['-i', fleet.inventory, 'ls', '-a', '--json', ...args], { env });
const nodeRequests = () => fleet.nodes.reduce((sum, node) => sum + node.requests.length, 0);

/** A whole-run auth failure: exit 4, one line, no results, no node asked anything. */
function expectAuthFailure(run: Awaited<ReturnType<typeof ls>>, line: RegExp): void {
  expect(run.code).toBe(4);
  expect(errorLines(run.stderr)).toEqual([expect.stringMatching(line)]);
  expect(run.stdout).toBe('');
  expect(run.stderr).not.toContain(PASSWORD);
}

describe('Keystone faults', () => {
  beforeEach(async () => {
    await start();
  });

  it('down: one line naming Keystone, exit 4, no node contacted', async () => {
    await keystone.close();
    const run = await ls();
    expectAuthFailure(run, new RegExp(`^error: cannot reach Keystone ${keystone.url}: connection refused \\(user "cache-admin", from OS_\\* environment\\)$`));
    expect(nodeRequests()).toBe(0);
  });

  it("slow: the nodes' timeout ends the wait, blaming Keystone, exit 4", async () => {
    keystone.setFaults({ hang: true });
    const run = await ls('--timeout', '1s');
    // Two deadlines of the same length end this wait (the node's, and the token request's own): either may
    // be first, and either line blames Keystone.
    expectAuthFailure(run, new RegExp(`^error: cannot reach Keystone ${keystone.url}: (no token before the node's 1s timeout|timed out after 1s) \\(user "cache-admin"`));
    expect(keystone.requests).toHaveLength(1);
    expect(nodeRequests()).toBe(0);
  });

  it('401: the credentials are refused, exit 4, the password never shown', async () => {
    keystone.setFaults({ status: 401 });
    const run = await ls('--debug');
    expect(run.code).toBe(4);
    expect(errorLines(run.stderr).filter((line) => line.startsWith('error:'))).toEqual([`error: Keystone ${keystone.url} refused the credentials (user "cache-admin", from OS_* environment)`]);
    expect(run.stderr + run.stdout).not.toContain(PASSWORD);
    expect(nodeRequests()).toBe(0);
  });

  it('an error that quotes the password has it scrubbed', async () => {
    keystone.setFaults({ status: 400, message: `Invalid input for field 'password': '${PASSWORD}' is too weak` });
    const run = await ls();
    expectAuthFailure(run, /^error: Keystone .*: HTTP 400: Invalid input for field 'password': '<redacted>' is too weak/);
  });

  it('a catalog without an image endpoint: names come from the nodes themselves', async () => {
    const held = fleet.nodes[0]!.state().cached.map((entry) => fleet.catalog.find(entry.id)).find((image) => image?.status === 'active');
    const run = await runCli(['-i', fleet.inventory, 'where', held!.name!, '-a', '--json'], { env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(keystone.requests).toHaveLength(1);
    // The name was looked up on the first node, the one place left to ask.
    expect(fleet.nodes[0]!.requests.some((request) => request.path.startsWith('/v2/images?name='))).toBe(true);
  });
});

describe('tokens refused by nodes', () => {
  it('a token that expires mid-run is renewed once, and the run completes', async () => {
    // Each node accepts a token once: the listing uses it, the name lookup that follows is refused.
    await start({ maxUses: 1 });
    const run = await ls();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(keystone.requests).toHaveLength(2);
    const result = JSON.parse(run.stdout) as LsJson;
    const live = result.images.filter((image) => fleet.catalog.find(image.id)?.status === 'active');
    expect(live.length).toBeGreaterThan(0);
    expect(live.every((image) => image.name !== null)).toBe(true);
  });

  it('one node that refuses every token fails alone, after one re-authentication', async () => {
    await start();
    const broken = fleet.nodes[1]!;
    broken.setFaults({ status: 401 });
    const run = await ls();
    expectOnlyNodeFailed(run, fleet.nodes, broken, /^HTTP 401: This server could not verify that you are authorized/);
    expect(keystone.requests).toHaveLength(2);
  });

  it('with a fixed token, nodes that refuse it fail alone; the others are listed', async () => {
    await start();
    for (const node of [fleet.nodes[1]!, fleet.nodes[2]!]) node.setFaults({ status: 401 });
    const run = await runCli(['-i', fleet.inventory, 'ls', '-a', '--json', '--os-token', issued(0)], { env: {} });
    expect(run.code).toBe(3);
    expect(errorLines(run.stderr)).toEqual([
      expect.stringMatching(/^error: glance02 \(http:\/\/127\.0\.0\.1:\d+\): the token was refused \(expired\?\); the token from command-line flags cannot be renewed/),
      expect.stringMatching(/^error: glance03 \(http:\/\/127\.0\.0\.1:\d+\): the token was refused/),
    ]);
    const result = JSON.parse(run.stdout) as LsJson;
    expect(result.nodes.map((node) => node.ok)).toEqual([true, false, false]);
    expect(run.stdout + run.stderr).not.toContain(issued(0));
  });

  it('when every node refuses the token it is an auth failure: one line, exit 4', async () => {
    await start();
    const run = await runCli(['-i', fleet.inventory, 'ls', '-a', '--json', '--os-token', 'a-token-no-node-knows'], { env: {} });
    expect(run.code).toBe(4);
    expect(errorLines(run.stderr)).toEqual([expect.stringMatching(/^error: the token was refused \(expired\?\)/)]);
  });
});
