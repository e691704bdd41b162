import { ExitCode, UsageError } from '../../errors.js';
import type { CommandContext } from '../context.js';
import { completionScript, type Shell } from '../generate/index.js';
import { PROGRAM, SHELLS } from '../tree.js';

export async function runCompletion(context: CommandContext, args: string[]): Promise<number> {
  const shell = args[0] ?? '';
  if (!(SHELLS as readonly string[]).includes(shell)) throw new UsageError(`completion: unknown shell '${shell}'; choose from ${SHELLS.join(', ')}`);
  context.io.stdout.write(completionScript(shell as Shell, PROGRAM));
  return ExitCode.ok;
}
