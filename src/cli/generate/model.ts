/**
 * The command tree as the completion generators see it: every command with its aliases, options and
 * arguments, each value with what TAB offers for it. Commander's own -h/-V options are added here,
 * since commander, not the tree, declares them.
 */
import { completableColumns, longFlag, shortFlag, takesValue, type ArgumentSpec, type Completer, type OptionSpec, type ProgramSpec } from '../spec.js';
import { SHELLS } from './shells.js';

/** What TAB offers for a value: fixed words, a dynamic list from `glance-cache __complete`, file names, or nothing. */
export type ValueCompletion =
  | { kind: 'choices'; words: readonly string[] }
  | { kind: 'dynamic'; source: 'nodes' | 'images' | 'labels' }
  | { kind: 'files' }
  | { kind: 'free' };

export interface CompletionOption {
  short?: string | undefined;
  long: string;
  description: string;
  repeatable: boolean;
  /** Undefined for a flag that takes no value. */
  value?: { name: string; completion: ValueCompletion } | undefined;
  /** A global option naming columns (-c): its values depend on the command (CompletionCommand.columnOptions). */
  columns?: true | undefined;
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
  /** The global column options (-c, --sort-column) with this command's columns as their values; none when it has no columns. */
  columnOptions: CompletionOption[];
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
const HELP_ALL: CompletionOption = { long: '--help-all', description: 'show help with every option described', repeatable: false };
const VERSION: CompletionOption = { short: '-V', long: '--version', description: 'print the version', repeatable: false };

/** Every word a generator writes into a script unquoted: anything else in the tree is a mistake to catch here. */
const PLAIN_WORD = /^[A-Za-z0-9@%+,./:=_-]+$/;

export function completionModel(program: ProgramSpec): CompletionModel {
  const shown = program.commands.filter((command) => !command.hidden);
  const globalSpecs = program.globalOptionGroups.flatMap((group) => group.options).filter((option) => !option.hidden);
  // Before a command, a column option offers every command's columns.
  const everyColumn = [...new Set(shown.flatMap(completableColumns))];
  const globals = globalSpecs.map((option) => toOption(option, everyColumn));
  const columnSpecs = globalSpecs.filter((option) => option.complete === 'columns');
  return {
    program: plain(program.name),
    globals: [...globals, HELP, HELP_ALL],
    programOnly: [VERSION],
    commands: [
      ...shown.map((command) => {
        const columns = completableColumns(command);
        return {
          name: plain(command.name),
          aliases: command.aliases.map(plain),
          summary: command.summary,
          options: Object.values(command.options).filter((option) => !option.hidden).map((option) => toOption(option, [])),
          columnOptions: columns.length ? columnSpecs.map((option) => toOption(option, columns)) : [],
          args: command.args.map(toArgument),
        };
      }),
      helpCommand(program, shown.map((command) => command.name)),
    ],
  };
}

/** program.ts's `help [topic]`: a command's help, or a topic's (an option group with `topic`). */
function helpCommand(program: ProgramSpec, commands: readonly string[]): CompletionCommand {
  const topics = program.globalOptionGroups.flatMap((group) => (group.topic ? [group.topic] : []));
  return {
    name: 'help',
    aliases: [],
    summary: `show help for a command${topics.length ? `, or for ${topics.join(', ')}` : ''}`,
    options: [],
    columnOptions: [],
    args: [{ name: 'topic', description: 'a command or a help topic', required: false, variadic: false, completion: { kind: 'choices', words: [...commands, ...topics].map(plain) } }],
  };
}

/** columns: what a column option (complete: 'columns') offers here. */
function toOption(option: OptionSpec, columns: readonly string[]): CompletionOption {
  const short = shortFlag(option);
  const isColumns = option.complete === 'columns';
  return {
    short: short === undefined ? undefined : plain(short),
    long: plain(longFlag(option)),
    description: option.description,
    repeatable: option.repeatable ?? false,
    value: takesValue(option) ? { name: /[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1] ?? 'value', completion: isColumns ? { kind: 'choices', words: columns.map(plain) } : valueCompletion(option.complete, option.choices) } : undefined,
    columns: isColumns ? true : undefined,
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
    case 'labels':
      return { kind: 'dynamic', source: completer };
    case 'files':
      return { kind: 'files' };
    case 'shells':
      return { kind: 'choices', words: SHELLS };
    case 'columns':
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
