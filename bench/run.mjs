// `npm run bench [-- startup sim real]`: the figures recorded in bench/RESULTS.md.
//   startup  `node -e 0` against `glance-cache --version` and `--help`
//   startup  also `glance-cache inventory` on a 20-node inventory
//   sim      `ls --all-nodes` against its floor (bench/floor.mjs): 200 nodes x 100 ms in one wave, 1000 x 100 images
//   stress   (only when named) 1000 nodes x 1000 images against its floor
//   real     `ls --all-nodes` on the real fleet (test/fleet/fleet.sh; GLANCE_CACHE_FLEET_DIR picks which) against
//            its floor and a glance-cache-manage loop
//   prune    prune planning on 1000 nodes x 1000 images (bench/prune.mjs)
//   complete `glance-cache -i INV -n <TAB>` on a 200-node inventory: names cached, and parsed (first TAB after an edit)
//   act      `queue` then `purge` of 50 images on 100 sim nodes (50 ms latency): bench/act.mjs
//   scale    (only when named) 5000 sim nodes, 1000 with 1% hanging, a 200-run soak on the real fleet:
//            bench/scale.mjs; the soak needs `node --expose-gc bench/run.mjs scale`
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { timeInterleaved, timeMany } from './measure.mjs';
import { startSimFleet } from '../dist/sim.js';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'bin/glance-cache.js');
const wanted = new Set(process.argv.slice(2).length ? process.argv.slice(2) : ['startup', 'complete', 'sim', 'real', 'act', 'prune']);
const rows = [];
const record = (scenario, figure, extra = {}) => {
  rows.push({ scenario, ...figure, ...extra });
  const rss = figure.rssMb ? `, peak RSS ${figure.rssMb.toFixed(0)} MB` : '';
  process.stdout.write(`${scenario}: p50 ${figure.p50.toFixed(0)} ms, p90 ${figure.p90.toFixed(0)} ms (${figure.runs} runs, exit ${figure.codes.join('/')})${rss}\n`);
};

if (wanted.has('startup')) {
  const node = await timeMany(process.execPath, ['-e', '0'], 20);
  record('node -e 0', node);
  const version = await timeMany(process.execPath, [bin, '--version'], 20);
  record('glance-cache --version', version, { ratio: version.p50 / node.p50 });
  const help = await timeMany(process.execPath, [bin, '--help'], 20);
  record('glance-cache --help', help, { ratio: help.p50 / node.p50 });
  const dir = mkdtempSync(join(tmpdir(), 'glance-cache-bench-'));
  const inventory = join(dir, 'inventory.yaml');
  writeFileSync(inventory, `nodes:\n${Array.from({ length: 20 }, (_, i) => `  - glance${String(i + 1).padStart(2, '0')}.example.net\n`).join('')}`);
  const shown = await timeMany(process.execPath, [bin, '-i', inventory, 'inventory'], 20);
  record('glance-cache inventory (20 nodes)', shown, { ratio: shown.p50 / node.p50 });
  process.stdout.write(`--version / node -e 0 = ${(version.p50 / node.p50).toFixed(2)} (target <= 1.2); inventory ${(shown.p50 / node.p50).toFixed(2)} (target <= 1.5)\n`);
}

if (wanted.has('complete')) {
  const dir = mkdtempSync(join(tmpdir(), 'glance-cache-bench-'));
  const inventory = join(dir, 'inventory-200.yaml');
  const names = Array.from({ length: 200 }, (_, i) => `glance${String(i + 1).padStart(3, '0')}`);
  writeFileSync(inventory, `nodes:\n${names.map((name, i) => `  - name: ${name}\n    url: http://10.0.${i >> 8}.${i & 255}:9292\n`).join('')}groups:\n  az1: "glance[001-100]"\n  az2: "glance[101-200]"\n`);
  const node = await timeMany(process.execPath, ['-e', '0'], 20);
  record('node -e 0', node);
  const tab = [bin, '__complete', 'nodes', '', '-i', inventory];
  const cached = await timeMany(process.execPath, tab, 20, { env: { XDG_CACHE_HOME: join(dir, 'cache') } });
  record('-n <TAB>, 200 nodes, names cached', cached, { ratio: cached.p50 / node.p50 });
  // A cache directory that cannot be created: every run parses the inventory, as the first TAB after an edit does.
  const parsed = await timeMany(process.execPath, tab, 20, { env: { XDG_CACHE_HOME: '/dev/null/cache' } });
  record('-n <TAB>, 200 nodes, inventory parsed', parsed, { ratio: parsed.p50 / node.p50 });
  process.stdout.write(`TAB / node -e 0 = ${(cached.p50 / node.p50).toFixed(2)} cached, ${(parsed.p50 / node.p50).toFixed(2)} parsed (target < 2)\n`);
}

/**
 * glance-cache against its floor (bench/floor.mjs: the same wire work in a fresh process, nothing else),
 * interleaved run by run so that the machine's load falls on both alike.
 */
async function againstFloor(scenario, { args, env = {}, plan, rounds, target }) {
  const planFile = join(mkdtempSync(join(tmpdir(), 'glance-cache-floor-')), 'plan.json');
  writeFileSync(planFile, JSON.stringify(plan));
  const [ours, floor] = await timeInterleaved(
    [
      { command: process.execPath, args: [bin, ...args] },
      { command: process.execPath, args: [join(root, 'bench/floor.mjs'), planFile] },
    ],
    rounds,
    { env, rss: true },
  );
  record(`${scenario}: floor`, floor);
  record(scenario, ours, { floorMs: floor.p50, ratio: ours.p50 / floor.p50 });
  process.stdout.write(`  ${scenario}: ${(ours.p50 / floor.p50).toFixed(2)}x the floor (target <= ${target}x)\n`);
  if (ours.codes.some((code) => code !== 0)) process.stdout.write(`  stderr: ${ours.stderr.slice(0, 500)}\n`);
  return ours;
}

async function simAgainstFloor(scenario, { count, imagesPerNode, latencyMs, fanout, rounds }) {
  const fleet = await startSimFleet({ count, imagesPerNode, latencyMs, seed: 7, namePrefix: 'sim' });
  try {
    for (const node of fleet.nodes) node.prerender();
    const dir = mkdtempSync(join(tmpdir(), 'glance-cache-bench-'));
    const inventory = join(dir, 'inventory.yaml');
    writeFileSync(inventory, fleet.inventoryYaml());
    const urls = fleet.nodes.map((node) => node.url);
    await againstFloor(scenario, {
      args: ['-i', inventory, 'ls', '--all-nodes', '-o', 'json', '--fanout', String(fanout)],
      plan: { nodes: urls, imagesUrl: urls[0], concurrency: fanout },
      rounds,
      target: 1.25,
    });
  } finally {
    await fleet.close();
  }
}

if (wanted.has('sim')) {
  await simAgainstFloor('ls -a, 200 sim nodes x 100 images, 100 ms, one wave (--fanout 256)', { count: 200, imagesPerNode: 100, latencyMs: 100, fanout: 256, rounds: 10 });
  await simAgainstFloor('ls -a, 1000 sim nodes x 100 images, 50 ms, 256 in flight', { count: 1000, imagesPerNode: 100, latencyMs: 50, fanout: 256, rounds: 5 });
}

if (wanted.has('stress')) {
  await simAgainstFloor('ls -a, 1000 sim nodes x 1000 images, 50 ms, 256 in flight (stress)', { count: 1000, imagesPerNode: 1000, latencyMs: 50, fanout: 256, rounds: 3 });
}

if (wanted.has('real')) {
  const fleetDir = process.env.GLANCE_CACHE_FLEET_DIR ?? '/tmp/glance-cache-fleet';
  const fleetFile = join(fleetDir, 'fleet.json');
  if (!existsSync(fleetFile)) {
    process.stdout.write(`real: no fleet at ${fleetDir} (start one: bash test/fleet/fleet.sh start 3); skipped\n`);
  } else {
    const fleet = JSON.parse(readFileSync(fleetFile, 'utf8'));
    const env = Object.fromEntries(
      readFileSync(join(fleetDir, 'env.sh'), 'utf8')
        .split('\n')
        .map((line) => /^export ([A-Z_]+)=(.*)$/.exec(line))
        .filter(Boolean)
        .map((match) => [match[1], match[2].replace(/^['"]|['"]$/g, '')]),
    );
    const urls = fleet.nodes.map((node) => node.url);
    const keystone = {
      url: `${env.OS_AUTH_URL}/auth/tokens`,
      body: {
        auth: {
          identity: { methods: ['password'], password: { user: { name: env.OS_USERNAME, domain: { name: env.OS_USER_DOMAIN_NAME }, password: env.OS_PASSWORD } } },
          scope: { project: { name: env.OS_PROJECT_NAME, domain: { name: env.OS_PROJECT_DOMAIN_NAME } } },
        },
      },
    };
    const ours = await againstFloor(`ls -a -o json, ${urls.length} real nodes (Keystone)`, { args: ['ls', '--all-nodes', '-o', 'json'], env, plan: { nodes: urls, imagesUrl: urls[0], concurrency: 64, keystone }, rounds: 10, target: 1.25 });
    const loop = fleet.nodes.map((node) => `glance-cache-manage -H 127.0.0.1 -p ${node.port} list-cached >/dev/null`).join(' && ');
    // What operators run today: one glance-cache-manage per node, each authenticating with the same OS_* credentials.
    const theirs = await timeMany('bash', ['-c', `source ${join(fleetDir, 'env.sh')} && ${loop}`], 3, { env });
    record(`glance-cache-manage loop, ${fleet.nodes.length} real nodes`, theirs, { ratio: theirs.p50 / ours.p50 });
    process.stdout.write(`  speed-up over the loop: ${(theirs.p50 / ours.p50).toFixed(1)}x (target >= 12x)${theirs.codes.some((code) => code !== 0) ? ' (the loop failed: this release\'s glance-cache-manage is broken)' : ''}\n`);
  }
}

if (wanted.has('act')) await (await import('./act.mjs')).benchAct(record);

if (wanted.has('prune')) (await import('./prune.mjs')).recordPrune(record);

if (wanted.has('scale')) await (await import('./scale.mjs')).benchScale(record);

mkdirSync(join(root, 'bench/out'), { recursive: true });
const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`;
writeFileSync(join(root, 'bench/out/latest.json'), JSON.stringify({ machine, date: new Date().toISOString(), rows }, null, 2));
process.stdout.write(`\nmachine: ${machine}\nwritten: bench/out/latest.json\n`);
