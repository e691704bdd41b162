/**
 * The whole CLI as a function: argv and the outside world in, an exit code out. Only bin/ touches the
 * real process; tests call main() with fake streams and an AbortController of their own.
 */
import { setMaxListeners } from 'node:events';
import { CommanderError } from 'commander';
import { ExitCode, exitCodeOf, GlanceCacheError, UsageError } from './errors.js';
import { SecretScrubber } from './http/redact.js';
import { buildProgram, helpRequest, type ParsedCommand } from './cli/program.js';
import { PROGRAM } from './cli/tree.js';
import { commandColumns } from './cli/spec.js';
import { parseGlobalOptions } from './cli/globals.js';
import type { CommandContext, SecondInterrupt } from './cli/context.js';
import { colourEnabled, liveLineEnabled, type IO, type OutStream } from './output/io.js';
import { createLogger } from './output/log.js';
import { createProgress } from './output/progress.js';
import { sanitizeText } from './output/sanitize.js';

declare const __GLANCE_CACHE_VERSION__: string;
export const VERSION = typeof __GLANCE_CACHE_VERSION__ === 'string' ? __GLANCE_CACHE_VERSION__ : '0.0.0-dev';


export interface MainDeps {
  stdout: OutStream;
  stderr: OutStream;
  stdinIsTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  home: string;
  now: () => number;
  signal: AbortSignal;
  confirm: (question: string) => Promise<boolean>;
  /** A second Ctrl-C (process-deps.ts). */
  quit?: SecondInterrupt | undefined;
}

export async function main(argv: readonly string[], deps: MainDeps): Promise<number> {
  let parsed: ParsedCommand | undefined;
  const help = helpRequest(argv);
  const program = buildProgram(
    PROGRAM,
    VERSION,
    // Commander quotes the command line back ("unknown command '…'"): escaped, line by line, like any log line.
    { writeOut: (text) => deps.stdout.write(text), writeErr: (text) => deps.stderr.write(text.split('\n').map(sanitizeText).join('\n')) },
    (command) => {
      parsed = command;
    },
    { all: help.all },
  );
  try {
    await program.parseAsync(help.argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? ExitCode.ok : ExitCode.usage;
    }
    // Commander's parse errors, restyled by the program as one line (cli/usage-error.ts).
    if (error instanceof UsageError) {
      deps.stderr.write(`error: ${sanitizeText(error.message)}\n`);
      return error.exitCode;
    }
    throw error;
  }
  if (!parsed) {
    program.outputHelp({ error: true });
    return ExitCode.usage;
  }

  // Every request in flight listens to the run's signal; a fan-out over many nodes means many at once.
  setMaxListeners(0, deps.signal);
  let context: CommandContext | undefined;
  // Secrets are only learnt while a command runs, so the log exists by the time one is too short to scrub.
  const scrubber = new SecretScrubber((line) => context?.log.warn(line));
  try {
    // -c and --sort-column are checked against the command's columns here, before any request.
    const globals = parseGlobalOptions(parsed.globals, deps.stdout, commandColumns(parsed.spec, parsed.options));
    const colour = colourEnabled(globals.colour, deps.env, deps.stdout);
    const io: IO = {
      stdout: scrubbed(deps.stdout, scrubber),
      stderr: deps.stderr,
      interactive: deps.stdinIsTTY && Boolean(deps.stderr.isTTY),
      colour,
      spinner: liveLineEnabled(deps.env, deps.stderr, globals),
      confirm: deps.confirm,
    };
    const progress = createProgress(io.spinner, deps.stderr, colourEnabled(globals.colour, deps.env, deps.stderr));
    const log = createLogger({
      stream: deps.stderr,
      quiet: globals.quiet,
      verbose: globals.verbose,
      debug: globals.debug,
      timestamps: !deps.stderr.isTTY,
      scrubber,
      now: deps.now,
      beforeWrite: () => progress.clearLine(),
      afterWrite: () => progress.redraw(),
    });
    context = { io, log, progress, scrubber, globals, env: deps.env, cwd: deps.cwd, home: deps.home, now: deps.now, signal: deps.signal, quit: deps.quit };
    const command = await parsed.spec.load();
    return await command.run(context, parsed.args, parsed.options);
  } catch (error) {
    const write = (line: string) => deps.stderr.write(`error: ${sanitizeText(scrubber.scrub(line))}\n`);
    const exitCode = exitCodeOf(error, deps.signal.aborted);
    if (error instanceof GlanceCacheError) write(error.message);
    else if (exitCode === ExitCode.interrupted) write('interrupted');
    else {
      const message = error instanceof Error ? error.message : String(error);
      write(`internal error (a bug; please report it with the --debug output): ${message.split('\n')[0] ?? ''}`);
      if (argv.includes('--debug') && error instanceof Error && error.stack) deps.stderr.write(`${scrubber.scrub(error.stack).split('\n').map(sanitizeText).join('\n')}\n`);
    }
    return exitCode;
  } finally {
    context?.progress.stop();
  }
}

/**
 * The results pass the scrubber too, as log lines do: a node may echo the token it was sent in an error
 * body, and that message is part of the JSON.
 */
function scrubbed(stream: OutStream, scrubber: SecretScrubber): OutStream {
  return {
    write: (text) => stream.write(scrubber.scrub(text)),
    get isTTY() {
      return stream.isTTY;
    },
    get columns() {
      return stream.columns;
    },
    get closed() {
      return stream.closed;
    },
  };
}
