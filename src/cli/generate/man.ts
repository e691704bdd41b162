/**
 * The man page (roff, man macros), generated from the command tree: every command and flag, the
 * environment, files, exit codes and examples, with the examples that carry a schedule as crontab lines.
 */
import { longFlag, shortFlag, takesValue, type Example, type OptionSpec, type ProgramSpec } from '../spec.js';

export function manPage(program: ProgramSpec, version: string): string {
  const name = program.name;
  const commands = program.commands.filter((command) => !command.hidden);
  const builtins: OptionSpec[] = [
    { flags: '-h, --help', description: 'show help (also after a command: its options, the global ones in brief, and examples)' },
    { flags: '--help-all', description: 'show help with every option described, the global and authentication ones too' },
    { flags: '-V, --version', description: 'print the version' },
  ];
  const allExamples = [...program.examples, ...commands.flatMap((command) => command.examples)];
  const cron = allExamples.filter((example): example is Example & { cron: string } => example.cron !== undefined);
  const units = allExamples.filter((example): example is Example & { file: string } => example.file !== undefined);
  const out: string[] = [
    `.TH ${text(name.toUpperCase())} 1 "" "${text(`${name} ${version}`)}" "User Commands"`,
    '.SH NAME',
    `${text(name)} \\- ${text(program.summary)}`,
    '.SH SYNOPSIS',
    `.B ${text(name)}`,
    '[\\fIoptions\\fR] \\fIcommand\\fR [\\fIcommand options\\fR] [\\fIarguments\\fR]',
    '.SH DESCRIPTION',
    text(program.description),
    '.PP',
    `Global options may be given before or after the command. \\fB${text(name)} \\fIcommand\\fB \\-\\-help\\fR shows one command's options.`,
    ...program.globalOptionGroups.flatMap((group) => (group.topic ? [`\\fB${text(name)} help ${text(group.topic)}\\fR lists the ${text(group.title.toLowerCase())} options and how they combine.`] : [])),
    '.SH COMMANDS',
  ];
  for (const command of commands) {
    const usage = [command.name, ...command.args.map((argument) => {
      const word = `\\fI${text(argument.name)}\\fR${argument.variadic ? '...' : ''}`;
      return argument.required ? word : `[${word}]`;
    })].join(' ');
    const aliases = command.aliases.length ? ` (alias: ${command.aliases.map((alias) => `\\fB${text(alias)}\\fR`).join(', ')})` : '';
    out.push(`.SS "${text(command.name)}"`, `\\fB${text(name)}\\fR ${usage.replace(command.name, `\\fB${text(command.name)}\\fR`)}${aliases}`, '.PP', text(command.description));
    for (const argument of command.args) out.push('.TP', `\\fI${text(argument.name)}\\fR`, text(argument.description));
    for (const option of Object.values(command.options).filter((candidate) => !candidate.hidden)) out.push(...optionEntry(option));
  }
  out.push('.SH OPTIONS');
  for (const group of [{ title: 'General', options: builtins }, ...program.globalOptionGroups]) {
    out.push(`.SS "${text(group.title)}"`);
    if (group.note) out.push(text(group.note));
    for (const option of group.options.filter((candidate) => !candidate.hidden)) out.push(...optionEntry(option));
  }
  out.push('.SH ENVIRONMENT');
  for (const variable of program.environment) out.push('.TP', `.B ${text(variable.name)}`, text(variable.description));
  out.push('.SH FILES');
  for (const file of program.files) out.push('.TP', `.I ${text(file.path)}`, text(file.description));
  out.push('.SH "EXIT STATUS"');
  for (const exit of program.exitCodes) out.push('.TP', `.B ${exit.code}`, text(exit.description));
  out.push('.SH EXAMPLES');
  for (const example of allExamples.filter((candidate) => candidate.file === undefined)) out.push('.PP', `${text(capitalise(example.description))}:`, '.PP', '.RS 4', '.EX', code(example.command), '.EE', '.RE');
  if (cron.length) {
    out.push('.SS "From cron"', `Lines for a crontab (\\fBcrontab \\-e\\fR); ${text(name)} needs no terminal, never asks, and its exit status tells the scheduler what happened.`);
    for (const example of cron) out.push('.PP', `${text(capitalise(example.description))}:`, '.PP', '.RS 4', '.EX', code(`${example.cron}  ${example.command}`), '.EE', '.RE');
  }
  if (units.length) {
    out.push('.SS "From systemd"');
    for (const unit of units) {
      out.push('.PP', `${text(capitalise(unit.description))}, \\fI${text(unit.file)}\\fR:`, '.PP', '.RS 4', '.EX', ...unit.command.trimEnd().split('\n').map(code), '.EE', '.RE');
    }
  }
  out.push(
    '.SH "SHELL COMPLETION"',
    `\\fB${text(name)} completion bash\\fR|\\fBzsh\\fR|\\fBfish\\fR prints a completion script; see the \\fBcompletion\\fR command. Node names and groups come from the inventory, image IDs and names from what the last \\fB${text(name)} ls\\fR saw: TAB never contacts a node.`,
  );
  return `${out.join('\n')}\n`;
}

function optionEntry(option: OptionSpec): string[] {
  const short = shortFlag(option);
  const long = longFlag(option);
  const value = takesValue(option) ? ` \\fI${text(/[<[]([^>\]]+)[>\]]/.exec(option.flags)?.[1] ?? 'value')}\\fR` : '';
  const flags = [short, long].filter((flag): flag is string => flag !== undefined).map((flag) => `\\fB${code(flag)}\\fR`).join(', ');
  const details = [
    option.choices ? `one of: ${option.choices.join(', ')}` : undefined,
    option.defaultText ? `default: ${option.defaultText}` : undefined,
    option.repeatable ? 'repeatable' : undefined,
  ].filter(Boolean);
  return ['.TP', `${flags}${value}`, text(details.length ? `${option.description} (${details.join('; ')})` : option.description)];
}

function capitalise(sentence: string): string {
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** Characters roff would take as escapes, or as glyphs other than the ASCII ones a reader copies. */
function escape(value: string): string {
  return value.replace(/\\/g, '\\e').replace(/'/g, "\\(aq").replace(/`/g, '\\(ga').replace(/~/g, '\\(ti').replace(/\^/g, '\\(ha');
}

/** Prose: hyphens inside words stay hyphens; a word starting with a dash is an option, typed with ASCII dashes. */
function text(value: string): string {
  return guardLine(escape(value).replace(/(^|[^\w\\-])(--?[A-Za-z][\w-]*)/g, (_match, before: string, flag: string) => `${before}${flag.replace(/-/g, '\\-')}`));
}

/** A command line or flag, where every dash is one to type. */
function code(value: string): string {
  return guardLine(escape(value).replace(/-/g, '\\-'));
}

/** A line starting with "." or "'" would be read as a request. */
function guardLine(line: string): string {
  return /^[.']/.test(line) ? `\\&${line}` : line;
}
