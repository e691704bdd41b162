/**
 * The glance-api simulator: public API for tests, the demo and the benchmarks, and (run directly, as
 * dist/sim.js) a command that serves a simulated fleet until stopped.
 */
import { realpathSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { runSimCli } from './cli.js';

export { SimCatalog, type SimImage, type SimImageStatus, type NewSimImage } from './catalog.js';
export { startSimNode, type SimNode, type SimNodeOptions, type SimFlavor, type SimRelease, type SimTokens, type SimRequest } from './node.js';
export { startSimFleet, type SimFleet, type SimFleetOptions } from './fleet.js';
export type { SimFaults } from './faults.js';
export type { SimCacheEntry, CacheDriver } from './node-cache.js';

// Importing this module must start nothing: only running the file itself does.
if (isMainModule(process.argv[1])) {
  runSimCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    async writeFileAtomic(path, text) {
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, text);
      await rename(temporary, path);
    },
    stopped: () =>
      new Promise((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      }),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`sim: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

/** Node resolves symlinks for the main module, so a linked path must be resolved before comparing. */
function isMainModule(entry: string | undefined): boolean {
  if (entry === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}
