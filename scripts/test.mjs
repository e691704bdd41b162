// The README's test command, and the one CI runs. Builds once, then on each Node.js major of
// GLANCE_CACHE_NODES (default 20,22,24) runs the unit/simulator suite and the real-fleet suite against each
// real Glance release of GLANCE_CACHE_FLEET_RELEASES (default zed,epoxy: test/fleet/fleet.sh), stops the
// fleets it started, and ends with one plain "N passed, N failed, N skipped" line summing every run.
//
// GLANCE_CACHE_FLEET=install (the default under CI=true) installs what is missing: Debian's Zed packages on
// the host, python3-glanceclient for the peer-client contract, Epoxy's trixie chroot, and each Node.js from
// the npm registry's node-<platform>-<arch> package.
// auto (the default elsewhere) uses what is installed and skips the rest loudly; skip skips the real fleets.
// Under CI=true nothing may be skipped: a missing fleet or Node.js fails the run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const fleetScript = join(root, 'test/fleet/fleet.sh');
const vitest = join(root, 'node_modules/vitest/vitest.mjs');
const outDir = join(root, 'test/.results');
// Kept between runs on the same machine: the Node.js binaries here, the Epoxy chroot beside them (fleet.sh).
const cacheDir = '/var/cache/glance-cache';
const ci = process.env.CI === 'true';
const mode = process.env.GLANCE_CACHE_FLEET ?? (ci ? 'install' : 'auto');
const majors = (process.env.GLANCE_CACHE_NODES ?? '20,22,24').split(',').map((major) => major.trim()).filter(Boolean);
const releases = (process.env.GLANCE_CACHE_FLEET_RELEASES ?? 'zed,epoxy').split(',').map((release) => release.trim()).filter(Boolean);
// fleet.sh's default state dir of each release: both fleets run side by side on their own ports.
const FLEET_DIRS = { zed: '/tmp/glance-cache-fleet', epoxy: '/tmp/glance-cache-fleet-epoxy' };
const epoxyRoot = process.env.GLANCE_CACHE_FLEET_CHROOT ?? join(cacheDir, 'trixie-chroot');

const started = Date.now();
const seconds = (since) => Math.round((Date.now() - since) / 1000);
const problems = [];

function run(command, args, env = {}) {
  return spawnSync(command, args, { stdio: 'inherit', cwd: root, env: { ...process.env, ...env } }).status ?? 1;
}

function loud(lines) {
  const bar = '!'.repeat(78);
  process.stderr.write(`\n${bar}\n${lines.map((line) => `!! ${line}`).join('\n')}\n${bar}\n\n`);
}

function banner(text) {
  process.stderr.write(`\n==== ${text} ${'='.repeat(Math.max(0, 72 - text.length))}\n`);
}

/** Something the whole suite needs is missing: fatal under CI, a loud skip elsewhere. */
function missing(what, hint) {
  if (ci) {
    loud([`CI=true: ${what}; nothing may be skipped.`, hint]);
    process.exit(1);
  }
  loud([`${what}: SKIPPED.`, hint]);
  problems.push(`${what} (skipped)`);
}

// ---------------------------------------------------------------- Node.js versions

const nodePackage = `node-${process.platform}-${process.arch}`;

/** The node binary for a major: this one, else the registry package kept in cacheDir (installed when allowed). */
function nodeFor(major) {
  if (process.versions.node.split('.')[0] === major) return process.execPath;
  const prefix = join(cacheDir, `node${major}`);
  const binary = join(prefix, 'node_modules', nodePackage, 'bin/node');
  if (!existsSync(binary) && mode === 'install') {
    banner(`installing Node.js ${major} from the npm registry (${nodePackage}@${major}) into ${prefix}`);
    mkdirSync(prefix, { recursive: true });
    if (run('npm', ['install', '--prefix', prefix, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', `${nodePackage}@${major}`]) !== 0) {
      loud([`npm install ${nodePackage}@${major} failed: see above.`]);
      process.exit(1);
    }
  }
  if (existsSync(binary)) return binary;
  missing(`Node.js ${major} is not installed (${binary})`, 'Run `GLANCE_CACHE_FLEET=install npm test` to install it from the npm registry, or set GLANCE_CACHE_NODES.');
  return null;
}

function versionOf(binary) {
  return spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

// ---------------------------------------------------------------- real fleets

const fleetEnv = (release) => ({ GLANCE_CACHE_FLEET_DIR: FLEET_DIRS[release], GLANCE_CACHE_FLEET_RELEASE: release });

function fleetRunning(release) {
  if (spawnSync('bash', [fleetScript, 'status'], { stdio: 'ignore', env: { ...process.env, ...fleetEnv(release) } }).status !== 0) return false;
  const file = join(FLEET_DIRS[release], 'fleet.json');
  return existsSync(file) && JSON.parse(readFileSync(file, 'utf8')).release === release;
}

/** Without install, a release starts only from what is already there (packages, or a built chroot as root). */
function installed(release) {
  if (release === 'zed') return existsSync('/usr/bin/glance-api') || 'glance-api is not installed on this host';
  if (process.getuid?.() !== 0) return 'the Epoxy fleet runs in a chroot: it needs root';
  return existsSync(join(epoxyRoot, '.glance-cache-fleet-chroot')) || `the Epoxy chroot ${epoxyRoot} is not built`;
}

const startedFleets = [];
const stopFleets = () => {
  for (const release of startedFleets.splice(0)) run('bash', [fleetScript, 'stop'], fleetEnv(release));
};
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopFleets();
    process.exit(130);
  });
}

function bringUp(release) {
  if (!(release in FLEET_DIRS)) {
    loud([`GLANCE_CACHE_FLEET_RELEASES: unknown release '${release}' (zed or epoxy)`]);
    process.exit(1);
  }
  if (mode === 'skip') {
    if (ci) {
      loud(['CI=true: GLANCE_CACHE_FLEET=skip is refused; the real-fleet tests are never skipped in CI.']);
      process.exit(1);
    }
    return false;
  }
  if (fleetRunning(release)) return true;
  const present = mode === 'install' || installed(release);
  if (present !== true) {
    missing(`the ${release} fleet cannot start (${present})`, 'Run `GLANCE_CACHE_FLEET=install npm test` as root for the whole suite.');
    return false;
  }
  banner(`starting the ${release} fleet`);
  const since = Date.now();
  startedFleets.push(release);
  if (run('bash', [fleetScript, 'start', '3', '--release', release], fleetEnv(release)) !== 0) {
    loud([`could not start the ${release} fleet: see the lines above.`]);
    stopFleets();
    process.exit(1);
  }
  process.stderr.write(`${release} fleet up in ${seconds(since)} s\n`);
  return true;
}

// ---------------------------------------------------------------- peer clients

// The peer-client contract (test/contract/*.peer-clients.test.ts, in the unit run too) drives Glance with
// clients nobody here wrote, from Debian: python-glanceclient, and glance-api's glance-cache-manage.
const PEER_CLIENTS = { 'python3-glanceclient': '/usr/lib/python3/dist-packages/glanceclient/v2/cache.py', 'glance-api': '/usr/bin/glance-cache-manage' };
const peerAbsent = () => Object.keys(PEER_CLIENTS).filter((pkg) => !existsSync(PEER_CLIENTS[pkg]));

function peerClients() {
  if (mode === 'install' && peerAbsent().includes('glance-api')) {
    // fleet.sh installs glance-api with the debconf answers it needs.
    banner('installing glance-api for glance-cache-manage (test/fleet/fleet.sh install --release zed)');
    if (run('bash', [fleetScript, 'install', '--release', 'zed'], fleetEnv('zed')) !== 0) loud(['fleet.sh install --release zed failed: see above.']);
  }
  if (mode === 'install' && peerAbsent().includes('python3-glanceclient')) {
    banner('installing python3-glanceclient');
    const apt = { DEBIAN_FRONTEND: 'noninteractive' };
    if (run('apt-get', ['-qq', 'update'], apt) !== 0 || run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'python3-glanceclient'], apt) !== 0) {
      loud(['apt-get install python3-glanceclient failed: see above.']);
    }
  }
  const absent = peerAbsent();
  if (absent.length > 0) missing(`the peer clients are not installed (Debian ${absent.join(', ')})`, 'Run `GLANCE_CACHE_FLEET=install npm test` as root, or apt-get install python3-glanceclient glance-api.');
}

// ---------------------------------------------------------------- the runs

mkdirSync(outDir, { recursive: true });
if (run(process.execPath, ['scripts/build.mjs']) !== 0) process.exit(1);

const nodes = majors.map((major) => ({ major, binary: nodeFor(major) })).filter((node) => node.binary !== null);
if (mode === 'skip') loud(['GLANCE_CACHE_FLEET=skip: the real-fleet tests are SKIPPED.']);
const fleets = releases.filter((release) => bringUp(release));
peerClients();

const runs = [];
function vitestRun(node, project, release) {
  const version = versionOf(node.binary);
  const label = release ? `${project} ${release}` : project;
  const file = join(outDir, `${project}${release ? `-${release}` : ''}-node${node.major}.json`);
  rmSync(file, { force: true });
  banner(`${label} on Node.js ${version}`);
  const since = Date.now();
  // This Node first on PATH: whatever the tests spawn as `node` or `npm` runs on it too.
  const env = { ...(release ? fleetEnv(release) : {}), PATH: `${dirname(node.binary)}${delimiter}${process.env.PATH}` };
  const status = run(node.binary, [vitest, 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${file}`], env);
  const counts = { passed: 0, failed: 0, skipped: 0 };
  if (existsSync(file)) {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    counts.passed = report.numPassedTests;
    counts.failed = report.numFailedTests;
    counts.skipped = report.numPendingTests + (report.numTodoTests ?? 0);
  } else {
    // vitest died before writing its report: count the run as one failure rather than as nothing.
    counts.failed = 1;
  }
  runs.push({ label, version, status, seconds: seconds(since), ...counts, report: existsSync(file) });
}

try {
  for (const node of nodes) {
    vitestRun(node, 'unit');
    for (const release of fleets) vitestRun(node, 'real', release);
  }
} finally {
  stopFleets();
}

const total = { passed: 0, failed: 0, skipped: 0 };
process.stdout.write('\n');
for (const each of runs) {
  for (const key of Object.keys(total)) total[key] += each[key];
  const note = each.report ? '' : ' (no report: vitest failed before writing it)';
  process.stdout.write(`${`${each.label} on Node.js ${each.version}`.padEnd(34)} ${each.passed} passed, ${each.failed} failed, ${each.skipped} skipped in ${each.seconds} s${note}\n`);
}
for (const problem of problems) process.stdout.write(`not run: ${problem}\n`);
process.stdout.write(`total time ${seconds(started)} s\n`);
process.stdout.write(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
process.exit(runs.length > 0 && runs.every((each) => each.status === 0) && total.failed === 0 ? 0 : 1);
