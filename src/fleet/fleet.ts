/**
 * A selection of nodes as one object: a client per node, and where and how to ask the images API. What it
 * is built from (inventory, credentials, pools, session) is the CLI's business (cli/factory.ts).
 */
import type { Session } from '../auth/types.js';
import type { CacheDecoder } from '../glance/decode-pool.js';
import { createNodeClient, type NodeClient } from '../glance/node-client.js';
import type { GlanceDeps } from '../glance/request.js';
import type { HttpClient } from '../http/client.js';
import type { Requester } from '../http/dispatcher.js';
import type { Inventory, NodeSpec } from '../inventory/types.js';

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
  /**
   * How to call an images API base URL: through the pool (TLS profile) of the first node it belongs to,
   * else Keystone's (a catalog endpoint).
   */
  imagesDeps(baseUrl: string): GlanceDeps;
  /** The images API for resolving names: the fleet's images_url, the catalog's endpoint, else the first node. */
  imagesBase(): string;
  close(): Promise<void>;
}

/** What a fleet is made of, ready to use: nothing here reads a file or the environment. */
export interface FleetSettings {
  inventory: Inventory;
  inventoryPath: string;
  /** The selected nodes, with the run's timeouts applied. */
  nodes: NodeSpec[];
  http: HttpClient;
  session: Session;
  /** The run's secret scrubber: what a node sent passes it before any of it is cut short. */
  scrub: (text: string) => string;
  /** The keep-alive pool for a node's cache calls. */
  dispatcherOf(node: NodeSpec): Requester;
  /** A pool of its own for name lookups sent to the images API of `node`'s TLS profile. */
  imagesDispatcherOf(node: NodeSpec): Requester;
  /** How cache listings are decoded; on this thread when absent. */
  decodeCache?: CacheDecoder | undefined;
  /** Releases the pools and threads the settings hold. */
  close(): Promise<void>;
}

export function createFleet(settings: FleetSettings): Fleet {
  const { inventory, nodes, http, session, scrub } = settings;
  const clients = new Map<string, NodeClient>();
  let nodeByImagesBase: Map<string, NodeSpec> | undefined;
  const imagesBaseFor = (node: NodeSpec) => node.imagesUrl ?? inventory.imagesUrl ?? node.url;
  return {
    inventory,
    inventoryPath: settings.inventoryPath,
    nodes,
    http,
    session,
    client(node) {
      let client = clients.get(node.name);
      if (!client) {
        client = createNodeClient(node, { http, session, dispatcher: settings.dispatcherOf(node), decodeCache: settings.decodeCache, scrub });
        clients.set(node.name, client);
      }
      return client;
    },
    imagesBaseFor,
    imagesDeps(baseUrl) {
      nodeByImagesBase ??= new Map(nodes.map((node) => [imagesBaseFor(node), node] as const).reverse());
      const node = nodeByImagesBase.get(baseUrl);
      // A pool of its own, several connections wide: name lookups run a few batches at once per
      // endpoint, and must not queue behind (or hold up) the node's cache calls on its one connection.
      return { http, session, scrub, dispatcher: node ? settings.imagesDispatcherOf(node) : undefined };
    },
    imagesBase() {
      const first = nodes[0]!;
      return inventory.imagesUrl ?? session.imageEndpoint() ?? first.imagesUrl ?? first.url;
    },
    close: () => settings.close(),
  };
}
