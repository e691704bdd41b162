/**
 * The real process as MainDeps: streams, environment, clock, and Ctrl-C/SIGTERM turned into an abort.
 */
import { homedir } from 'node:os';
import { createInterface } from 'node:readline/promises';
import type { MainDeps } from './main.js';

export interface ProcessBinding {
  deps: MainDeps;
  /** Stops listening for signals once main() has returned. */
  dispose(): void;
}

/** onSecondInterrupt ends the process: on a second Ctrl-C, or on a third while a command holds the second. */
export function bindProcess(onSecondInterrupt: () => void): ProcessBinding {
  const controller = new AbortController();
  const quit = new AbortController();
  let holds = 0;
  const interrupt = () => {
    if (!controller.signal.aborted) controller.abort(new Error('interrupted'));
    else if (holds > 0 && !quit.signal.aborted) quit.abort(new Error('interrupted twice'));
    else onSecondInterrupt();
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  // The reader of a pipe left (`prune … | head -c 10`). The run goes on to its end without its output, so
  // that a prune still writes its summary and metrics and releases its lock; bin/ no longer exits on EPIPE.
  let stdoutClosed = false;
  const onStdoutError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') stdoutClosed = true;
  };
  process.stdout.on('error', onStdoutError);
  const stdout: MainDeps['stdout'] = {
    write: (text) => stdoutClosed || process.stdout.write(text),
    get isTTY() {
      return process.stdout.isTTY;
    },
    get columns() {
      return process.stdout.columns;
    },
    get closed() {
      return stdoutClosed;
    },
  };
  const deps: MainDeps = {
    stdout,
    stderr: process.stderr,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    env: process.env,
    cwd: process.cwd(),
    home: homedir(),
    now: () => performance.timeOrigin + performance.now(),
    signal: controller.signal,
    quit: {
      signal: quit.signal,
      hold() {
        holds++;
        let held = true;
        return () => {
          if (held) holds--;
          held = false;
        };
      },
    },
    confirm: async (question) => {
      const prompt = createInterface({ input: process.stdin, output: process.stderr });
      try {
        const answer = await prompt.question(`${question} [y/N] `, { signal: controller.signal });
        return /^y(es)?$/i.test(answer.trim());
      } catch {
        return false;
      } finally {
        prompt.close();
      }
    },
  };
  return {
    deps,
    dispose() {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
      process.stdout.off('error', onStdoutError);
    },
  };
}
