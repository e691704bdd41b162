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

/** importModule: bin's own import(), which the bundle cannot use itself (see bin/glance-cache.js). */
export function bindProcess(onSecondInterrupt: () => void, importModule: MainDeps['importModule']): ProcessBinding {
  const controller = new AbortController();
  const interrupt = () => {
    if (controller.signal.aborted) onSecondInterrupt();
    else controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  const deps: MainDeps = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    env: process.env,
    cwd: process.cwd(),
    home: homedir(),
    now: () => performance.timeOrigin + performance.now(),
    signal: controller.signal,
    importModule,
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
    },
  };
}
