// `npm run gen`: writes the files generated from the command tree (completions/ and man/). They are
// committed, so installs and builds never need this script; test/unit/generate fails when they are stale.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// Inside node_modules, so the bundle's imports of dependencies resolve as they do from src/.
const bundle = join(root, 'node_modules/.cache/glance-cache-gen.mjs');
mkdirSync(dirname(bundle), { recursive: true });
await build({
  stdin: {
    contents: "export { generatedFiles } from './src/cli/generate/index.ts'; export { SHELLS } from './src/cli/generate/shells.ts'; export { PROGRAM } from './src/cli/tree.ts';",
    resolveDir: root,
    loader: 'ts',
  },
  outfile: bundle,
  bundle: true,
  format: 'esm',
  platform: 'node',
  packages: 'external',
  logLevel: 'warning',
});
try {
  const { generatedFiles, PROGRAM, SHELLS } = await import(pathToFileURL(bundle).href);
  for (const [path, content] of Object.entries(generatedFiles(PROGRAM, pkg.version, SHELLS))) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
    process.stdout.write(`wrote ${path}\n`);
  }
} finally {
  rmSync(bundle, { force: true });
}
