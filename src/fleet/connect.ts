/**
 * The composition root of a run that talks to nodes: inventory, selection, credentials, one HTTP
 * client with keep-alive pools, one Keystone session, and a client per node.
 */
import { AuthError } from '../errors.js';
import { createHttpClient, type HttpClient } from '../http/client.js';
import { DispatcherPool } from '../http/dispatcher.js';
import { loadInventory } from '../inventory/locate.js';
import { selectNodes } from '../inventory/select.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';
import { loadCredentials } from '../auth/load.js';
import { createSession } from '../auth/session.js';
import type { Session } from '../auth/types.js';
import { createNodeClient, type NodeClient } from '../glance/node-client.js';
import type { CommandContext } from '../cli/context.js';

/** Biggest response accepted from any peer: far above a 10k-image cache listing, far below memory trouble. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;
const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

export interface Fleet {
  inventory: Inventory;
  inventoryPath: string;
  nodes: NodeSpec[];
  http: HttpClient;
  session: Session;
  client(node: NodeSpec): NodeClient;
  /**
   * Where to ask the images API about what `node` reported: the node's own images_url, the fleet's, else
   * the node itself. Every glance-api serves the images API from the shared database, so asking each node
   * spreads the lookups over the fleet instead of queueing them all on one endpoint.
   */
  imagesBaseFor(node: NodeSpec): string;
  /** The images API for resolving names: the fleet's images_url, the catalog's endpoint, else the first node. */
  imagesBase(): string;
  close(): Promise<void>;
}

export interface LoadedInventory {
  inventory: Inventory;
  path: string;
  how: string;
  nodes: NodeSpec[];
}

/** Reads the inventory and applies -n/-x/-a and the CLI's timeout overrides; contacts nothing. */
export async function loadSelection(context: CommandContext, options: { selectAllByDefault?: boolean } = {}): Promise<LoadedInventory> {
  const { globals } = context;
  const loaded = await loadInventory({ flag: globals.inventory, env: context.env, cwd: context.cwd, home: context.home });
  for (const warning of loaded.warnings) context.log.warn(warning);
  const nothingSelected = globals.nodes.length === 0 && !globals.allNodes;
  const selected = selectNodes(loaded.inventory, {
    nodes: globals.nodes,
    exclude: globals.exclude,
    all: globals.allNodes || (nothingSelected && Boolean(options.selectAllByDefault)),
  });
  const nodes = selected.map((node) => ({
    ...node,
    timeoutMs: globals.timeoutMs ?? node.timeoutMs,
    connectTimeoutMs: globals.connectTimeoutMs ?? node.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
  }));
  return { inventory: loaded.inventory, path: loaded.path, how: loaded.how, nodes };
}

export async function openFleet(context: CommandContext): Promise<Fleet> {
  const selection = await loadSelection(context);
  const credentials = await loadCredentials({ flags: context.globals.auth, env: context.env, cwd: context.cwd, home: context.home, inventoryAuth: selection.inventory.auth });
  for (const warning of credentials.warnings) context.log.warn(warning);
  const pool = new DispatcherPool();
  const common = credentials.credentials.type === 'none' ? undefined : credentials.credentials.common;
  const keystoneDispatcher = pool.get({ connectTimeoutMs: context.globals.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS, caFile: common?.cacert, insecure: common?.insecure });
  if (common?.insecure) context.log.warn('TLS certificate verification is off (--insecure)');
  const http = createHttpClient({
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
    userAgent: 'glance-cache',
  });
  const session = createSession(credentials.credentials, { http, scrubber: context.scrubber, signal: context.signal });
  const clients = new Map<string, NodeClient>();
  return {
    inventory: selection.inventory,
    inventoryPath: selection.path,
    nodes: selection.nodes,
    http,
    session,
    client(node) {
      let client = clients.get(node.name);
      if (!client) {
        const dispatcher = pool.get({ connectTimeoutMs: node.connectTimeoutMs, caFile: node.caFile ?? common?.cacert, insecure: node.insecure ?? common?.insecure });
        client = createNodeClient(node, { http, session, dispatcher });
        clients.set(node.name, client);
      }
      return client;
    },
    imagesBaseFor(node) {
      return node.imagesUrl ?? selection.inventory.imagesUrl ?? node.url;
    },
    imagesBase() {
      const first = selection.nodes[0]!;
      return selection.inventory.imagesUrl ?? session.imageEndpoint() ?? first.imagesUrl ?? first.url;
    },
    close: () => pool.close(),
  };
}

/** Keystone trouble is a whole-run failure (exit 4), not a node failure: let it through the fan-out. */
export function isAuthError(error: unknown): error is AuthError {
  return error instanceof AuthError;
}
