/**
 * Every file generated from the command tree, by path: what `npm run gen` writes and what the staleness
 * test compares with the committed copies.
 */
import type { ProgramSpec } from '../spec.js';
import { completionFileName, completionScript } from './completion.js';
import { manPage } from './man.js';
import type { Shell } from './shells.js';

export function generatedFiles(program: ProgramSpec, version: string, shells: readonly Shell[]): Record<string, string> {
  return {
    ...Object.fromEntries(shells.map((shell) => [`completions/${completionFileName(shell, program.name)}`, completionScript(shell, program)])),
    [`man/${program.name}.1`]: manPage(program, version),
  };
}
