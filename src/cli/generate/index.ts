/**
 * Every file generated from the command tree, by path: what `npm run gen` writes and what the staleness
 * test compares with the committed copies.
 */
import type { ProgramSpec } from '../spec.js';
import type { SHELLS } from '../tree.js';
import { bashScript } from './bash.js';
import { fishScript } from './fish.js';
import { manPage } from './man.js';
import { completionModel } from './model.js';
import { zshScript } from './zsh.js';

export type Shell = (typeof SHELLS)[number];

export function completionScript(shell: Shell, program: ProgramSpec): string {
  const model = completionModel(program);
  switch (shell) {
    case 'bash':
      return bashScript(model);
    case 'zsh':
      return zshScript(model);
    case 'fish':
      return fishScript(model);
  }
}

/** Where each shell looks for a completion file named after the command. */
export function completionFileName(shell: Shell, program: string): string {
  return { bash: `${program}.bash`, zsh: `_${program}`, fish: `${program}.fish` }[shell];
}

export function generatedFiles(program: ProgramSpec, version: string, shells: readonly Shell[]): Record<string, string> {
  return {
    ...Object.fromEntries(shells.map((shell) => [`completions/${completionFileName(shell, program.name)}`, completionScript(shell, program)])),
    [`man/${program.name}.1`]: manPage(program, version),
  };
}
