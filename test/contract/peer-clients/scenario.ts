/**
 * The peer-client scenario: python-glanceclient 4.1 and glance-cache-manage, driven by drive.py through
 * the recording proxy, one client call at a time, against one node. Between calls the node is put in a
 * known state (through the target's own hooks, not the proxy), so every recorded body shape is the same
 * from run to run: an empty cache, one cached image, one queued image.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startRecordingProxy } from './proxy.js';
import type { RecordedCall } from './shape.js';

/** Debian's interpreter: python3-glanceclient lives in its dist-packages, not in any pyenv. */
export const PYTHON = '/usr/bin/python3';
const DRIVER = fileURLToPath(new URL('drive.py', import.meta.url));
const GLANCECLIENT = '/usr/lib/python3/dist-packages/glanceclient/v2/cache.py';
const CACHE_MANAGE = '/usr/bin/glance-cache-manage';

export interface PeerTarget {
  /** The node's base URL. */
  url: string;
  token: string;
  /** An active image with data the node can cache, and its name (unique in the catalog). */
  image: { id: string; name: string };
  /** An image ID the catalog does not hold. */
  unknownId: string;
  /** Resolves once the node lists the image as cached. */
  waitCached(id: string): Promise<void>;
  /** Reads the image's data through the node, so its cache middleware keeps a copy. */
  readThrough(id: string): Promise<void>;
}

/** What is missing for the peer clients to run, or null. */
export function peerClientsMissing(): string | null {
  const absent = [
    [PYTHON, 'python3'],
    [GLANCECLIENT, 'python3-glanceclient'],
    [CACHE_MANAGE, 'glance-api (glance-cache-manage)'],
  ].filter(([path]) => !existsSync(path!));
  if (absent.length === 0) return null;
  return `missing ${absent.map(([path, pkg]) => `${path} (Debian package ${pkg})`).join(', ')}; install with: apt-get install python3-glanceclient glance-api`;
}

type Step = { client: 'glanceclient' | 'cache-manage'; call: string; args?: string[]; then?: (target: PeerTarget) => Promise<void> };

const IMAGE = '{image}';
const UNKNOWN = '{unknown}';

/** Every call the contract makes, in order; the state each one leaves is in the comment beside it. */
const STEPS: Step[] = [
  { client: 'glanceclient', call: 'images.list', args: ['{name}'] },
  { client: 'glanceclient', call: 'images.get', args: [IMAGE] },
  { client: 'glanceclient', call: 'cache.clear', args: ['both'] }, // nothing cached or queued
  { client: 'glanceclient', call: 'cache.list' },
  { client: 'glanceclient', call: 'cache.queue', args: [IMAGE], then: (target) => target.waitCached(target.image.id) },
  { client: 'glanceclient', call: 'cache.list' }, // the image cached
  { client: 'glanceclient', call: 'cache.delete', args: [IMAGE] }, // nothing cached
  { client: 'glanceclient', call: 'cache.delete', args: [UNKNOWN] },
  { client: 'glanceclient', call: 'cache.queue', args: [UNKNOWN] },
  { client: 'cache-manage', call: 'list-cached' },
  { client: 'cache-manage', call: 'queue-image', args: [IMAGE] }, // the image queued
  { client: 'cache-manage', call: 'list-queued' },
  { client: 'glanceclient', call: 'cache.clear', args: ['queue'], then: (target) => target.readThrough(target.image.id) }, // the image cached
  { client: 'cache-manage', call: 'list-cached' },
  { client: 'cache-manage', call: 'delete-cached-image', args: [IMAGE], then: (target) => target.readThrough(target.image.id) },
  { client: 'cache-manage', call: 'delete-cached-image', args: [UNKNOWN] },
  { client: 'cache-manage', call: 'delete-all-cached-images' },
  { client: 'cache-manage', call: 'list-queued' },
  { client: 'glanceclient', call: 'cache.clear', args: ['cache'] },
];

/** Runs the scenario against the target; the node ends with nothing cached or queued. */
export async function runPeerScenario(target: PeerTarget): Promise<RecordedCall[]> {
  const values: Record<string, string> = { [IMAGE]: target.image.id, [UNKNOWN]: target.unknownId, '{name}': target.image.name };
  const proxy = await startRecordingProxy(target.url, { [target.image.id]: IMAGE, [target.unknownId]: UNKNOWN, [target.image.name]: '{name}' });
  const driver = startDriver(proxy.url, target.token);
  const calls: RecordedCall[] = [];
  try {
    for (const step of STEPS) {
      const args = (step.args ?? []).map((arg) => values[arg] ?? arg);
      const result = await driver.call({ client: step.client, call: step.call, args });
      const name = [step.client, step.call, ...(step.args ?? [])].join(' ');
      calls.push({ call: name, outcome: result.outcome, ...(result.says !== undefined ? { says: result.says } : {}), requests: proxy.take() });
      await step.then?.(target);
    }
  } finally {
    await driver.close();
    await proxy.close();
  }
  return calls;
}

interface Outcome {
  outcome: string;
  says?: string;
}

/** drive.py, started once (its imports take seconds): one JSON line in per call, one line out. */
function startDriver(endpoint: string, token: string): { call(request: object): Promise<Outcome>; close(): Promise<void> } {
  // The token travels in the environment only; the child gets nothing else of ours.
  const child = spawn(PYTHON, [DRIVER, endpoint], { env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8', OS_AUTH_TOKEN: token }, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    async call(request) {
      child.stdin.write(`${JSON.stringify(request)}\n`);
      const next = await lines.next();
      if (next.done) throw new Error(`drive.py ended without answering ${JSON.stringify(request)}: ${stderr.trim().split('\n').pop() ?? ''}`);
      return JSON.parse(next.value) as Outcome;
    },
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}
