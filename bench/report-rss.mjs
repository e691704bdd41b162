// Preloaded into a measured CLI run (NODE_OPTIONS=--import): reports the process's peak RSS on fd 3.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  try {
    writeSync(3, `${process.resourceUsage().maxRSS}\n`);
  } catch {
    // fd 3 is only open when the benchmark asked for the figure.
  }
});
