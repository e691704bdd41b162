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
  /** Spinners only on a terminal stderr, never under NO_COLOR or when piped. */
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
