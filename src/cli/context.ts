/**
 * Everything a command may touch, passed in: terminal, environment, clock, cancellation.
 * Tests build one with fake streams; bin/ builds one from the real process.
 */
import type { SecretScrubber } from '../http/redact.js';
import type { IO } from '../output/io.js';
import type { Logger } from '../output/log.js';
import type { Progress } from '../output/progress.js';
import type { GlobalOptions } from './globals.js';

export interface CommandContext {
  io: IO;
  log: Logger;
  progress: Progress;
  scrubber: SecretScrubber;
  globals: GlobalOptions;
  env: Record<string, string | undefined>;
  cwd: string;
  home: string;
  now: () => number;
  /** Aborted on Ctrl-C / SIGTERM: commands stop starting work and report what completed. */
  signal: AbortSignal;
  /** A second Ctrl-C / SIGTERM, for the command that holds it; absent where no process sends one. */
  quit?: SecondInterrupt | undefined;
}

/**
 * Without a hold, a second Ctrl-C ends the process at once. A command that can cut what is in flight and
 * still leave its report (prune: outcome, summary, metrics, lock) holds it while it runs: the second Ctrl-C
 * then aborts `signal`, and only a third ends the process at once.
 */
export interface SecondInterrupt {
  readonly signal: AbortSignal;
  /** Returns the release. */
  hold(): () => void;
}
