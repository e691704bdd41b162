/**
 * Tests that run the built bin build it first (once per test file), so a plain `vitest run` works
 * from a clean checkout.
 */
import { execFileSync } from 'node:child_process';

export function buildDist(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit', cwd: new URL('../..', import.meta.url).pathname });
}
