#!/usr/bin/env node
// Answers --version and shell completion before loading the CLI, loads the CLI through a V8 code cache
// (loadMain), and is the only place that ends the process. Plain JavaScript, no bundle: it runs first.
import { closeSync, constants, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import vm from 'node:vm';

const argv = process.argv.slice(2);
const INTERRUPTED = 130;
/** sysexits' EX_IOERR: the result could not be written (a full disk), so nothing downstream may trust it. */
// ExitCode.outputFailed in src/errors.ts: bin/ stays free of the bundle until it needs it.
const OUTPUT_FAILED = 74;

// A log that cannot be written (a full disk under `2>>cron.log`) must not stop a run halfway through its
// actions: the results still reach stdout and --summary, and the exit code still says how it went.
process.stderr.on('error', () => {});

function outputFailed(error) {
  process.stderr.write(`error: cannot write the output: ${error.message}\n`);
  process.exit(OUTPUT_FAILED);
}

process.stdout.on('error', (error) => {
  // `glance-cache ls | head -1`: the reader left. Quietly, as a shell tool on SIGPIPE, but not at once: the
  // run ends as it would have (a prune writes its summary and metrics and releases its lock), its output
  // dropped (src/process-deps.ts), and main() decides the exit code.
  if (error.code === 'EPIPE') return;
  outputFailed(error);
});

function isFile(fd) {
  try {
    return fstatSync(fd).isFile();
  } catch {
    return false;
  }
}

/**
 * Node writes a file stdout with one write(2) per chunk and ignores a short count: when the disk fills up
 * mid-document the rest vanishes and the run exits 0. Here each chunk is written out in full, or fails.
 */
function writeAllToFile(text) {
  const bytes = Buffer.from(text);
  try {
    for (let offset = 0; offset < bytes.length; ) offset += writeSync(1, bytes, offset);
  } catch (error) {
    outputFailed(error);
  }
  return true;
}

/**
 * dist/main.cjs, compiled with a V8 code cache kept in the user's cache directory (where completion keeps
 * its names): Node 20 caches nothing between runs by itself, and compiling the bundle afresh, then each
 * function on its first call, cost ~50 ms of every run. The cache is named after the bundle's size,
 * mtime and inode and Node's version, so a rebuilt or upgraded install never meets an old one; V8 also
 * rejects a cache that does not fit, and then it is written anew. Without a writable cache directory the
 * bundle is simply compiled each time.
 *
 * A cache holds what the runs that wrote it compiled: one written by `--help` would leave `ls` compiling
 * most of its code on every run. So a sidecar file lists the commands the cache has seen, and a run of
 * any other command writes it again, with that command's code added to what was loaded.
 */
function loadMain() {
  const file = new URL('../dist/main.cjs', import.meta.url).pathname;
  const source = readFileSync(file, 'utf8');
  const stamp = statSync(file);
  // The rule of cacheDir() in src/complete/cache-files.ts, which bin/ cannot import before the bundle loads.
  const cacheHome = process.env.XDG_CACHE_HOME && isAbsolute(process.env.XDG_CACHE_HOME) ? process.env.XDG_CACHE_HOME : join(homedir(), '.cache');
  const dir = join(cacheHome, 'glance-cache');
  const name = `code-${process.version}-${process.arch}-${stamp.size}-${Math.round(stamp.mtimeMs)}-${stamp.ino}.v8`;
  const usable = !foreign(dir);
  const cachedData = usable ? readPrivate(dir, name) : undefined;
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  const loaded = cachedData !== undefined && !script.cachedDataRejected;
  const covered = loaded ? commandsIn(readPrivate(dir, `${name}.commands`)) : [];
  let command = 'help';
  if (usable) {
    process.once('exit', () => {
      if (!covered.includes(command)) writeCodeCache(dir, name, script, [...covered, command]);
    });
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return { ...module.exports, onCommand: (chosen) => (command = chosen) };
}

/**
 * Compiled code runs as whoever loads it: only a cache that the running user alone can have written is
 * used (the file here, its directory through foreign()), so that `sudo glance-cache …` keeping a user's
 * HOME or XDG_CACHE_HOME never runs that user's bytes as root. Undefined when there is none (the first
 * run of a build), it is not private, or it is not a regular file: opened without O_NONBLOCK, a FIFO
 * there would block every run before it starts.
 */
function readPrivate(dir, name) {
  let fd;
  try {
    fd = openSync(join(dir, name), constants.O_RDONLY | constants.O_NONBLOCK);
    const stat = fstatSync(fd);
    return stat.isFile() && isPrivate(stat) ? readFileSync(fd) : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function commandsIn(bytes) {
  try {
    const commands = JSON.parse(String(bytes));
    return Array.isArray(commands) ? commands.filter((command) => typeof command === 'string') : [];
  } catch {
    return [];
  }
}

/** A directory that exists and is not the running user's alone. */
function foreign(dir) {
  try {
    return !isPrivate(statSync(dir));
  } catch {
    return false;
  }
}

function isPrivate(stat) {
  return stat.uid === process.geteuid() && (stat.mode & 0o022) === 0;
}

/** After the run, so the functions it compiled are in the cache too. Best effort: a TAB or cron run must never fail on it. */
function writeCodeCache(dir, name, script, commands) {
  try {
    // The cache directory and its parent (~/.cache), never more: a missing home stays missing.
    for (const path of [dirname(dir), dir]) {
      try {
        mkdirSync(path, { mode: 0o700 });
      } catch (error) {
        if (error.code !== 'EEXIST') throw error;
      }
    }
    for (const old of readdirSync(dir)) if (old.startsWith('code-') && !old.startsWith(name)) unlinkSync(join(dir, old));
    writePrivate(join(dir, name), script.createCachedData());
    writePrivate(join(dir, `${name}.commands`), JSON.stringify(commands));
  } catch {
    // Read-only or full: the next run compiles from source again.
  }
}

function writePrivate(path, data) {
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, data, { mode: 0o600 });
  renameSync(partial, path);
}

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else if (argv[0] === '__complete') {
  const { complete } = await import('../dist/complete.js');
  process.stdout.write(await complete(argv.slice(1), process.env, process.cwd(), homedir()));
} else {
  const { main, bindProcess, onCommand } = loadMain();
  // import() does not work from code compiled by vm.Script once it comes from a code cache (Node 20):
  // JavaScript inventories are loaded from here, a real module, instead.
  const binding = bindProcess(() => process.exit(INTERRUPTED), (specifier) => import(specifier));
  binding.deps.onCommand = onCommand;
  if (isFile(1)) binding.deps.stdout = { isTTY: false, write: writeAllToFile };
  const code = await main(argv, binding.deps);
  binding.dispose();
  // A pipe whose reader falls behind is written asynchronously: exiting before it drains cuts the output
  // short. Wait until stdout and stderr have handed everything to the OS (a failed write, ENOSPC, surfaces
  // meanwhile through the error handler); idle keep-alive sockets and timers must not hold the exit back.
  process.exitCode = code;
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
  process.exit(code);
}
