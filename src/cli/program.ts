/**
 * Builds the commander program from the command tree. Parsing only: the chosen command and its values
 * are returned, and main() runs it, so parsing never has side effects beyond help and version text.
 */
import { Command, Option } from 'commander';
import type { CommandSpec, OptionSet, OptionSpec, OptionValues, ProgramSpec } from './spec.js';

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

function examplesText(all: CommandSpec['examples']): string {
  const examples = all.filter((example) => example.file === undefined);
  if (examples.length === 0) return '';
  return `\nExamples:\n${examples.map((example) => `  $ ${example.command}\n      ${example.description}`).join('\n')}\n`;
}

export function buildProgram(spec: ProgramSpec, version: string, output: ProgramOutput, onCommand: (parsed: ParsedCommand) => void): Command {
  const program = new Command(spec.name)
    .description(spec.description)
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: output.writeOut, writeErr: output.writeErr })
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false });
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
      .exitOverride()
      .configureOutput({ writeOut: output.writeOut, writeErr: output.writeErr })
      .showSuggestionAfterError(true);
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
  return program;
}
