/**
 * A spinner on stderr while nodes answer; a no-op unless a live line may be drawn (io.spinner:
 * liveLineEnabled), so cron logs and pipes see no control sequences; cyan only where stderr gets colour
 * (not under NO_COLOR or --color never). ora is loaded only when a spinner will be shown.
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

export function createProgress(enabled: boolean, stream: OutStream, colour: boolean): Progress {
  let spinner: { text: string; stop(): unknown; clear(): unknown; render(): unknown; isSpinning: boolean } | undefined;
  let stopped = false;
  return {
    async start(text) {
      if (!enabled || spinner) return;
      // A command may show several phases in turn; only a stop() during this import cancels this start.
      stopped = false;
      const { default: ora } = await import('ora');
      if (stopped) return;
      const created = ora({ text, stream: stream as NodeJS.WritableStream, discardStdin: false, hideCursor: true, color: false });
      // ora would colour its frames by its own guess from stdout: the colour is decided for stderr here.
      const { interval, frames } = created.spinner;
      if (colour) created.spinner = { interval, frames: frames.map((frame) => `\u001b[36m${frame}\u001b[39m`) };
      spinner = created.start();
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
