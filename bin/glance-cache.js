#!/usr/bin/env node
// Thin on purpose: answers --version and shell completion before loading the CLI, and is the only
// place that ends the process.
import { fstatSync, readFileSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';

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
  // `glance-cache ls | head -1`: the reader left; stop quietly, as a shell tool does on SIGPIPE.
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
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

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else if (argv[0] === '__complete') {
  const { complete } = await import('../dist/complete.js');
  process.stdout.write(await complete(argv.slice(1), process.env, process.cwd(), homedir()));
} else {
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
