/**
 * The zsh completion script (_glance-cache), generated from the command tree: _arguments specs with
 * descriptions for every flag, _describe for commands, dynamic values from `glance-cache __complete`.
 */
import { identifier } from './bash.js';
import { flagsOf, type CompletionArgument, type CompletionModel, type CompletionOption, type ValueCompletion } from './model.js';
import { GENERATED_NOTICE } from './notice.js';

export function zshScript(model: CompletionModel): string {
  const fn = `_${model.program}`;
  const helper = `_${identifier(model.program)}`;
  const specs = (options: readonly CompletionOption[]) => options.flatMap((option) => optionSpecs(helper, option));
  const lines = (items: readonly string[], indent: string) => items.map((item) => `${indent}${item}`).join('\n');
  const commandCases = model.commands.map((command) => {
    const patterns = [command.name, ...command.aliases].join('|');
    const args = [...specs(command.options), ...command.args.map((argument, index) => argumentSpec(helper, argument, index))];
    const body = args.map((arg) => ` \\\n            ${arg}`).join('');
    return `        ${patterns})\n          _arguments -s -S : $globals${body} && ret=0\n          ;;`;
  });
  const valuedGlobals = model.globals.filter((option) => option.value).flatMap(flagsOf);
  const everyColumn = model.globals.find((option) => option.columns)?.value;
  const columnCases = model.commands.flatMap((command) => {
    const words = command.columnOptions[0]?.value?.completion;
    return words?.kind === 'choices' ? [`      (${[command.name, ...command.aliases].join('|')}) columns=(${words.words.join(' ')}); break ;;`] : [];
  });
  const described = model.commands.flatMap((command) => [command.name, ...command.aliases].map((name) => quote(`${name}:${name === command.name ? command.summary : `alias of ${command.name}`}`)));

  return `#compdef ${model.program}
# zsh completion for ${model.program}
${GENERATED_NOTICE}
# Install: save it as _${model.program} in a directory of $fpath before compinit runs, e.g.
#   ${model.program} completion zsh > ~/.zfunc/_${model.program}   (with fpath=(~/.zfunc $fpath) in ~/.zshrc)
# or load it in the current shell, after compinit:   source <(${model.program} completion zsh)

${fn}() {
  local curcontext=$curcontext state state_descr line ret=1
  # The whole command line, for -i: _arguments narrows $words to the command's own words.
  local -a ${helper}_line
  ${helper}_line=("\${words[@]}")
  local -a globals
  globals=(
${lines(specs(model.globals).map((spec) => spec), '    ')}
  )
  _arguments -s -S -C : $globals \\
${[...specs(model.programOnly), `'1: :${helper}_commands'`, "'*:: :->command'"].map((spec) => `    ${spec}`).join(' \\\n')} && ret=0
  case $state in
    command)
      curcontext=\${curcontext%:*:*}:${model.program}-$words[1]:
      case $words[1] in
${commandCases.join('\n')}
        *)
          _arguments -s -S : $globals && ret=0
          ;;
      esac
      ;;
  esac
  return ret
}

${helper}_commands() {
  local -a commands
  commands=(
${lines(described, '    ')}
  )
  _describe -t commands '${model.program} command' commands
}

# Values only the inventory or the image cache knows ($1: nodes, labels or images), one "value<TAB>description"
# line each. compadd quotes what it inserts, so a name like $(reboot) is inserted as text, never run.
${helper}_dynamic() {
  local entry
  local -a values
  for entry in \${(f)"$(command ${model.program} __complete $1 "$PREFIX" "\${(@)${helper}_line[2,-1]}" 2>/dev/null)"}; do
    values+=("\${\${entry%%$'\\t'*}//:/\\\\:}:\${\${entry#*$'\\t'}//\\\\/\\\\\\\\}")
  done
  _describe -t $1 $1 values
}

# The columns of the command on the line, for -c and --sort-column (every command's before one): the
# top-level _arguments completes a global option's value wherever it is, so the command is looked up here.
${helper}_columns() {
  local word
  local -i skip=0
  local -a columns
  for word in "\${(@)${helper}_line[2,-1]}"; do
    if (( skip )); then skip=0; continue; fi
    case $word in
      (${valuedGlobals.join('|')}) skip=1 ;;
      (-*) ;;
${columnCases.join('\n')}
      (*) break ;;
    esac
  done
  (( $#columns )) || columns=(${everyColumn?.completion.kind === 'choices' ? everyColumn.completion.words.join(' ') : ''})
  _describe -t columns column columns
}

if [[ \${funcstack[1]} == ${fn} ]]; then
  # Autoloaded from $fpath: this file is the body of ${fn}; complete now.
  ${fn} "$@"
else
  compdef ${fn} ${model.program}
fi
`;
}

function optionSpecs(helper: string, option: CompletionOption): string[] {
  const flags = flagsOf(option);
  const exclusion = option.repeatable ? '*' : `(${flags.join(' ')})`;
  const description = `[${escapeBrackets(option.description)}]`;
  const value = option.value ? `:${option.value.name}:${option.columns ? `{${helper}_columns}` : action(helper, option.value.completion)}` : '';
  return flags.map((flag) => {
    // "-n+": value in the same word or the next; "--nodes=": after "=" or in the next word.
    const form = option.value ? (flag.startsWith('--') ? `${flag}=` : `${flag}+`) : flag;
    return quote(`${exclusion}${form}${description}${value}`);
  });
}

function argumentSpec(helper: string, argument: CompletionArgument, index: number): string {
  const position = argument.variadic ? '*' : `${index + 1}${argument.required ? '' : ':'}`;
  return quote(`${position}:${argument.name}:${action(helper, argument.completion)}`);
}

function action(helper: string, completion: ValueCompletion): string {
  switch (completion.kind) {
    case 'choices':
      return `(${completion.words.join(' ')})`;
    case 'dynamic':
      return `{${helper}_dynamic ${completion.source}}`;
    case 'files':
      return '_files';
    case 'free':
      return ' ';
  }
}

function escapeBrackets(text: string): string {
  return text.replace(/[\\[\]:]/g, (char) => `\\${char}`);
}

/** A single-quoted zsh word. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
