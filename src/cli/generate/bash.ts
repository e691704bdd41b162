/**
 * The bash completion script, generated from the command tree. Commands, flags and fixed choices are
 * answered by bash itself; node names and images come from `glance-cache __complete`.
 * No `compgen -W` anywhere: it expands $(…) inside its word list, and image names are untrusted.
 */
import { flagsOf, type CompletionCommand, type CompletionModel, type CompletionOption, type ValueCompletion } from './model.js';
import { GENERATED_NOTICE } from './notice.js';

export function bashScript(model: CompletionModel): string {
  const fn = `_${identifier(model.program)}`;
  const commandPattern = (command: CompletionCommand) => [command.name, ...command.aliases].join('|');
  const valued = (options: readonly CompletionOption[]) => options.filter((option) => option.value);
  const perCommand = (render: (command: CompletionCommand) => string | undefined) =>
    model.commands.flatMap((command) => {
      const body = render(command);
      return body === undefined ? [] : [`        ${commandPattern(command)})\n${body}\n            ;;`];
    });

  const takesValueCases = perCommand((command) => {
    const flags = valued(command.options).flatMap(flagsOf);
    return flags.length ? `            case $2 in ${flags.join('|')}) return 0 ;; esac` : undefined;
  });
  // A command's own columns for -c come before the global case, which offers every command's.
  const commandValueCases = perCommand((command) => {
    const options = valued([...command.options, ...command.columnOptions]);
    return options.length ? `            case $2 in\n${valueCases(fn, options, '                ')}\n            esac` : undefined;
  });
  const optionCases = perCommand((command) => {
    const flags = command.options.flatMap(flagsOf);
    return flags.length ? `            ${fn}_offer "$2" ${flags.join(' ')}` : undefined;
  });
  const argumentCases = perCommand((command) => {
    if (command.args.length === 0) return undefined;
    const positions = command.args.map((argument, index) => {
      const pattern = argument.variadic ? '*' : String(index);
      return `                ${pattern}) ${offer(fn, argument.completion, '"$3"')} ;;`;
    });
    return `            case $2 in\n${positions.join('\n')}\n            esac`;
  });
  const caseBlock = (subject: string, cases: string[]) => (cases.length ? `    case ${subject} in\n${cases.join('\n')}\n    esac\n` : '');
  const globalValued = valued(model.globals);

  return `# bash completion for ${model.program}
${GENERATED_NOTICE}
# Load it in the current shell:   source <(${model.program} completion bash)
# or install it for every shell:   ${model.program} completion bash > /usr/share/bash-completion/completions/${model.program}

# Sets words and cword from COMP_WORDS and COMP_CWORD with the words bash split at "@" joined again:
# "@" is in COMP_WORDBREAKS, so "-n @az1" arrives as -n @ az1 and "--nodes=@az1" as --nodes =@ az1.
# As bash-completion's _get_comp_words_by_ref -n @ does, a word is joined to the one before when COMP_LINE
# shows no space between them and either is at an "@". Readline itself replaces the whole "@…" word, so
# the replies are whole words too.
${fn}_words() {
    local line=\${COMP_LINE:0:COMP_POINT} word spaced i n
    words=() cword=0
    for (( i = 0; i <= COMP_CWORD; i++ )); do
        word=\${COMP_WORDS[i]}
        spaced=1
        if [[ -n $word && $line == "$word"* ]]; then spaced=0; fi
        line=\${line#"\${line%%[![:space:]]*}"}
        line=\${line#"$word"}
        n=\${#words[@]}
        if (( !spaced && n > 0 )) && [[ $word == @* || \${words[n-1]} == *@ ]]; then
            words[n-1]+=$word
        elif [[ $word == =@* ]]; then
            words+=("=" "\${word#=}")
        else
            words+=("$word")
        fi
        (( i == COMP_CWORD )) && cword=$(( \${#words[@]} - 1 ))
    done
}

# Adds the words of $2... that start with $1 to COMPREPLY.
${fn}_offer() {
    local cur=$1 word
    shift
    for word in "$@"; do
        [[ $word == "$cur"* ]] && COMPREPLY+=("$word")
    done
}

# Values only the inventory or the image cache knows ($1: nodes, labels or images; $2: the word being completed).
# A value with any character the shell treats specially is quoted with %q, so a name like $(reboot)
# is inserted as text and never run.
${fn}_dynamic() {
    local line value
    while IFS= read -r line; do
        value=\${line%%$'\\t'*}
        [[ $value == *[!A-Za-z0-9@%+,./:=_-]* || $value == [=]* ]] && printf -v value '%q' "$value"
        COMPREPLY+=("$value")
    done < <(command ${model.program} __complete "$1" "$2" "\${words[@]:1:cword-1}" 2>/dev/null)
}

${fn}_files() {
    compopt -o filenames 2>/dev/null
    mapfile -t -O "\${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$1")
}

# Succeeds when option $2 takes a value (in command $1).
${fn}_takes_value() {
    case $2 in ${globalValued.flatMap(flagsOf).join('|')}) return 0 ;; esac
${caseBlock('$1', takesValueCases)}    return 1
}

# Offers the values of option $2 (in command $1) for the word $3; fails when $2 takes no value.
${fn}_value() {
${caseBlock('$1', commandValueCases)}    case $2 in
${valueCases(fn, globalValued, '        ')}
    esac
    return 1
}

# Offers the options of command $1 for the word $2.
${fn}_options() {
    ${fn}_offer "$2" ${model.globals.flatMap(flagsOf).join(' ')}
    [[ -z $1 ]] && ${fn}_offer "$2" ${model.programOnly.flatMap(flagsOf).join(' ')}
${caseBlock('$1', optionCases)}    return 0
}

# Offers argument number $2 (from 0) of command $1 for the word $3.
${fn}_arguments() {
${caseBlock('$1', argumentCases)}    return 0
}

${fn}() {
    local words cword
    ${fn}_words
    local cur=\${words[cword]} prev=\${words[cword-1]} opt= pre= cmd= word i args=0
    COMPREPLY=()
    for (( i = 1; i < cword; i++ )); do
        word=\${words[i]}
        if [[ $word == -?* ]]; then
            if ${fn}_takes_value "$cmd" "$word"; then
                # bash splits --opt=value at "=" into three words.
                [[ \${words[i+1]} == = ]] && (( i++ ))
                (( i++ ))
            fi
        elif [[ -z $cmd ]]; then
            cmd=$word
        else
            (( args++ ))
        fi
    done
    if [[ $cur == = ]]; then
        opt=$prev cur=
    elif [[ $prev == = ]]; then
        opt=\${words[cword-2]}
    elif [[ $cur == --*=* ]]; then
        opt=\${cur%%=*} pre=\${cur%%=*}= cur=\${cur#*=}
    else
        opt=$prev
    fi
    if [[ $opt == -?* ]] && ${fn}_value "$cmd" "$opt" "$cur"; then
        [[ -n $pre ]] && COMPREPLY=("\${COMPREPLY[@]/#/$pre}")
    elif [[ $cur == -* ]]; then
        ${fn}_options "$cmd" "$cur"
    elif [[ -z $cmd ]]; then
        ${fn}_offer "$cur" ${model.commands.map((command) => command.name).join(' ')}
    else
        ${fn}_arguments "$cmd" "$args" "$cur"
    fi
    return 0
}

complete -F ${fn} ${model.program}
`;
}

/** One case per distinct offer: options whose values complete alike share a pattern. */
function valueCases(fn: string, options: readonly CompletionOption[], indent: string): string {
  const flagsByOffer = new Map<string, string[]>();
  for (const option of options) {
    const action = offer(fn, option.value!.completion, '"$3"');
    flagsByOffer.set(action, [...(flagsByOffer.get(action) ?? []), ...flagsOf(option)]);
  }
  return [...flagsByOffer].map(([action, flags]) => `${indent}${flags.join('|')}) ${action === ':' ? '' : `${action}; `}return 0 ;;`).join('\n');
}

function offer(fn: string, completion: ValueCompletion, word: string): string {
  switch (completion.kind) {
    case 'choices':
      return `${fn}_offer ${word} ${completion.words.join(' ')}`;
    case 'dynamic':
      return `${fn}_dynamic ${completion.source} ${word}`;
    case 'files':
      return `${fn}_files ${word}`;
    case 'free':
      return ':';
  }
}

/** glance-cache → glance_cache: a shell function name. */
export function identifier(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}
