/**
 * The command tree as the completion generators see it: every command with its aliases, options and
 * arguments, each value with what TAB offers for it. Commander's own -h/-V options are added here,
 * since commander, not the tree, declares them.
 */
import { longFlag, shortFlag, takesValue, type ArgumentSpec, type Completer, type OptionSpec, type ProgramSpec } from '../spec.js';
import { SHELLS } from './shells.js';

/** What TAB offers for a value: fixed words, a dynamic list from `glance-cache __complete`, file names, or nothing. */
export type ValueCompletion =
  | { kind: 'choices'; words: readonly string[] }
  | { kind: 'dynamic'; source: 'nodes' | 'images' }
  | { kind: 'files' }
  | { kind: 'free' };

export interface CompletionOption {
  short?: string | undefined;
  long: string;
  description: string;
  repeatable: boolean;
  /** Undefined for a flag that takes no value. */
  value?: { name: string; completion: ValueCompletion } | undefined;
}

export interface CompletionArgument {
  name: string;
  description: string;
  required: boolean;
  variadic: boolean;
  completion: ValueCompletion;
}

export interface CompletionCommand {
  name: string;
  aliases: readonly string[];
  summary: string;
  options: CompletionOption[];
  args: CompletionArgument[];
}

export interface CompletionModel {
  program: string;
  /** Valid before and after the command. */
  globals: CompletionOption[];
  /** Valid only before a command. */
  programOnly: CompletionOption[];
  commands: CompletionCommand[];
}

const HELP: CompletionOption = { short: '-h', long: '--help', description: 'show help', repeatable: false };
const VERSION: CompletionOption = { short: '-V', long: '--version', description: 'print the version', repeatable: false };

/** Every word a generator writes into a script unquoted: anything else in the tree is a mistake to catch here. */
const PLAIN_WORD = /^[A-Za-z0-9@%+,./:=_-]+$/;

export function completionModel(program: ProgramSpec): CompletionModel {
  const globals = program.globalOptionGroups.flatMap((group) => group.options).filter((option) => !option.hidden).map(toOption);
  return {
    program: plain(program.name),
    globals: [...globals, HELP],
    programOnly: [VERSION],
    commands: program.commands
      .filter((command) => !command.hidden)
      .map((command) => ({
        name: plain(command.name),
        aliases: command.aliases.map(plain),
        summary: command.summary,
        options: Object.values(command.options).filter((option) => !option.hidden).map(toOption),
        args: command.args.map(toArgument),
      })),
  };
}

function toOption(option: OptionSpec): CompletionOption {
  const short = shortFlag(option);
  return {
    short: short === undefined ? undefined : plain(short),
    long: plain(longFlag(option)),
    description: option.description,
    repeatable: option.repeatable ?? false,
    value: takesValue(option) ? { name: /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1] ?? 'value', completion: valueCompletion(option.complete, option.choices) } : undefined,
  };
}

function toArgument(argument: ArgumentSpec): CompletionArgument {
  return { name: argument.name, description: argument.description, required: argument.required, variadic: argument.variadic, completion: valueCompletion(argument.complete, undefined) };
}

function valueCompletion(completer: Completer | undefined, choices: readonly string[] | undefined): ValueCompletion {
  if (choices) return { kind: 'choices', words: choices.map(plain) };
  switch (completer) {
    case 'nodes':
    case 'images':
      return { kind: 'dynamic', source: completer };
    case 'files':
      return { kind: 'files' };
    case 'shells':
      return { kind: 'choices', words: SHELLS };
    case undefined:
      return { kind: 'free' };
  }
}

function plain(word: string): string {
  if (!PLAIN_WORD.test(word)) throw new Error(`command tree: ${JSON.stringify(word)} cannot be written into a completion script unquoted`);
  return word;
}

/** The flags of an option: ['-n', '--nodes'] or ['--json']. */
export function flagsOf(option: CompletionOption): string[] {
  return option.short ? [option.short, option.long] : [option.long];
}
