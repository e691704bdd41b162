/**
 * `node dist/sim.js --nodes 3 --images 20 --latency 50ms`: starts a simulated fleet for the demo and the
 * benchmarks, writes its inventory, and serves until SIGINT or SIGTERM.
 */
import { parseArgs } from 'node:util';
import { parseDuration } from '../core/units.js';
import { startSimFleet, type SimFleet } from './fleet.js';
import type { SimFlavor, SimRelease } from './node.js';

export interface SimCliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Must replace the file in one step: scripts wait for it to appear and read it at once. */
  writeFileAtomic(path: string, text: string): Promise<void>;
  /** Resolves when the process is asked to stop. */
  stopped(): Promise<void>;
}

const USAGE = `usage: sim [--nodes N] [--images N] [--latency 50ms] [--seed N] [--legacy N] [--api-version v2.N]
           [--release zed|epoxy|next] [--flavor cache|cachemanagement|legacy] [--cache-delay 50ms]
           [--shared-reference N:M]... [--name-prefix sim] [--admin-token T]... [--member-token T]...
           [--inventory-out PATH]`;
const RELEASES: readonly SimRelease[] = ['zed', 'epoxy', 'next'];
const FLAVORS: readonly SimFlavor[] = ['cache', 'cachemanagement', 'legacy'];

export async function runSimCli(argv: string[], io: SimCliIo): Promise<number> {
  let settings: ReturnType<typeof readSettings>;
  try {
    settings = readSettings(argv);
  } catch (error) {
    io.stderr(`sim: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  const { nodes, legacy, apiVersion, adminTokens, memberTokens, borrowed } = settings;
  const tokens = adminTokens.length + memberTokens.length > 0 ? { admin: adminTokens, member: memberTokens } : undefined;
  let fleet: SimFleet;
  try {
    fleet = await startSimFleet({
      count: nodes,
      imagesPerNode: settings.images,
      latencyMs: settings.latencyMs,
      seed: settings.seed,
      release: settings.release,
      namePrefix: settings.namePrefix,
      tokens,
      flavorOf: (index) => (index >= nodes - legacy ? 'legacy' : settings.flavor),
      referenceOf: (index) => borrowed.get(index) ?? index,
      nodeOptions: (index) => ({
        ...(settings.cacheDelayMs === undefined ? {} : { cacheDelayMs: settings.cacheDelayMs }),
        ...(apiVersion !== undefined && index < nodes - legacy ? { apiVersion } : {}),
      }),
    });
  } catch (error) {
    io.stderr(`sim: cannot start the fleet: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  try {
    const inventory = fleet.inventoryYaml();
    if (settings.inventoryOut !== undefined) await io.writeFileAtomic(settings.inventoryOut, inventory);
    io.stdout(inventory);
    io.stderr(`sim: ${nodes} nodes ready, ${fleet.catalog.count} images in the catalog; stop with Ctrl-C\n`);
    await io.stopped();
  } finally {
    await fleet.close();
  }
  return 0;
}

function readSettings(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      nodes: { type: 'string', default: '3' },
      images: { type: 'string', default: '20' },
      latency: { type: 'string', default: '0ms' },
      seed: { type: 'string', default: '1' },
      legacy: { type: 'string', default: '0' },
      'api-version': { type: 'string' },
      release: { type: 'string', default: 'zed' },
      flavor: { type: 'string', default: 'cachemanagement' },
      'cache-delay': { type: 'string' },
      'shared-reference': { type: 'string', multiple: true, default: [] },
      'name-prefix': { type: 'string', default: 'sim' },
      'admin-token': { type: 'string', multiple: true, default: [] },
      'member-token': { type: 'string', multiple: true, default: [] },
      'inventory-out': { type: 'string' },
    },
  });
  const nodes = count(values.nodes, '--nodes', 1);
  const legacy = count(values.legacy, '--legacy', 0);
  if (legacy > nodes) throw new Error(`--legacy ${legacy} is more than --nodes ${nodes}`);
  const release = RELEASES.find((name) => name === values.release);
  if (release === undefined) throw new Error(`--release "${values.release}" is not one of ${RELEASES.join(', ')}`);
  const flavor = FLAVORS.find((name) => name === values.flavor);
  if (flavor === undefined) throw new Error(`--flavor "${values.flavor}" is not one of ${FLAVORS.join(', ')}`);
  return {
    flavor,
    cacheDelayMs: values['cache-delay'] === undefined ? undefined : parseDuration(values['cache-delay']),
    borrowed: sharedReferences(values['shared-reference'], nodes, release),
    nodes,
    legacy,
    images: count(values.images, '--images', 0),
    seed: count(values.seed, '--seed', 0),
    latencyMs: parseDuration(values.latency),
    apiVersion: values['api-version'],
    release,
    namePrefix: values['name-prefix'],
    adminTokens: values['admin-token'],
    memberTokens: values['member-token'],
    inventoryOut: values['inventory-out'],
  };
}

/**
 * `--shared-reference 3:2`: node 3 is started with node 2's worker_self_reference_url (1-based, as the
 * node names count), the misconfiguration the fleet audit finds. Zero-based indexes, borrower to owner.
 */
function sharedReferences(pairs: string[], nodes: number, release: (typeof RELEASES)[number]): Map<number, number> {
  const borrowed = new Map<number, number>();
  for (const pair of pairs) {
    const match = /^(\d+):(\d+)$/.exec(pair);
    const [borrower, owner] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
    if (!match || borrower < 1 || owner < 1 || borrower > nodes || owner > nodes || borrower === owner) {
      throw new Error(`--shared-reference "${pair}" is not N:M, two different node numbers from 1 to ${nodes}`);
    }
    if (borrowed.has(borrower - 1)) throw new Error(`--shared-reference "${pair}": node ${borrower} already takes node ${borrowed.get(borrower - 1)! + 1}'s reference`);
    borrowed.set(borrower - 1, owner - 1);
  }
  // Said here, as flags: the fleet would refuse each with a message about its own options, exit 1.
  if (borrowed.size > 0 && release === 'zed') throw new Error('--shared-reference needs the centralized_db driver: --release epoxy or next');
  for (const [borrower, owner] of borrowed) {
    if (borrowed.has(owner)) throw new Error(`--shared-reference "${borrower + 1}:${owner + 1}": node ${owner + 1} takes another node's reference itself; name the node that owns it`);
  }
  return borrowed;
}

function count(text: string, flag: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min) throw new Error(`${flag} "${text}" is not a whole number of at least ${min}`);
  return Number(text);
}
