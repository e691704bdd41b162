// `node --expose-gc bench/scale.mjs [huge hanging soak]` (or `npm run bench -- scale`): the scale figures of
// bench/RESULTS.md, each printed with the load average it was taken under (the machine is shared).
//   huge     `ls -a -o json` on 5000 simulated nodes served by a separate process (`node dist/sim.js`),
//            so the fleet does not share the CLI's process: wall time and the CLI's peak RSS
//   hanging  `ls -a -o json` on 1000 simulated nodes of which 1% never answer: the wall time follows
//            --timeout, not the node count
//   soak     `ls --all-nodes` 200 times in one process (main() in a loop) against the real fleet: open
//            file descriptors, active handles and heap after GC, at the start and at the end
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { timeMany } from './measure.mjs';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'bin/glance-cache.js');
const LATENCY = 50;

const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');

function printFigure(scenario, figure, extra = {}) {
  const rss = figure.rssMb ? `, CLI peak RSS ${figure.rssMb.toFixed(0)} MB` : '';
  process.stdout.write(`${scenario}: p50 ${(figure.p50 / 1000).toFixed(2)} s, max ${(figure.p90 / 1000).toFixed(2)} s (${figure.runs} runs, exit ${figure.codes.join('/')})${rss}; load ${extra.load}\n`);
}

/** 5000 nodes: the simulator in its own process, so the two do not share a CPU's event loop. */
export async function scaleHuge(record = printFigure, { nodes = 5000, images = 200, runs = 3 } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'glance-cache-scale-'));
  const inventory = join(dir, `sim-${nodes}.yaml`);
  const sim = spawn(process.execPath, [join(root, 'dist/sim.js'), '--nodes', String(nodes), '--images', String(images), '--latency', `${LATENCY}ms`, '--seed', '7', '--inventory-out', inventory], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let simLog = '';
  sim.stderr.on('data', (chunk) => (simLog += chunk));
  try {
    while (!/nodes ready/.test(simLog)) {
      if (sim.exitCode !== null) throw new Error(`the simulator exited: ${simLog}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const simRssMb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${sim.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    process.stdout.write(`huge: ${nodes} sim nodes x ${images} images each (separate process, ${simRssMb.toFixed(0)} MB RSS), ${LATENCY} ms latency\n`);
    for (const fanout of [64, 256]) {
      const before = load();
      const figure = await timeMany(process.execPath, [bin, '-i', inventory, 'ls', '--all-nodes', '-o', 'json', '--fanout', String(fanout), '--timeout', '60s'], runs, { rss: true });
      const floorMs = Math.ceil(nodes / fanout) * LATENCY;
      record(`ls -a -o json, ${nodes} sim nodes x ${images} images, --fanout ${fanout}`, figure, { floorMs, simRssMb, load: `${before} -> ${load()}` });
      process.stdout.write(`  fan-out floor ceil(${nodes}/${fanout}) x ${LATENCY} ms = ${floorMs} ms\n`);
      if (figure.codes.some((code) => code !== 0)) process.stdout.write(`  stderr: ${figure.stderr.slice(0, 500)}\n`);
    }
  } finally {
    sim.kill('SIGTERM');
    await once(sim, 'exit');
  }
}

/** 1000 nodes, every 100th hung before answering: each run should take about its --timeout. */
export async function scaleHanging(record = printFigure, { nodes = 1000, images = 100, runs = 3 } = {}) {
  const { startSimFleet } = await import('../dist/sim.js');
  const fleet = await startSimFleet({
    count: nodes,
    imagesPerNode: images,
    latencyMs: LATENCY,
    seed: 7,
    namePrefix: 'sim',
    nodeOptions: (index) => (index % 100 === 50 ? { faults: { latencyMs: LATENCY, hang: 'before-headers' } } : {}),
  });
  try {
    const inventory = join(mkdtempSync(join(tmpdir(), 'glance-cache-scale-')), 'hanging.yaml');
    writeFileSync(inventory, fleet.inventoryYaml());
    process.stdout.write(`hanging: ${nodes} sim nodes x ${images} images, ${nodes / 100} of them never answer, ${LATENCY} ms latency\n`);
    // The same fleet without its hung nodes: what the listing costs when nobody hangs.
    const hung = fleet.nodes.filter((_, index) => index % 100 === 50).map((node) => node.name).join(',');
    const baseline = await timeMany(process.execPath, [bin, '-i', inventory, 'ls', '--all-nodes', '-x', hung, '-o', 'json'], runs, { rss: true });
    record(`ls -a -o json, ${nodes - nodes / 100} sim nodes (the hung ones excluded)`, baseline, { load: load() });
    for (const timeout of ['2s', '5s']) {
      const before = load();
      const figure = await timeMany(process.execPath, [bin, '-i', inventory, 'ls', '--all-nodes', '-o', 'json', '--timeout', timeout], runs, { rss: true });
      record(`ls -a -o json, ${nodes} sim nodes, 1% hanging, --timeout ${timeout}`, figure, { load: `${before} -> ${load()}` });
      if (figure.codes.some((code) => code !== 3)) process.stdout.write(`  unexpected exit: ${figure.stderr.slice(0, 500)}\n`);
    }
  } finally {
    await fleet.close();
  }
}

/** 200 listings of the real fleet in one process: no socket, handle or heap may pile up. */
export async function scaleSoak(record = printFigure, { runs = 200 } = {}) {
  const fleetDir = process.env.GLANCE_CACHE_FLEET_DIR ?? '/tmp/glance-cache-fleet';
  if (!existsSync(join(fleetDir, 'fleet.json'))) {
    process.stdout.write(`soak: no fleet at ${fleetDir} (bash test/fleet/fleet.sh start 3); skipped\n`);
    return;
  }
  if (typeof globalThis.gc !== 'function') {
    process.stdout.write('soak: needs node --expose-gc (heap is measured after a full GC); skipped\n');
    return;
  }
  const env = Object.fromEntries(
    readFileSync(join(fleetDir, 'env.sh'), 'utf8')
      .split('\n')
      .map((line) => /^export ([A-Z_]+)=(.*)$/.exec(line))
      .filter(Boolean)
      .map((match) => [match[1], match[2].replace(/^'(.*)'$/, '$1')]),
  );
  const { main } = (await import('../dist/main.cjs')).default;
  const sink = { isTTY: false, write: () => true };
  const listOnce = async () =>
    main(['ls', '--all-nodes', '-o', 'json'], {
      stdout: sink,
      stderr: { isTTY: false, write: (text) => process.stderr.write(text) },
      stdinIsTTY: false,
      env,
      cwd: process.cwd(),
      home: tmpdir(),
      now: () => Date.now(),
      signal: new AbortController().signal,
      confirm: async () => false,
    });
  const sample = async () => {
    // Idle keep-alive sockets close when their pool does; give closing sockets a turn before counting.
    await new Promise((resolve) => setTimeout(resolve, 100));
    globalThis.gc();
    globalThis.gc();
    return { fds: readdirSync('/proc/self/fd').length, handles: process._getActiveHandles().length, heapMb: process.memoryUsage().heapUsed / 2 ** 20 };
  };
  // A few runs first: module loading and JIT warm-up are not growth.
  for (let run = 0; run < 5; run++) await listOnce();
  const start = await sample();
  const loadStart = load();
  const started = performance.now();
  const codes = new Set();
  const marks = [];
  for (let run = 1; run <= runs; run++) {
    codes.add(await listOnce());
    if (run % 50 === 0) marks.push({ run, ...(await sample()) });
  }
  const elapsed = performance.now() - started;
  const end = await sample();
  const line = (at) => `${at.fds} fds, ${at.handles} handles, heap ${at.heapMb.toFixed(1)} MB`;
  process.stdout.write(`soak: ${runs} x ls --all-nodes on the real fleet in one process, ${(elapsed / runs).toFixed(0)} ms per run, exit ${[...codes].join('/')}; load ${loadStart} -> ${load()}\n`);
  process.stdout.write(`  start: ${line(start)}\n${marks.map((mark) => `  after ${mark.run}: ${line(mark)}\n`).join('')}  end:   ${line(end)}\n`);
  record(`soak: ${runs} x ls --all-nodes, real fleet, one process`, { runs, p50: elapsed / runs, p90: elapsed / runs, codes: [...codes], rssMb: null }, { start, end, marks, load: `${loadStart} -> ${load()}` });
}

export async function benchScale(record, which = ['huge', 'hanging', 'soak']) {
  if (which.includes('huge')) await scaleHuge(record);
  if (which.includes('hanging')) await scaleHanging(record);
  if (which.includes('soak')) await scaleSoak(record);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const which = process.argv.slice(2);
  await benchScale(printFigure, which.length ? which : undefined);
}
