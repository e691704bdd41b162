/**
 * Diagnostics on stderr: one line each, peer text escaped, known secrets scrubbed, and the spinner
 * cleared first so lines never interleave with it. Cron gets timestamps (no TTY); terminals don't.
 */
import type { SecretScrubber } from '../http/redact.js';
import type { OutStream } from './io.js';
import { sanitizeText } from './sanitize.js';

export interface Logger {
  error(line: string): void;
  warn(line: string): void;
  info(line: string): void;
  verbose(line: string): void;
  debug(line: string): void;
  readonly debugEnabled: boolean;
}

export interface LoggerOptions {
  stream: OutStream;
  quiet: boolean;
  verbose: boolean;
  debug: boolean;
  timestamps: boolean;
  scrubber: SecretScrubber;
  now: () => number;
  /** Clears a live spinner line before a log line is written. */
  beforeWrite?: () => void;
  afterWrite?: () => void;
}

export function createLogger(options: LoggerOptions): Logger {
  const write = (prefix: string, line: string) => {
    const stamp = options.timestamps ? `${new Date(options.now()).toISOString()} ` : '';
    options.beforeWrite?.();
    options.stream.write(`${stamp}${prefix}${sanitizeText(options.scrubber.scrub(line))}\n`);
    options.afterWrite?.();
  };
  return {
    error: (line) => write('error: ', line),
    warn: (line) => write('warning: ', line),
    info: (line) => {
      if (!options.quiet) write('', line);
    },
    verbose: (line) => {
      if (options.verbose || options.debug) write('', line);
    },
    debug: (line) => {
      if (options.debug) write('debug: ', line);
    },
    debugEnabled: options.debug,
  };
}
