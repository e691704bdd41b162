# bash completion for glance-cache
# Generated from the command tree (src/cli) by `npm run gen`: edit the tree, not this file.
# Load it in the current shell:   source <(glance-cache completion bash)
# or install it for every shell:   glance-cache completion bash > /usr/share/bash-completion/completions/glance-cache

# Sets words and cword from COMP_WORDS and COMP_CWORD with the words bash split at "@" joined again:
# "@" is in COMP_WORDBREAKS, so "-n @az1" arrives as -n @ az1 and "--nodes=@az1" as --nodes =@ az1.
# As bash-completion's _get_comp_words_by_ref -n @ does, a word is joined to the one before when COMP_LINE
# shows no space between them and either is at an "@". Readline itself replaces the whole "@…" word, so
# the replies are whole words too.
_glance_cache_words() {
    local line=${COMP_LINE:0:COMP_POINT} word spaced i n
    words=() cword=0
    for (( i = 0; i <= COMP_CWORD; i++ )); do
        word=${COMP_WORDS[i]}
        spaced=1
        if [[ -n $word && $line == "$word"* ]]; then spaced=0; fi
        line=${line#"${line%%[![:space:]]*}"}
        line=${line#"$word"}
        n=${#words[@]}
        if (( !spaced && n > 0 )) && [[ $word == @* || ${words[n-1]} == *@ ]]; then
            words[n-1]+=$word
        elif [[ $word == =@* ]]; then
            words+=("=" "${word#=}")
        else
            words+=("$word")
        fi
        (( i == COMP_CWORD )) && cword=$(( ${#words[@]} - 1 ))
    done
}

# Adds the words of $2... that start with $1 to COMPREPLY.
_glance_cache_offer() {
    local cur=$1 word
    shift
    for word in "$@"; do
        [[ $word == "$cur"* ]] && COMPREPLY+=("$word")
    done
}

# Values only the inventory or the image cache knows ($1: nodes, labels or images; $2: the word being completed).
# A value with any character the shell treats specially is quoted with %q, so a name like $(reboot)
# is inserted as text and never run.
_glance_cache_dynamic() {
    local line value
    while IFS= read -r line; do
        value=${line%%$'\t'*}
        [[ $value == *[!A-Za-z0-9@%+,./:=_-]* || $value == [=]* ]] && printf -v value '%q' "$value"
        COMPREPLY+=("$value")
    done < <(command glance-cache __complete "$1" "$2" "${words[@]:1:cword-1}" 2>/dev/null)
}

_glance_cache_files() {
    compopt -o filenames 2>/dev/null
    mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -- "$1")
}

# Succeeds when option $2 takes a value (in command $1).
_glance_cache_takes_value() {
    case $2 in -i|--inventory|-n|--nodes|-x|--exclude|-l|--label|-f|--format|-o|--output|-c|--column|--sort-column|--max-width|--color|--fanout|--timeout|--connect-timeout|--cacert|--os-cloud|--os-auth-url|--os-auth-type|--os-username|--os-user-id|--os-password|--os-project-name|--os-project-id|--os-user-domain-name|--os-user-domain-id|--os-project-domain-name|--os-project-domain-id|--os-domain-name|--os-domain-id|--os-default-domain|--os-system-scope|--os-application-credential-id|--os-application-credential-name|--os-application-credential-secret|--os-token|--os-region-name|--os-interface|--os-cacert) return 0 ;; esac
    case $1 in
        ls|list)
            case $2 in --state|--sort|--name|--older-than|--newer-than|--limit) return 0 ;; esac
            ;;
        diff)
            case $2 in --against|--state) return 0 ;; esac
            ;;
        queue)
            case $2 in --wait-timeout|--node-concurrency) return 0 ;; esac
            ;;
        purge|rm)
            case $2 in --node-concurrency) return 0 ;; esac
            ;;
        sync)
            case $2 in --replicas|--like|--images|--wait-timeout|--node-concurrency) return 0 ;; esac
            ;;
        prune)
            case $2 in --max-size|--older-than|--max-replicas|--keep|--max-deletes|--lock|--summary|--metrics-file|--node-concurrency) return 0 ;; esac
            ;;
    esac
    return 1
}

# Offers the values of option $2 (in command $1) for the word $3; fails when $2 takes no value.
_glance_cache_value() {
    case $1 in
        ls|list)
            case $2 in
                --state) _glance_cache_offer "$3" all cached queued; return 0 ;;
                --sort) _glance_cache_offer "$3" name id size nodes hits last-accessed; return 0 ;;
                --name) _glance_cache_dynamic images "$3"; return 0 ;;
                --older-than|--newer-than|--limit) return 0 ;;
                -c|--column|--sort-column) _glance_cache_offer "$3" id name size cached_on queued_on hits last_accessed status; return 0 ;;
            esac
            ;;
        nodes)
            case $2 in
                -c|--column|--sort-column) _glance_cache_offer "$3" name url ok latency_ms api cache_driver cached_images cached_bytes queued_images usage_percent error warnings; return 0 ;;
            esac
            ;;
        where)
            case $2 in
                -c|--column|--sort-column) _glance_cache_offer "$3" id name node state hits last_accessed size; return 0 ;;
            esac
            ;;
        diff)
            case $2 in
                --against) _glance_cache_dynamic nodes "$3"; return 0 ;;
                --state) _glance_cache_offer "$3" cached queued all; return 0 ;;
                -c|--column|--sort-column) _glance_cache_offer "$3" id name size missing_on extra_on present_on kind image nodes bytes detail; return 0 ;;
            esac
            ;;
        queue)
            case $2 in
                --wait-timeout|--node-concurrency) return 0 ;;
                -c|--column|--sort-column) _glance_cache_offer "$3" node image name action result error note size reasons; return 0 ;;
            esac
            ;;
        purge|rm)
            case $2 in
                --node-concurrency) return 0 ;;
                -c|--column|--sort-column) _glance_cache_offer "$3" node image name action result error note size reasons; return 0 ;;
            esac
            ;;
        clear)
            case $2 in
                -c|--column|--sort-column) _glance_cache_offer "$3" node image name action result error note size reasons; return 0 ;;
            esac
            ;;
        sync)
            case $2 in
                --replicas|--wait-timeout|--node-concurrency) return 0 ;;
                --like) _glance_cache_dynamic nodes "$3"; return 0 ;;
                --images) _glance_cache_dynamic images "$3"; return 0 ;;
                -c|--column|--sort-column) _glance_cache_offer "$3" node image name action result error note size reasons; return 0 ;;
            esac
            ;;
        prune)
            case $2 in
                --max-size|--older-than|--max-replicas|--max-deletes|--node-concurrency) return 0 ;;
                --keep) _glance_cache_dynamic images "$3"; return 0 ;;
                --lock|--summary|--metrics-file) _glance_cache_files "$3"; return 0 ;;
                -c|--column|--sort-column) _glance_cache_offer "$3" node image name action result error note size reasons; return 0 ;;
            esac
            ;;
        inventory)
            case $2 in
                -c|--column|--sort-column) _glance_cache_offer "$3" name url groups labels timeout max_size defined_at; return 0 ;;
            esac
            ;;
    esac
    case $2 in
        -i|--inventory|--cacert) _glance_cache_files "$3"; return 0 ;;
        -n|--nodes|-x|--exclude) _glance_cache_dynamic nodes "$3"; return 0 ;;
        -l|--label) _glance_cache_dynamic labels "$3"; return 0 ;;
        -f|--format|-o|--output) _glance_cache_offer "$3" table json yaml csv tsv value; return 0 ;;
        -c|--column|--sort-column) _glance_cache_offer "$3" id name size cached_on queued_on hits last_accessed status url ok latency_ms api cache_driver cached_images cached_bytes queued_images usage_percent error warnings node state missing_on extra_on present_on kind image nodes bytes detail action result note reasons groups labels timeout max_size defined_at; return 0 ;;
        --max-width|--fanout|--timeout|--connect-timeout|--os-cloud|--os-auth-url|--os-auth-type|--os-username|--os-user-id|--os-password|--os-project-name|--os-project-id|--os-user-domain-name|--os-user-domain-id|--os-project-domain-name|--os-project-domain-id|--os-domain-name|--os-domain-id|--os-default-domain|--os-system-scope|--os-application-credential-id|--os-application-credential-name|--os-application-credential-secret|--os-token|--os-region-name|--os-interface|--os-cacert) return 0 ;;
        --color) _glance_cache_offer "$3" auto always never; return 0 ;;
    esac
    return 1
}

# Offers the options of command $1 for the word $2.
_glance_cache_options() {
    _glance_cache_offer "$2" -i --inventory -n --nodes -x --exclude -a --all-nodes -l --label -f --format -o --output --json -c --column --sort-column --sort-ascending --sort-descending --max-width --fit-width --wide --noindent --no-headers --color -q --quiet -v --verbose --debug --fanout --timeout --connect-timeout --cacert --insecure --os-cloud --os-auth-url --os-auth-type --os-username --os-user-id --os-password --os-project-name --os-project-id --os-user-domain-name --os-user-domain-id --os-project-domain-name --os-project-domain-id --os-domain-name --os-domain-id --os-default-domain --os-system-scope --os-application-credential-id --os-application-credential-name --os-application-credential-secret --os-token --os-region-name --os-interface --os-cacert --os-insecure --no-auth -h --help --help-all
    [[ -z $1 ]] && _glance_cache_offer "$2" -V --version
    case $1 in
        ls|list)
            _glance_cache_offer "$2" --per-node --state --sort --orphans --name --older-than --newer-than --limit
            ;;
        diff)
            _glance_cache_offer "$2" --against --state --orphans
            ;;
        queue)
            _glance_cache_offer "$2" --wait --wait-timeout -y --yes --dry-run --node-concurrency
            ;;
        purge|rm)
            _glance_cache_offer "$2" -y --yes --dry-run --node-concurrency
            ;;
        clear)
            _glance_cache_offer "$2" --cache --queue --all -y --yes --dry-run
            ;;
        sync)
            _glance_cache_offer "$2" --replicas --like --images --delete --wait --wait-timeout -y --yes --dry-run --node-concurrency
            ;;
        prune)
            _glance_cache_offer "$2" --max-size --older-than --orphans --max-replicas --keep --max-deletes --server-side --lock --summary --metrics-file -y --yes --dry-run --node-concurrency
            ;;
        inventory)
            _glance_cache_offer "$2" --check
            ;;
    esac
    return 0
}

# Offers argument number $2 (from 0) of command $1 for the word $3.
_glance_cache_arguments() {
    case $1 in
        where)
            case $2 in
                *) _glance_cache_dynamic images "$3" ;;
            esac
            ;;
        diff)
            case $2 in
                *) _glance_cache_dynamic nodes "$3" ;;
            esac
            ;;
        queue)
            case $2 in
                *) _glance_cache_dynamic images "$3" ;;
            esac
            ;;
        purge|rm)
            case $2 in
                *) _glance_cache_dynamic images "$3" ;;
            esac
            ;;
        completion)
            case $2 in
                0) _glance_cache_offer "$3" bash zsh fish ;;
            esac
            ;;
        help)
            case $2 in
                0) _glance_cache_offer "$3" ls nodes where diff queue purge clear sync prune inventory completion auth ;;
            esac
            ;;
    esac
    return 0
}

_glance_cache() {
    local words cword
    _glance_cache_words
    local cur=${words[cword]} prev=${words[cword-1]} opt= pre= cmd= word i args=0
    COMPREPLY=()
    for (( i = 1; i < cword; i++ )); do
        word=${words[i]}
        if [[ $word == -?* ]]; then
            if _glance_cache_takes_value "$cmd" "$word"; then
                # bash splits --opt=value at "=" into three words.
                [[ ${words[i+1]} == = ]] && (( i++ ))
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
        opt=${words[cword-2]}
    elif [[ $cur == --*=* ]]; then
        opt=${cur%%=*} pre=${cur%%=*}= cur=${cur#*=}
    else
        opt=$prev
    fi
    if [[ $opt == -?* ]] && _glance_cache_value "$cmd" "$opt" "$cur"; then
        [[ -n $pre ]] && COMPREPLY=("${COMPREPLY[@]/#/$pre}")
    elif [[ $cur == -* ]]; then
        _glance_cache_options "$cmd" "$cur"
    elif [[ -z $cmd ]]; then
        _glance_cache_offer "$cur" ls nodes where diff queue purge clear sync prune inventory completion help
    else
        _glance_cache_arguments "$cmd" "$args" "$cur"
    fi
    return 0
}

complete -F _glance_cache glance-cache
