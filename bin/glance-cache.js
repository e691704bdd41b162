#!/usr/bin/env node
// Thin on purpose: answers --version and shell completion before loading the CLI, and is the only
// place that ends the process.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';

const argv = process.argv.slice(2);
const INTERRUPTED = 130;
/** sysexits' EX_IOERR: the result could not be written (a full disk), so nothing downstream may trust it. */
const OUTPUT_FAILED = 74;

process.stdout.on('error', (error) => {
  // `glance-cache ls | head -1`: the reader left; stop quietly, as a shell tool does on SIGPIPE.
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  process.stderr.write(`error: cannot write the output: ${error.message}\n`);
  process.exit(OUTPUT_FAILED);
});

if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${pkg.version}\n`);
} else if (argv[0] === '__complete') {
  const { complete } = await import('../dist/complete.js');
  process.stdout.write(await complete(argv.slice(1), process.env, process.cwd(), homedir()));
} else {
  const { main, bindProcess } = await import('../dist/main.js');
  const binding = bindProcess(() => process.exit(INTERRUPTED));
  const code = await main(argv, binding.deps);
  binding.dispose();
  // A pipe whose reader falls behind is written asynchronously: exiting before it drains cuts the output
  // short. Wait until stdout and stderr have handed everything to the OS (a failed write, ENOSPC, surfaces
  // meanwhile through the error handler); idle keep-alive sockets and timers must not hold the exit back.
  process.exitCode = code;
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((resolve) => stream.write('', resolve))));
  process.exit(code);
}
