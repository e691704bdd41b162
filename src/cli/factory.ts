/**
 * The factory of a run that talks to nodes (as gh's cmd/factory): it reads the inventory and applies the
 * selection, loads the credentials, and builds the HTTP client with its keep-alive pools, the one Keystone
 * session and the decoding threads; fleet/ gets them ready to use. Every warning about the setup is said here.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describeAuth } from '../auth/describe.js';
import { loadCredentials } from '../auth/load.js';
import { loadDispatcherPool } from '../lazy/dispatcher.js';
import { createSession } from '../auth/session.js';
import type { CommonAuth } from '../auth/types.js';
import { createFleet, type Fleet } from '../fleet/fleet.js';
import { openFilesNote, softOpenFilesLimit } from '../fleet/open-files.js';
import { createDecodePool } from '../glance/decode-pool.js';
import { LOOKUP_CONCURRENCY } from '../glance/images-client.js';
import { createHttpClient } from '../http/client.js';
import { scrubErrorBodies } from '../http/redact.js';
import { loadInventory } from '../inventory/locate.js';
import { foldNodeSet } from '../inventory/nodeset.js';
import { selectNodes } from '../inventory/select.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import type { CommandContext } from './context.js';
import type { GlobalOptions } from './globals.js';
import { insecureImagesApis } from './insecure-images.js';

/** Biggest response accepted from any peer: far above a 10k-image cache listing, far below memory trouble. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** Connections per images API endpoint: as many as are sent batches of name lookups at once. */
const IMAGES_CONNECTIONS = LOOKUP_CONCURRENCY;
/**
 * Decoding threads pay off from a few dozen nodes with large caches (see decode-pool.ts); below that a
 * run never starts one. One core stays with the thread that drives the connections.
 */
const DECODE_THREADS_FROM_NODES = 32;
const DECODE_THREADS_MAX = 4;
const DECODE_THREAD_MIN_BYTES = 64 * 1024;
/** Beside the bundle; absent when the sources run unbundled (tests), where every listing is decoded in place. */
const DECODE_WORKER = new URL('./decode-worker.js', import.meta.url);

export interface LoadedInventory {
  inventory: Inventory;
  path: string;
  how: string;
  nodes: NodeSpec[];
}

/** Reads the inventory and applies -n/-x/-a/-l and the CLI's timeout overrides; contacts nothing. */
export async function loadSelection(context: CommandContext, options: { selectAllByDefault?: boolean } = {}): Promise<LoadedInventory> {
  const { globals } = context;
  const loaded = await loadInventory({ flag: globals.inventory, env: context.env, cwd: context.cwd, home: context.home });
  for (const warning of loaded.warnings) context.log.warn(warning);
  const nothingSelected = globals.nodes.length === 0 && !globals.allNodes;
  const selected = selectNodes(loaded.inventory, {
    nodes: globals.nodes,
    exclude: globals.exclude,
    all: globals.allNodes || (nothingSelected && Boolean(options.selectAllByDefault)),
    labels: globals.labels,
  });
  const nodes = selected.map((node) => ({
    ...node,
    timeoutMs: globals.timeoutMs ?? node.timeoutMs,
    connectTimeoutMs: globals.connectTimeoutMs ?? node.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
  }));
  return { inventory: loaded.inventory, path: loaded.path, how: loaded.how, nodes };
}

/** connectionsPerNode: for commands that send one node several requests at once (acting commands). */
export async function openFleet(context: CommandContext, options: { connectionsPerNode?: number } = {}): Promise<Fleet> {
  const selection = await loadSelection(context);
  const credentials = await loadCredentials({ flags: context.globals.auth, env: context.env, cwd: context.cwd, home: context.home, inventoryAuth: selection.inventory.auth });
  for (const warning of credentials.warnings) context.log.warn(warning);
  context.log.verbose(describeAuth(credentials.credentials));
  const DispatcherPool = await loadDispatcherPool();
  const pool = new DispatcherPool();
  const files = openFilesNote(softOpenFilesLimit(), context.globals.fanout, options.connectionsPerNode ?? 1);
  if (files?.warning) context.log.warn(files.text);
  else if (files) context.log.debug(files.text);
  const common = credentials.credentials.type === 'none' ? undefined : credentials.credentials.common;
  const keystoneDispatcher = pool.get({ connectTimeoutMs: context.globals.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, caFile: common?.cacert, insecure: common?.insecure });
  const tlsOf = (node: NodeSpec) => nodeTls(node, context.globals, common);
  const insecure = (node: NodeSpec) => tlsOf(node).insecure;
  const unverified = insecureWarning(selection.nodes.filter(insecure).map((node) => node.name), selection.nodes.length, common?.insecure ? common.insecureFrom : undefined, context.globals.insecure, insecureImagesApis(selection.nodes, selection.inventory.imagesUrl, insecure));
  if (unverified) context.log.warn(unverified);
  // Error answers are scrubbed as they arrive, before anything cuts a peer's message short.
  const http = scrubErrorBodies(createHttpClient({
    dispatcher: keystoneDispatcher,
    debug: (line) => context.log.debug(line),
    now: context.now,
    sleep: (ms, signal) => new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      }, { once: true });
    }),
    maxBodyBytes: MAX_BODY_BYTES,
    // Every call of the run, name lookups and Keystone included, ends within the longest node timeout.
    timeoutMs: selection.nodes.reduce((longest, node) => Math.max(longest, node.timeoutMs), 0),
    userAgent: 'glance-cache',
  }), context.scrubber);
  // Closing the fleet abandons a token request still in flight: its callers have all given up by then.
  const closing = new AbortController();
  const session = createSession(credentials.credentials, { http, scrubber: context.scrubber, signal: AbortSignal.any([context.signal, closing.signal]) });
  const scrub = (text: string) => context.scrubber.scrub(text);
  const dispatcherOf = (node: NodeSpec) => pool.get({ connectTimeoutMs: node.connectTimeoutMs, ...tlsOf(node), connections: options.connectionsPerNode });
  // Every CA bundle is read now, so one that cannot be read stops the run before anything is sent.
  for (const node of selection.nodes) dispatcherOf(node);
  const decodePool = selection.nodes.length >= DECODE_THREADS_FROM_NODES && existsSync(DECODE_WORKER)
    ? createDecodePool({ script: DECODE_WORKER, threads: Math.min(DECODE_THREADS_MAX, availableParallelism() - 1), minBytes: DECODE_THREAD_MIN_BYTES, debug: (line) => context.log.debug(line) })
    : undefined;
  return createFleet({
    inventory: selection.inventory,
    inventoryPath: selection.path,
    nodes: selection.nodes,
    http,
    session,
    scrub,
    dispatcherOf,
    imagesDispatcherOf: (node) => pool.get({ connectTimeoutMs: node.connectTimeoutMs, ...tlsOf(node), connections: IMAGES_CONNECTIONS }),
    decodeCache: decodePool?.decode,
    async close() {
      closing.abort();
      await Promise.all([pool.close(), decodePool?.close()]);
    },
  });
}

/**
 * A node's own inventory settings first, then --cacert / --insecure, then the cloud's CA (clouds.yaml,
 * OS_CACERT). The cloud's insecure (--os-insecure, OS_INSECURE, verify: false) is Keystone's alone.
 */
export function nodeTls(node: NodeSpec, globals: Pick<GlobalOptions, 'cacert' | 'insecure'>, common: Pick<CommonAuth, 'cacert'> | undefined): { caFile?: string | undefined; insecure: boolean } {
  return { caFile: node.caFile ?? globals.cacert ?? common?.cacert, insecure: node.insecure ?? globals.insecure };
}

/**
 * One line on every run that skips verification, naming what is exposed and the setting that did it:
 * `keystone` is where Keystone's came from ("--os-insecure", "OS_INSECURE", a clouds.yaml line), and the
 * nodes' is --insecure when given, else their own `insecure: true`; an https images API reached through
 * such a node's settings is named too. Undefined when nothing is exposed.
 */
export function insecureWarning(insecureNodes: readonly string[], nodeCount: number, keystone: string | undefined, nodesFlag: boolean, imagesApis: readonly string[]): string | undefined {
  const setting = nodesFlag ? '--insecure' : 'insecure: in the inventory';
  const nodes = insecureNodes.length === 0 ? [] : [`${insecureNodes.length === nodeCount ? 'every node' : `node${insecureNodes.length === 1 ? '' : 's'} ${foldNodeSet(insecureNodes)}`} (${setting})`];
  // Reached through the nodes' own TLS settings (insecure-images.ts).
  const images = imagesApis.length === 0 ? [] : [`the images API${imagesApis.length === 1 ? '' : 's'} ${imagesApis.join(', ')} (${setting})`];
  const exposed = [...(keystone ? [`Keystone (${keystone})`] : []), ...nodes, ...images];
  if (exposed.length === 0) return undefined;
  const listed = exposed.length === 1 ? exposed[0] : `${exposed.slice(0, -1).join(', ')} and ${exposed.at(-1)}`;
  return `TLS certificate verification is off for ${listed}: anyone on the network path can read the token`;
}
