/**
 * Runs main() in-process with fake streams: the same code path as bin/, minus the real process.
 */
import { main, type MainDeps } from '../../src/main.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  tty?: boolean;
  stderrTty?: boolean;
  signal?: AbortSignal;
  cwd?: string;
  home?: string;
  answer?: boolean;
  /** Answers the confirmation prompt instead of `answer`, and sees its question. */
  confirm?: (question: string) => Promise<boolean>;
  now?: () => number;
}

export function fakeStream(isTTY: boolean): { write(text: string): boolean; isTTY: boolean; text(): string } {
  let buffer = '';
  return {
    isTTY,
    write(text: string) {
      buffer += text;
      return true;
    },
    text: () => buffer,
  };
}

export async function runCli(argv: string[], options: CliOptions = {}): Promise<CliRun> {
  const stdout = fakeStream(options.tty ?? false);
  const stderr = fakeStream(options.stderrTty ?? options.tty ?? false);
  const deps: MainDeps = {
    stdout,
    stderr,
    stdinIsTTY: options.tty ?? false,
    env: { NO_COLOR: '1', ...options.env },
    cwd: options.cwd ?? '/nonexistent-cwd',
    home: options.home ?? '/nonexistent-home',
    now: options.now ?? (() => Date.now()),
    signal: options.signal ?? new AbortController().signal,
    confirm: options.confirm ?? (async () => options.answer ?? false),
  };
  const code = await main(argv, deps);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
