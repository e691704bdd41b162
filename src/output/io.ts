/**
 * The terminal as commands see it: injected, so tests can pose as a TTY or a pipe.
 */
export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean | undefined;
  columns?: number | undefined;
  /** True once the reader has gone (EPIPE: `… | head -c 10`); what is written after that is dropped. */
  readonly closed?: boolean | undefined;
}

export type ColourMode = 'auto' | 'always' | 'never';

export interface IO {
  stdout: OutStream;
  stderr: OutStream;
  /** Whether a human can answer a prompt: stdin and stderr are both terminals. */
  interactive: boolean;
  colour: boolean;
  /** The live line on stderr (spinner, progress): see liveLineEnabled. */
  spinner: boolean;
  /** Asks a yes/no question on the terminal; false on anything but yes. */
  confirm(question: string): Promise<boolean>;
}

/** NO_COLOR (no-color.org) and CLICOLOR/CLICOLOR_FORCE (bixense.com/clicolors), flag first. */
export function colourEnabled(mode: ColourMode, env: Record<string, string | undefined>, stream: OutStream): boolean {
  if (mode !== 'auto') return mode === 'always';
  if (env.NO_COLOR) return false;
  if (env.CLICOLOR_FORCE && env.CLICOLOR_FORCE !== '0') return true;
  if (env.CLICOLOR === '0') return false;
  if (env.TERM === 'dumb') return false;
  return Boolean(stream.isTTY);
}

/**
 * The spinner and the progress line redraw one stderr line in place: only on a terminal that reports its
 * width (a bare pty reports none, and ora would clear lines forever) and is not TERM=dumb, and, as the
 * project's output rule has it, not under NO_COLOR unless --color always says otherwise (--color never
 * only takes the colour away). -q asks for silence and --debug for every line as written. Where no line
 * is redrawn on a terminal, a long write prints a plain progress line now and then (progress-line.ts).
 */
export function liveLineEnabled(env: Record<string, string | undefined>, stderr: OutStream, flags: { quiet: boolean; debug: boolean; colour: ColourMode }): boolean {
  if (!stderr.isTTY || (stderr.columns ?? 0) <= 0 || env.TERM === 'dumb') return false;
  if (env.NO_COLOR && flags.colour !== 'always') return false;
  return !flags.quiet && !flags.debug;
}
