/**
 * completions/ and man/ are committed: regenerating them from the command tree must give the same bytes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../../src/cli/generate/index.js';
import { SHELLS } from '../../../src/cli/generate/shells.js';
import { PROGRAM } from '../../../src/cli/tree.js';

const root = new URL('../../../', import.meta.url);
const version = (JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string }).version;

describe('generated files', () => {
  const files = generatedFiles(PROGRAM, version, SHELLS);

  it('cover the three shells and the man page', () => {
    expect(Object.keys(files).sort()).toEqual(['completions/_glance-cache', 'completions/glance-cache.bash', 'completions/glance-cache.fish', 'man/glance-cache.1']);
  });

  it.each(Object.keys(files))('%s is fresh', (path) => {
    let committed: string;
    try {
      committed = readFileSync(new URL(path, root), 'utf8');
    } catch {
      throw new Error(`${path} is missing: run npm run gen`);
    }
    if (committed !== files[path]) throw new Error(`${path} is stale (the command tree changed): run npm run gen`);
  });
});
