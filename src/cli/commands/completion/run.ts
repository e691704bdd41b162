import { ExitCode, UsageError } from '../../../errors.js';
import type { CommandContext } from '../../context.js';
import { emitText } from '../../emit.js';
import { completionScript } from '../../generate/completion.js';
import { SHELLS, type Shell } from '../../generate/shells.js';
import type { ProgramSpec } from '../../spec.js';

/** `program` is the whole tree, handed in by the tree itself (see spec.ts). */
export async function runCompletion(context: CommandContext, args: string[], program: ProgramSpec): Promise<number> {
  const shell = args[0] ?? '';
  if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`completion: unknown shell '${shell}'; choose from ${SHELLS.join(', ')}`);
  emitText(context, completionScript(shell as Shell, program));
  return ExitCode.ok;
}
