/**
 * The completion scripts, the part of the generators the run-time `completion` command needs: the man
 * page generator stays out of its bundle chunk.
 */
import type { ProgramSpec } from '../spec.js';
import { bashScript } from './bash.js';
import { fishScript } from './fish.js';
import { completionModel } from './model.js';
import type { Shell } from './shells.js';
import { zshScript } from './zsh.js';

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
