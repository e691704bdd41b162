// The README's test command. Builds, brings up the real Glance fleet when it can (and must, under CI),
// runs the unit/simulator suite in parallel and the real-fleet suite serially (it shares one fleet),
// stops what it started, and ends with one plain "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const fleetScript = join(root, 'test/fleet/fleet.sh');
const fleetDir = process.env.GLANCE_CACHE_FLEET_DIR ?? '/tmp/glance-cache-fleet';
const mode = process.env.GLANCE_CACHE_FLEET ?? (process.env.CI === 'true' ? 'install' : 'auto');
const outDir = join(root, 'test/.results');
mkdirSync(outDir, { recursive: true });

function run(command, args, env = {}) {
  return spawnSync(command, args, { stdio: 'inherit', cwd: root, env: { ...process.env, ...env } }).status ?? 1;
}

function fleetRunning() {
  return spawnSync('bash', [fleetScript, 'status'], { stdio: 'ignore', env: { ...process.env, GLANCE_CACHE_FLEET_DIR: fleetDir } }).status === 0;
}

function loud(lines) {
  const bar = '!'.repeat(78);
  process.stderr.write(`\n${bar}\n${lines.map((line) => `!! ${line}`).join('\n')}\n${bar}\n\n`);
}

if (run('node', ['scripts/build.mjs']) !== 0) process.exit(1);

let startedFleet = false;
let realFleet = false;
if (mode === 'skip') {
  loud(['GLANCE_CACHE_FLEET=skip: the real-fleet tests are SKIPPED.']);
} else if (fleetRunning()) {
  realFleet = true;
} else if (mode === 'install' || existsSync('/usr/bin/glance-api')) {
  if (run('bash', [fleetScript, 'start', '3'], { GLANCE_CACHE_FLEET_DIR: fleetDir }) !== 0) {
    loud(['could not start the real Glance fleet: see the lines above.']);
    process.exit(1);
  }
  startedFleet = true;
  realFleet = true;
} else {
  loud([
    'glance-api is not installed: the real-fleet tests are SKIPPED.',
    'Run `GLANCE_CACHE_FLEET=install npm test` (as root; installs glance-api and keystone from Debian) for the whole suite.',
  ]);
}

const stopFleet = () => {
  if (startedFleet) run('bash', [fleetScript, 'stop'], { GLANCE_CACHE_FLEET_DIR: fleetDir });
  startedFleet = false;
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopFleet();
    process.exit(130);
  });
}

const env = { GLANCE_CACHE_FLEET_DIR: fleetDir, GLANCE_CACHE_REAL_FLEET: realFleet ? '1' : '0' };
const vitest = join(root, 'node_modules/vitest/vitest.mjs');
const statuses = [];
try {
  statuses.push(run('node', [vitest, 'run', '--project', 'unit', '--reporter=default', '--reporter=json', `--outputFile.json=${outDir}/unit.json`], env));
  if (realFleet) statuses.push(run('node', [vitest, 'run', '--project', 'real', '--reporter=default', '--reporter=json', `--outputFile.json=${outDir}/real.json`], env));
} finally {
  stopFleet();
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const name of ['unit.json', 'real.json']) {
  const file = join(outDir, name);
  if (!existsSync(file) || (name === 'real.json' && !realFleet)) continue;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
}
const ok = statuses.every((status) => status === 0);
process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(ok ? 0 : 1);
