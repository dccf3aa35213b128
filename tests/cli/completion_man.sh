# completion_man.sh HPO: the bash completion offers hpo's commands,
# options, samplers, pruners, formats and study names, all read from
# hpo's help text; the man page made from the same text (scripts/man.sh)
# has every command and renders without a roff warning; hpo --help lists
# the samplers and pruners.  (Study names: skipped without SQLite.)
set -euo pipefail
SCRIPTS=$(cd "$(dirname "$0")/../../scripts" && pwd)
source "$(dirname "$0")/../children/testlib.sh" "$1"

# 1. hpo --help answers "see hpo --help": commands, samplers, pruners.
run "$HPO" --help
for w in create-study ask tell; do
    expect_match "hpo --help lists the command $w" "$OUT" $'\n'"  $w +[a-z]"
done
expect_match "hpo --help lists the samplers" "$OUT" $'\nSamplers[^\n]*\n  auto +.*\n  random +'
expect_match "hpo --help lists the pruners" "$OUT" $'\nPruners[^\n]*\n  none +.*\n  median +'
run "$HPO" tune --sampler nope --storage memory: -- true
expect_match "the error that sends to hpo --help" "$ERR" "unknown sampler 'nope' \(see hpo --help\)"

# 2. Completion, with hpo found on PATH as a user has it.
mkdir bin
ln -s "$HPO" bin/hpo
complete_words() { # WORDS...: what completing the last word offers
    PATH="$TMP/bin:$PATH" bash -c 'source "$1"; shift
        COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _hpo
        echo "${COMPREPLY[*]}"' _ "$SCRIPTS/hpo-completion.bash" "$@"
}
expect_eq "commands" "$(complete_words hpo t)" "tune trials tell tune-model"
expect_eq "a command's options" "$(complete_words hpo tell --s)" \
    "--skip-if-finished --state --storage --study"
expect_eq "tune's options include --more and --config" \
    "$(complete_words hpo tune --mo) $(complete_words hpo tune --con)" "--more --config"
expect_eq "samplers" "$(complete_words hpo tune --sampler nsga)" "nsga2 nsga3"
expect_eq "pruners" "$(complete_words hpo tune --pruner h)" "hyperband"
expect_eq "formats" "$(complete_words hpo trials --format '')" "table csv json"
expect_eq "states" "$(complete_words hpo tell --state '')" "complete fail pruned"
for c in tune worker tune-model nested-cv; do
    expect_eq "$c has the log options" "$(complete_words hpo $c --log)" "--log-file --log-level"
done
expect_eq "log levels" "$(complete_words hpo worker --log-level '')" "debug info warning error"
expect_match "the child's command after --" " $(complete_words hpo tune -n 1 -- bas) " " bash "
if have_sqlite; then
    "$HPO" create-study --storage "sqlite:///$TMP/c.db" --study alpha >/dev/null
    "$HPO" create-study --storage "sqlite:///$TMP/c.db" --study beta >/dev/null
    expect_eq "study names from --storage" \
        "$(complete_words hpo ask --storage "sqlite:///$TMP/c.db" --study '')" "alpha beta"
    expect_eq "study names from HPO_STORAGE" \
        "$(HPO_STORAGE="sqlite:///$TMP/c.db" complete_words hpo tell --study b)" "beta"
fi

# 3. The man page.
bash "$SCRIPTS/man.sh" "$HPO" hpo.1
expect_true "man.sh wrote hpo.1" test -s hpo.1
expect_match "it has its title" "$(head -1 hpo.1)" '^\.TH HPO 1 '
for c in tune worker ask tell create-study trials; do
    expect_true "a section for hpo $c" grep -q "^\.SS \"hpo $c\"$" hpo.1
done
expect_true "tune's section has its --help text" grep -q -- '--config FILE' hpo.1
expect_true "... and the log options" grep -q -- '--log-file FILE' hpo.1
if command -v groff >/dev/null; then
    run groff -man -Tutf8 -ww -z hpo.1
    expect_eq "groff renders it without warnings" "$RC/$ERR" "0/"
fi
finish
