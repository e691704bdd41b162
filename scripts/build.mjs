// Bundles the CLI so that start-up reads one file instead of hundreds of modules.
// The CLI is one CommonJS file (dist/main.cjs): bin/ compiles it through vm.Script with a V8 code cache,
// which Node 20 offers for scripts but not for ES modules (module.enableCompileCache is Node 22), and
// which takes ~50 ms off every run (bench/RESULTS.md). Its heavy parts (tables, spinner, YAML, config
// search) still only run when used: esbuild wraps each lazily-imported module in a function.
// Completion, the simulator and the decoding thread stay ES modules sharing chunks.
import { build } from 'esbuild';
import { readFileSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// Build beside dist/ and swap it in, so a CLI run (or a second build) never sees a half-written dist/.
const dist = fileURLToPath(new URL('../dist', import.meta.url));
const staging = `${dist}.${process.pid}.tmp`;
rmSync(staging, { recursive: true, force: true });
const common = {
  outdir: staging,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  define: { __GLANCE_CACHE_VERSION__: JSON.stringify(pkg.version) },
  // cosmiconfig can load TypeScript configs through an optional typescript import; we never need it.
  external: ['typescript'],
  logLevel: 'warning',
};
await build({
  ...common,
  entryPoints: { main: 'src/entry.ts' },
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  // The sources locate files beside themselves (the decoding thread's script) with import.meta.url.
  define: { ...common.define, 'import.meta.url': '__gcModuleUrl' },
  banner: { js: "const __gcModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
await build({
  ...common,
  entryPoints: { complete: 'src/complete/entry.ts', sim: 'src/sim/index.ts', 'decode-worker': 'src/glance/decode-worker.ts' },
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
