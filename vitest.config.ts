import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    // Bins spawned by tests remember images for completion: keep that out of the developer's ~/.cache.
    env: { XDG_CACHE_HOME: join(tmpdir(), 'glance-cache-test-cache') },
    hookTimeout: 180_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/contract/sim.*.test.ts', 'test/e2e/**/*.test.ts', 'test/faults/**/*.test.ts', 'test/security/**/*.test.ts'] },
      },
      {
        // One real fleet is shared by every file here: files run one at a time so their changes don't cross.
        extends: true,
        test: { name: 'real', include: ['test/real/**/*.test.ts', 'test/contract/real.*.test.ts'], fileParallelism: false },
      },
    ],
  },
});
