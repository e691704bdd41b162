/**
 * A spinner on stderr while nodes answer; a no-op unless stderr is a terminal (io.spinner), so cron logs
 * and pipes never see control sequences. ora is loaded only when a spinner will be shown.
 */
import type { OutStream } from './io.js';

export interface Progress {
  start(text: string): Promise<void>;
  update(text: string): void;
  stop(): void;
  /** Hide the spinner line so a log line can be written, then show it again. */
  clearLine(): void;
  redraw(): void;
}

export function createProgress(enabled: boolean, stream: OutStream): Progress {
  let spinner: { text: string; stop(): unknown; clear(): unknown; render(): unknown; isSpinning: boolean } | undefined;
  let stopped = false;
  return {
    async start(text) {
      if (!enabled || spinner) return;
      // A command may show several phases in turn; only a stop() during this import cancels this start.
      stopped = false;
      const { default: ora } = await import('ora');
      if (stopped) return;
      spinner = ora({ text, stream: stream as NodeJS.WritableStream, discardStdin: false, hideCursor: true }).start();
    },
    update(text) {
      if (spinner) spinner.text = text;
    },
    stop() {
      stopped = true;
      spinner?.stop();
      spinner = undefined;
    },
    clearLine() {
      if (spinner?.isSpinning) spinner.clear();
    },
    redraw() {
      if (spinner?.isSpinning) spinner.render();
    },
  };
}
