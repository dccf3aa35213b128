# hpo-completion.bash — bash completion for hpo.  Load it with
#   source scripts/hpo-completion.bash
# or install it as /usr/share/bash-completion/completions/hpo.
#
# Everything it offers is read from hpo's own help text, so it never
# drifts from the tool: the commands (hpo --help), each command's options
# (hpo COMMAND --help), the samplers and pruners (hpo --help), the study
# names (hpo studies, in the --storage given or HPO_STORAGE).  After `--`
# it completes the child's command as bash would.

_hpo_help_words() { # HPO ARGS...: the long options of a help text
    "$@" --help 2>/dev/null | grep -o -- '--[a-z][a-z-]*' | sort -u
}

_hpo_section() { # HPO TITLE: the first word of each line of a --help section
    "$1" --help 2>/dev/null |
        sed -n "/^$2/,/^\$/s/^  \\([a-z_][a-z0-9_-]*\\) .*/\\1/p"
}

_hpo_studies() { # HPO CMDLINE_WORDS...: study names of the storage in use
    local hpo=$1 storage="" i
    shift
    for ((i = 1; i <= $#; i++)); do
        if [[ ${!i} == --storage ]]; then
            local j=$((i + 1))
            storage=${!j}
        elif [[ ${!i} == --storage=* ]]; then
            storage=${!i#--storage=}
        fi
    done
    "$hpo" studies ${storage:+--storage "$storage"} --format csv 2>/dev/null |
        sed -e 1d -e 's/,.*//'
}

_hpo() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local hpo=${COMP_WORDS[0]} i words
    COMPREPLY=()
    if ((COMP_CWORD == 1)); then
        words="$(_hpo_section "$hpo" 'Commands:') --help --version"
        COMPREPLY=($(compgen -W "$words" -- "$cur"))
        return
    fi
    local cmd=${COMP_WORDS[1]}
    for ((i = 2; i < COMP_CWORD; i++)); do
        if [[ ${COMP_WORDS[i]} == -- ]]; then # the child's command
            if ((i + 1 == COMP_CWORD)); then
                COMPREPLY=($(compgen -c -- "$cur"))
            else
                COMPREPLY=($(compgen -f -- "$cur"))
            fi
            return
        fi
    done
    case $prev in
    --sampler) words=$(_hpo_section "$hpo" 'Samplers') ;;
    --pruner) words=$(_hpo_section "$hpo" 'Pruners') ;;
    -d | --direction | --directions) words="minimize maximize" ;;
    --state) words="complete fail pruned" ;;
    --log-level) words="debug info warning error" ;;
    -f | --format) words=$("$hpo" "$cmd" --help 2>/dev/null |
        sed -n 's/.*--format \([a-z|]*\).*/\1/p' | head -1 | tr '|' ' ') ;;
    --study | --study-name) words=$(_hpo_studies "$hpo" "${COMP_WORDS[@]}") ;;
    --storage) words="sqlite:/// memory: postgresql://" ;;
    --config | --space | --data | -o | --output | --log-file)
        COMPREPLY=($(compgen -f -- "$cur"))
        return
        ;;
    esac
    if [[ -n ${words-} ]]; then
        COMPREPLY=($(compgen -W "$words" -- "$cur"))
        return
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_hpo_help_words "$hpo" "$cmd")" -- "$cur"))
    fi
}
complete -o default -F _hpo hpo
