/**
 * Parses a command line through the real command tree, as main() does, and hands back the values the
 * command's runner would receive, typed by its spec: the per-command option tests (as gh's TestNewCmd*).
 */
import { buildProgram, type ParsedCommand } from '../../src/cli/program.js';
import type { CommandSpec, OptionSet, OptionValues } from '../../src/cli/spec.js';
import { PROGRAM } from '../../src/cli/tree.js';

export interface Parsed<O extends OptionSet> {
  args: string[];
  options: OptionValues<O>;
}

/** Throws the usage error for a command line commander refuses (main() prints it and exits 2). */
export function parseCommand<O extends OptionSet>(spec: CommandSpec<O>, argv: readonly string[]): Parsed<O> {
  let parsed: ParsedCommand | undefined;
  const program = buildProgram(PROGRAM, '0.0.0-test', { writeOut: () => {}, writeErr: () => {} }, (command) => {
    parsed = command;
  });
  program.parse([...argv], { from: 'user' });
  if (parsed?.spec.name !== spec.name) throw new Error(`${argv.join(' ')} runs ${parsed?.spec.name ?? 'no command'}, not ${spec.name}`);
  // The values came from this spec's own options: program.ts keys each under its name in the spec.
  return { args: parsed.args, options: parsed.options as OptionValues<O> };
}
