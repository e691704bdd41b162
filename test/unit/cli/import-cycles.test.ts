/**
 * No module of src/ reaches itself again through run-time imports (static or dynamic; `import type` is
 * erased and does not count): a circle makes load order matter and hides which layer owns what.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../../src');
const RUNTIME_IMPORT = /^(?:import|export)\s+(?!type\b)[^'"]*?from\s*['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/gm;

function sources(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(folder, entry.name)) : entry.name.endsWith('.ts') ? [join(folder, entry.name)] : [],
  );
}

function importsOf(file: string, source: string): string[] {
  return [...source.matchAll(RUNTIME_IMPORT)].map((match) => resolve(dirname(file), (match[1] ?? match[2])!).replace(/\.js$/, '.ts'));
}

/** Each circle once, as the path that closes it. */
function circles(graph: Map<string, string[]>): string[][] {
  const open = new Set<string>();
  const done = new Set<string>();
  const path: string[] = [];
  const found: string[][] = [];
  const visit = (file: string) => {
    open.add(file);
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (open.has(next)) found.push([...path.slice(path.indexOf(next)), next]);
      else if (!done.has(next)) visit(next);
    }
    path.pop();
    open.delete(file);
    done.add(file);
  };
  for (const file of graph.keys()) if (!done.has(file)) visit(file);
  return found;
}

describe('imports in src/', () => {
  it('form no circle', () => {
    const files = sources(SRC);
    const graph = new Map(files.map((file) => [file, importsOf(file, readFileSync(file, 'utf8'))]));
    expect(circles(graph).map((circle) => circle.map((file) => relative(SRC, file)).join(' -> '))).toEqual([]);
  });

  it('sees a circle closed by a dynamic import, and not one made of type-only imports', () => {
    const graph = (imports: Record<string, string>) => new Map(Object.entries(imports).map(([file, source]) => [resolve(SRC, file), importsOf(resolve(SRC, file), source)]));
    expect(circles(graph({ 'a.ts': "import { b } from './b.js';", 'b.ts': "const c = await import('./a.js');" }))).toHaveLength(1);
    expect(circles(graph({ 'a.ts': "import { b } from './b.js';", 'b.ts': "import type { A } from './a.js';" }))).toEqual([]);
  });
});
