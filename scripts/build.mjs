// Bundles the CLI so that start-up reads a few files instead of hundreds of modules. Heavy parts (tables,
// spinner, YAML) still only load when used: each lazily-imported module becomes its own chunk.
import { build } from 'esbuild';
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// Build beside dist/ and swap it in, so a CLI run (or a second build) never sees a half-written dist/.
const dist = fileURLToPath(new URL('../dist', import.meta.url));
const staging = `${dist}.${process.pid}.tmp`;
rmSync(staging, { recursive: true, force: true });
await build({
  outdir: staging,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  define: { __GLANCE_CACHE_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
  // cosmiconfig can load TypeScript configs through an optional typescript import; we never need it.
  external: ['typescript'],
  entryPoints: { main: 'src/entry.ts', complete: 'src/complete/entry.ts', sim: 'src/sim/index.ts', 'decode-worker': 'src/glance/decode-worker.ts' },
  splitting: true,
  format: 'esm',
  // CommonJS dependencies call require() for node built-ins; give the ESM bundle one.
  banner: { js: "import { createRequire as __gcCreateRequire } from 'node:module'; const require = __gcCreateRequire(import.meta.url);" },
});
const previous = `${dist}.${process.pid}.old`;
try {
  renameSync(dist, previous);
} catch {
  // First build: nothing to move aside.
}
renameSync(staging, dist);
rmSync(previous, { recursive: true, force: true });
