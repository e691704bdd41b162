#!/usr/bin/env node
// Answers --version before loading anything, loads shell completion or the CLI with Node's compile cache,
// and is the only place that ends the process. Plain JavaScript, no bundle: it runs first.
import { fstatSync, mkdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import module from 'node:module';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import v8 from 'node:v8';

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
 * Node's own compile cache (Node 22.1 and later; Node 20 has none, and compiles every run): V8's code for
 * the bundle, kept where completion keeps its names. Compiled code runs as whoever loads it, so it is used
 * only in a directory that the running user alone can write: `sudo glance-cache …` keeping a user's HOME
 * or XDG_CACHE_HOME must never run that user's bytes as root. Best effort: a TAB or a cron run never fails
 * on it.
 */
function enableCompileCache() {
  if (typeof module.enableCompileCache !== 'function') return;
  // The rule of cacheDir() in src/complete/cache-files.ts, which bin/ cannot import before the bundle loads.
  const cacheHome = process.env.XDG_CACHE_HOME && isAbsolute(process.env.XDG_CACHE_HOME) ? process.env.XDG_CACHE_HOME : join(homedir(), '.cache');
  const dir = join(cacheHome, 'glance-cache');
  try {
    // The cache directory and its parent (~/.cache), never more: a missing home stays missing.
    for (const path of [dirname(dir), dir]) {
      try {
        mkdirSync(path, { mode: 0o700 });
      } catch (error) {
        if (error.code !== 'EEXIST') throw error;
      }
    }
    const stat = statSync(dir);
    if (stat.uid === process.geteuid() && (stat.mode & 0o022) === 0) module.enableCompileCache(join(dir, 'compile'));
  } catch {
    // Read-only or foreign: compile from source.
  }
}

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else if (argv[0] === '__complete') {
  enableCompileCache();
  const { complete } = await import('../dist/complete.js');
  process.stdout.write(await complete(argv.slice(1), process.env, process.cwd(), homedir()));
} else {
  enableCompileCache();
  // undici parses HTTP with llhttp compiled to WebAssembly. V8 compiles it at once with its baseline
  // compiler (Liftoff), then again with its optimizing one (TurboFan) on background threads, and
  // process.exit() waits for those: ~150 ms of every networked run came after the work was done
  // (bench/RESULTS.md). Baseline code parses a run's headers and framing just as well. Set before anything
  // loads undici: V8 reads the flag when it compiles the module.
  v8.setFlagsFromString('--liftoff-only');
  const { main, bindProcess } = await import('../dist/main.js');
  const binding = bindProcess(() => process.exit(INTERRUPTED));
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
