/**
 * Builds the commander program from the command tree. Parsing only: the chosen command and its values
 * are returned, and main() runs it, so parsing never has side effects beyond help and version text.
 *
 * A command's --help shows its own options, then the global ones as a few lines of flags, with a group
 * that has a help topic (the --os-* flags) folded into one line pointing at `glance-cache help <topic>`;
 * --help-all describes every option. The man page lists everything either way (generate/man.ts).
 */
import { Command, CommanderError, Help, Option, type AddHelpTextContext } from 'commander';
import { UsageError } from '../errors.js';
import type { CommandSpec, OptionGroup, OptionSet, OptionSpec, OptionValues, ProgramSpec } from './spec.js';
import { usageLine } from './usage-error.js';

export interface ParsedCommand {
  spec: CommandSpec;
  args: string[];
  /** Keyed as the spec's options are: the values spec.load()'s runner takes. */
  options: OptionValues<OptionSet>;
  globals: Record<string, unknown>;
}

export interface ProgramOutput {
  writeOut(text: string): void;
  writeErr(text: string): void;
}

const HELP_ALL = '--help-all';
const HELP_ALL_DESCRIPTION = 'show help with every option described, the global and --os-* ones too';
/** Examples --help shows at most; the man page has them all, crontab lines and systemd units too. */
const HELP_EXAMPLES = 3;
const HELP_CODES = new Set(['commander.helpDisplayed', 'commander.help', 'commander.version']);

/** Terms wider than this (--os-application-credential-secret <secret>) get a line of their own. */
const TERM_COLUMN = 30;

/** Commander's layout with the term column capped, so descriptions wrap within the width even beside long flags. */
const LAYOUT: Partial<Help> = {
  padWidth(cmd, helper) {
    return Math.min(Help.prototype.padWidth.call(this, cmd, helper), TERM_COLUMN);
  },
  formatItem(term, termWidth, description, helper) {
    // Too little room beside the terms (a 60-column terminal): commander would leave the description
    // unwrapped, wider than the screen, so it goes under the term, wrapped to the full width.
    if (description && (helper.helpWidth ?? 80) - termWidth - 4 < helper.minWidthToWrap) return `  ${term}\n${indentedText(helper, description, helper.helpWidth ?? 80)}`;
    if (!description || helper.displayWidth(term) <= termWidth) return Help.prototype.formatItem.call(this, term, termWidth, description, helper);
    return `  ${term}\n${Help.prototype.formatItem.call(this, '', termWidth, description, helper)}`;
  },
};

/** Commander knows one help flag: --help-all is --help with every option shown. Words after `--` are operands. */
export function helpRequest(argv: readonly string[]): { argv: string[]; all: boolean } {
  const end = argv.indexOf('--');
  const options = end === -1 ? argv : argv.slice(0, end);
  if (!options.includes(HELP_ALL)) return { argv: [...argv], all: false };
  return { argv: [...options.filter((arg) => arg !== HELP_ALL), '--help', ...(end === -1 ? [] : argv.slice(end))], all: true };
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

function toOption(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.defaultText ? `${spec.description} (default: ${spec.defaultText})` : spec.description);
  if (spec.choices) option.choices(spec.choices);
  if (spec.repeatable) option.argParser(collect);
  if (spec.hidden) option.hideHelp();
  return option;
}

/** A description on lines of its own, indented under its term or example. */
function indentedText(helper: Help, text: string, width: number): string {
  return helper.boxWrap(text, width - 6).replace(/^/gm, '      ');
}

/** Wrapped when help is shown, to the width commander found for the terminal (80 when piped). */
function examplesText(all: CommandSpec['examples']): (context: AddHelpTextContext) => string {
  const examples = all.filter((example) => example.file === undefined && example.cron === undefined).slice(0, HELP_EXAMPLES);
  return ({ command }) => {
    if (examples.length === 0) return '';
    const width = command.configureOutput().getOutHelpWidth?.() ?? 80;
    const helper = command.createHelp();
    return `\nExamples:\n${examples.map((example) => `  $ ${example.command}\n${indentedText(helper, example.description, width)}`).join('\n')}\n`;
  };
}

/** "-i/--inventory <path>" from "-i, --inventory <path>". */
function flagTerm(option: OptionSpec): string {
  return option.flags.replace(', ', '/');
}

/** Items joined with ", " (or words with " "), broken between items to fit `width`; later lines indented further. */
function wrapItems(head: string, items: readonly string[], width: number, joiner = ','): string[] {
  const lines: string[] = [];
  let line = `  ${head}`;
  items.forEach((item, index) => {
    const piece = index < items.length - 1 ? `${item}${joiner}` : item;
    if (line.trim().length > head.length && line.length + 1 + piece.length > width) {
      lines.push(line);
      line = `    ${piece}`;
    } else line += ` ${piece}`;
  });
  return [...lines, line];
}

function groupLines(spec: ProgramSpec, group: OptionGroup, width: number): string[] {
  const shown = group.options.filter((option) => !option.hidden);
  const first = shown[0];
  if (group.topic && first) return wrapItems(`${group.title}:`, `${flagTerm(first)} and ${shown.length - 1} more: see ${spec.name} help ${group.topic}`.split(' '), width, '');
  return wrapItems(`${group.title}:`, shown.map(flagTerm), width);
}

function globalSummary(spec: ProgramSpec, width: number): string {
  const lines = spec.globalOptionGroups.flatMap((group) => groupLines(spec, group, width));
  return [new Help().boxWrap(`Global options, before or after the command (${HELP_ALL} describes them):`, width), ...lines, ''].join('\n');
}

/** The full list of a topic's group, and what the group note says about it. */
function topicHelp(spec: ProgramSpec, group: OptionGroup, output: ProgramOutput): string {
  const topic = new Command(spec.name)
    .usage(`[${group.title.toLowerCase()} options] <command> [arguments]`)
    .description(group.note ?? '')
    .helpOption(false)
    .configureOutput({ writeOut: output.writeOut, writeErr: output.writeErr })
    .configureHelp(LAYOUT);
  for (const option of group.options) topic.addOption(toOption(option).helpGroup(`${group.title} (on every command):`));
  return topic.helpInformation();
}

/**
 * Commander's parse errors become our one-line usage error naming the command. The program itself parses
 * the global options wherever they stand, so its errors name the command word on the line, if any.
 */
function failWith(spec: ProgramSpec, command: Command, path: string, maxArgs: number | undefined) {
  return (error: CommanderError): never => {
    if (error.exitCode === 0 || HELP_CODES.has(error.code)) throw error;
    // rawArgs: commander's copy of the words it was given (public in its code, not in its typings).
    const named = path || commandWord(spec, (command as Command & { rawArgs?: string[] }).rawArgs ?? []);
    throw new UsageError(usageLine(spec.name, { code: error.code, message: error.message, command: named, args: command.args, maxArgs }));
  };
}

function commandWord(spec: ProgramSpec, words: readonly string[]): string {
  const names = new Map(spec.commands.flatMap((command) => [command.name, ...command.aliases].map((name) => [name, command.name] as const)));
  return words.map((word) => names.get(word)).find((name) => name !== undefined) ?? '';
}

export function buildProgram(spec: ProgramSpec, version: string, output: ProgramOutput, onCommand: (parsed: ParsedCommand) => void, help: { all?: boolean } = {}): Command {
  const all = help.all ?? false;
  const globalLongs = new Set(spec.globalOptionGroups.flatMap((group) => group.options.map((option) => /--[\w-]+/.exec(option.flags)?.[0])));
  const program = new Command(spec.name)
    .description(spec.description)
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    // Commander's own message would come first: the usage error thrown instead is main()'s to print.
    .configureOutput({ writeOut: output.writeOut, writeErr: output.writeErr, outputError: () => {} })
    .configureHelp({
      ...LAYOUT,
      showGlobalOptions: all,
      sortSubcommands: false,
      visibleOptions(cmd) {
        return [...Help.prototype.visibleOptions.call(this, cmd), new Option(HELP_ALL, HELP_ALL_DESCRIPTION)];
      },
      formatHelp(cmd, helper) {
        if (all) return Help.prototype.formatHelp.call(this, cmd, helper);
        // The program's own options are the global ones: its help lists them in the summary only. Not
        // in visibleOptions itself, which commander also reads for "did you mean" suggestions.
        const visibleOptions = (command: Command): Option[] => helper.visibleOptions(command).filter((option) => command.parent || !globalLongs.has(option.long));
        const compact = Object.assign(Object.create(helper) as Help, { visibleOptions });
        return `${Help.prototype.formatHelp.call(compact, cmd, compact)}\n${globalSummary(spec, helper.helpWidth ?? 80)}`;
      },
    });
  program.exitOverride(failWith(spec, program, '', 0));
  for (const group of spec.globalOptionGroups) {
    for (const optionSpec of group.options) program.addOption(toOption(optionSpec).helpGroup(`${group.title}:`));
  }
  program.addHelpText('after', examplesText(spec.examples));
  for (const commandSpec of spec.commands) {
    const command = program
      .command(commandSpec.name, { hidden: commandSpec.hidden ?? false })
      .aliases([...commandSpec.aliases])
      .summary(commandSpec.summary)
      .description(commandSpec.description)
      .showSuggestionAfterError(true);
    const variadic = commandSpec.args.some((argument) => argument.variadic);
    command.exitOverride(failWith(spec, command, commandSpec.name, variadic ? undefined : commandSpec.args.length));
    for (const argument of commandSpec.args) {
      const name = `${argument.name}${argument.variadic ? '...' : ''}`;
      command.argument(argument.required ? `<${name}>` : `[${name}]`, argument.description);
    }
    for (const [key, optionSpec] of Object.entries(commandSpec.options)) {
      const option = toOption(optionSpec);
      // Commander stores the value under this name; the runner reads it under the key.
      if (option.attributeName() !== key) throw new Error(`${commandSpec.name}: option ${optionSpec.flags} is keyed '${key}', not '${option.attributeName()}'`);
      command.addOption(option);
    }
    command.addHelpText('after', examplesText(commandSpec.examples));
    command.action((...values: unknown[]) => {
      const self = values[values.length - 1] as Command;
      const positional = values.slice(0, commandSpec.args.length).flatMap((value) => (value === undefined ? [] : Array.isArray(value) ? value.map(String) : [String(value)]));
      onCommand({ spec: commandSpec, args: positional, options: self.opts(), globals: program.opts() });
    });
  }
  addHelpCommand(spec, program, output);
  return program;
}

/** `help [command|topic]`: a command's help as its --help shows it, or a topic's options in full. */
function addHelpCommand(spec: ProgramSpec, program: Command, output: ProgramOutput): void {
  const topics = spec.globalOptionGroups.filter((group) => group.topic !== undefined);
  const help = program
    .command('help')
    .argument('[topic]', `a command, or ${topics.map((group) => group.topic).join(', ')}`)
    .summary(`show help for a command, or for ${topics.map((group) => `${group.topic} (${group.title.toLowerCase()} options)`).join(', ')}`)
    .description(`Shows a command's help, or the options of a topic in full: ${topics.map((group) => group.topic).join(', ')}.`);
  help.exitOverride(failWith(spec, help, 'help', 1));
  help.action((name: string | undefined) => {
    if (name === undefined) program.help();
    const group = topics.find((candidate) => candidate.topic === name);
    if (group) {
      output.writeOut(topicHelp(spec, group, output));
      throw new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)');
    }
    const command = program.commands.find((candidate) => candidate !== help && (candidate.name() === name || candidate.aliases().includes(name)));
    if (command) command.help();
    const known = [...spec.commands.filter((candidate) => !candidate.hidden).map((candidate) => candidate.name), ...topics.map((candidate) => candidate.topic)];
    throw new UsageError(`help: no command or topic '${name}'; one of ${known.join(', ')}`);
  });
}
