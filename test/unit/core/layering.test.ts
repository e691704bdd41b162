/**
 * The pure core takes data and returns data (docs/architecture.md, "Layers"): it imports nothing from the
 * layers that do I/O or speak to a terminal, so any of them can use it and it can be tested with plain values.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CORE = join(import.meta.dirname, '../../../src/core');
const FORBIDDEN = ['glance', 'http', 'output', 'cli', 'fleet', 'auth', 'inventory'];
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;

/** Every module specifier of a file, static imports, re-exports and dynamic imports alike. */
function specifiers(source: string): string[] {
  return [...source.matchAll(SPECIFIER)].map((match) => match[1]!);
}

describe('src/core', () => {
  it('imports nothing from glance, http, output, cli, fleet, auth or inventory', () => {
    const files = readdirSync(CORE).filter((name) => name.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(10);
    const offending = files.flatMap((name) =>
      specifiers(readFileSync(join(CORE, name), 'utf8'))
        .filter((specifier) => FORBIDDEN.some((folder) => specifier.startsWith(`../${folder}/`)))
        .map((specifier) => `${name}: ${specifier}`),
    );
    expect(offending).toEqual([]);
  });

  it('finds static, type-only, re-exported and dynamic imports', () => {
    const source = "import type { A } from '../glance/x.js';\nexport { B } from '../http/y.js';\nconst c = await import('../output/z.js');\nimport './model.js';";
    expect(specifiers(source)).toEqual(['../glance/x.js', '../http/y.js', '../output/z.js', './model.js']);
  });
});
