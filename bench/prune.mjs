// Prune planning on a large fleet: `node --expose-gc bench/prune.mjs [--json]` (or `npm run bench -- prune`).
// 1000 nodes x 1000 cached images each, drawn from 4000 images the way real caches overlap (a window per
// node, neighbours sharing most of it), some orphans, times over 30 days. Times planPrune alone (the
// listings already in memory, as after the fan-out) with the size limit alone and with every policy on,
// and the heap the plan adds.
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const NODES = 1000;
const PER_NODE = 1000;
const CATALOG = 4000;
const RUNS = 5;
const DAY = 86_400;

async function loadPlanner() {
  // Inside node_modules, as scripts/gen-docs.mjs does, so the bundle resolves like src/ does.
  const bundle = join(root, 'node_modules/.cache/glance-cache-bench-prune.mjs');
  mkdirSync(dirname(bundle), { recursive: true });
  await build({ entryPoints: [join(root, 'src/core/plan-prune.ts')], outfile: bundle, bundle: true, format: 'esm', platform: 'node', logLevel: 'warning' });
  try {
    return await import(pathToFileURL(bundle).href);
  } finally {
    rmSync(bundle, { force: true });
  }
}

/** A small deterministic generator (mulberry32): the same fleet on every run. */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function fleet(nowSeconds) {
  const next = random(7);
  const ids = Array.from({ length: CATALOG }, (_, index) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`);
  const sizes = ids.map(() => Math.round(12 * 2 ** 20 * (1700) ** next()));
  const glance = new Map();
  ids.forEach((id, index) => {
    // Every 29th image deleted in Glance, every 31st deactivated: the orphans.
    if (index % 29 === 28) return;
    glance.set(id, { id, name: `image-${index}`, status: index % 31 === 30 ? 'deactivated' : 'active', size: sizes[index] });
  });
  const listings = Array.from({ length: NODES }, (_, node) => {
    const start = Math.floor((node * CATALOG) / NODES);
    const cached = Array.from({ length: PER_NODE }, (_, offset) => {
      const index = (start + offset) % CATALOG;
      const modified = nowSeconds - next() * 30 * DAY;
      const read = next() < 0.85;
      return { id: ids[index], hits: read ? 1 + Math.floor(next() * 40) : 0, lastAccessed: read ? modified + next() * (nowSeconds - modified) : null, lastModified: modified, size: sizes[index] };
    });
    const name = `glance${String(node + 1).padStart(4, '0')}`;
    const total = cached.reduce((sum, entry) => sum + entry.size, 0);
    return {
      name,
      url: `http://${name}:9292`,
      ok: true,
      error: null,
      errorKind: null,
      api: { flavor: 'cache', version: 'v2.16', serverSidePrune: false },
      cache: { cached, queued: [] },
      latencyMs: 5,
      // Each node 10% over its limit, so the size policy has real work everywhere.
      maxSizeBytes: Math.round(total / 1.1),
    };
  });
  return { listings, glance };
}

const heapMb = () => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

export async function benchPrune() {
  const { planPrune } = await loadPlanner();
  const nowMs = Date.UTC(2026, 0, 1);
  const { listings, glance } = fleet(nowMs / 1000);
  const listingsHeapMb = heapMb();
  const base = { maxSize: null, olderThanMs: null, orphans: false, maxReplicas: null, protect: [], maxDeletes: null, serverSide: false };
  const scenarios = {
    'size limit only': base,
    'every policy, --max-replicas 200, --older-than 28d': { ...base, maxSize: { percent: 90 }, olderThanMs: 28 * DAY * 1000, orphans: true, maxReplicas: 200, protect: ['image-1', 'image-2'] },
    'every policy, --max-replicas 3 (most copies go)': { ...base, maxSize: { percent: 90 }, olderThanMs: 21 * DAY * 1000, orphans: true, maxReplicas: 3, protect: ['image-1', 'image-2'], maxDeletes: 1_000_000 },
  };
  const results = [];
  for (const [scenario, policy] of Object.entries(scenarios)) {
    const times = [];
    let deletions = 0;
    let heapDelta = 0;
    for (let run = 0; run < RUNS; run++) {
      // Each run's plan is garbage by the next run's first measure: `before` never counts the previous plan.
      const before = heapMb();
      const started = performance.now();
      const plan = planPrune(listings, glance, policy, nowMs);
      times.push(performance.now() - started);
      heapDelta = Math.max(heapDelta, heapMb() - before);
      deletions = plan.deletions;
    }
    times.sort((a, b) => a - b);
    results.push({ scenario, runs: RUNS, p50: times[Math.floor(RUNS / 2)], p90: times[RUNS - 1], min: times[0], deletions, planHeapMb: heapDelta });
  }
  return { nodes: NODES, perNode: PER_NODE, catalog: CATALOG, listingsHeapMb, rssMb: process.memoryUsage().rss / 2 ** 20, results };
}

/** For bench/run.mjs: runs in a process of its own, so that the heap figures are the planner's alone. */
export function recordPrune(record) {
  const figures = JSON.parse(execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--json'], { encoding: 'utf8' }));
  for (const row of figures.results) record(`prune plan, ${figures.nodes} nodes x ${figures.perNode} images, ${row.scenario}`, { ...row, codes: [0], rssMb: figures.rssMb });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchPrune();
  if (process.argv.includes('--json')) {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } else {
    for (const row of figures.results) {
      process.stdout.write(`prune plan, ${figures.nodes} nodes x ${figures.perNode} images, ${row.scenario}: p50 ${row.p50.toFixed(0)} ms, max ${row.p90.toFixed(0)} ms (${row.runs} runs), ${row.deletions} deletions, plan heap ${row.planHeapMb.toFixed(0)} MB\n`);
    }
    process.stdout.write(`listings in memory: heap ${figures.listingsHeapMb.toFixed(0)} MB; process RSS at the end ${figures.rssMb.toFixed(0)} MB\n`);
  }
}
