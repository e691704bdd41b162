/**
 * The fish completion script, generated from the command tree: one `complete` line per flag and
 * command, with descriptions; dynamic values from `glance-cache __complete`.
 */
import { identifier } from './bash.js';
import { flagsOf, type CompletionModel, type CompletionOption, type ValueCompletion } from './model.js';
import { GENERATED_NOTICE } from './notice.js';

export function fishScript(model: CompletionModel): string {
  const fn = `__${identifier(model.program)}`;
  const complete = `complete -c ${model.program}`;
  const globalValued = model.globals.filter((option) => option.value).flatMap(flagsOf);
  const optionLine = (option: CompletionOption, condition: string | undefined) => {
    const parts = [complete];
    if (condition) parts.push('-n', quote(condition));
    if (option.short) parts.push('-s', option.short.slice(1));
    parts.push('-l', option.long.slice(2));
    if (option.value) parts.push('-r', ...valueFlags(fn, option.value.completion));
    parts.push('-d', quote(option.description));
    return parts.join(' ');
  };
  // Fish offers what every matching line offers: a column option is a bare flag everywhere, every
  // command's columns before a command, and each command's own after it (commandBlocks).
  const columnLines = (option: CompletionOption) =>
    [optionLine({ ...option, value: option.value && { ...option.value, completion: { kind: 'free' } } }, undefined), optionLine(option, `${fn}_using ''`)].join('\n');
  const commandBlocks = model.commands.map((command) => {
    const lines = [`# ${command.name}`, `${complete} -n ${quote(`${fn}_using ''`)} -a ${command.name} -d ${quote(command.summary)}`];
    for (const alias of command.aliases) lines.push(`${complete} -n ${quote(`${fn}_using ''`)} -a ${alias} -d ${quote(`alias of ${command.name}`)}`);
    for (const option of [...command.columnOptions, ...command.options]) lines.push(optionLine(option, `${fn}_using ${command.name}`));
    for (const argument of command.args) {
      lines.push(`${complete} -n ${quote(`${fn}_using ${command.name}`)} ${valueFlags(fn, argument.completion).join(' ')}`.trimEnd());
    }
    return lines.join('\n');
  });
  const commandCases = model.commands.map((command) => `            case ${[command.name, ...command.aliases].join(' ')}\n                echo ${command.name}\n                return`);

  return `# fish completion for ${model.program}
${GENERATED_NOTICE}
# Install: ${model.program} completion fish > ~/.config/fish/completions/${model.program}.fish
# or load it in the current shell:   ${model.program} completion fish | source

# The command on the line so far ("" before one), skipping the values of options that take one.
function ${fn}_command
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l skip 0
    for token in $tokens
        if test $skip = 1
            set skip 0
            continue
        end
        switch $token
            case ${globalValued.join(' ')}
                set skip 1
            case '-*'
${commandCases.join('\n')}
            case '*'
                echo $token
                return
        end
    end
    echo ''
end

function ${fn}_using
    set -l command (${fn}_command)
    test "$command" = "$argv[1]"
end

# Values only the inventory or the image cache knows ($argv[1]: nodes, labels or images), "value<TAB>description".
function ${fn}_dynamic
    set -l tokens (commandline -opc)
    command ${model.program} __complete $argv[1] (commandline -ct) $tokens[2..-1] 2>/dev/null
end

${complete} -f
${model.globals.map((option) => (option.columns ? columnLines(option) : optionLine(option, undefined))).join('\n')}
${model.programOnly.map((option) => optionLine(option, `${fn}_using ''`)).join('\n')}

${commandBlocks.join('\n\n')}
`;
}

function valueFlags(fn: string, completion: ValueCompletion): string[] {
  switch (completion.kind) {
    case 'choices':
      return ['-f', '-a', quote(completion.words.join(' '))];
    case 'dynamic':
      return ['-f', '-a', quote(`(${fn}_dynamic ${completion.source})`)];
    case 'files':
      return ['-F'];
    case 'free':
      return ['-f'];
  }
}

/** A single-quoted fish string: only \\ and ' are special inside. */
function quote(text: string): string {
  return `'${text.replace(/[\\']/g, (char) => `\\${char}`)}'`;
}
