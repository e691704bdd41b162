/**
 * vitest globalSetup: the end-to-end tests run the built bin, so build it once per run.
 */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit', cwd: new URL('..', import.meta.url).pathname });
}
