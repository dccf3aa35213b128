# usage_errors.sh HPO: every malformed flag, space file or command is one
# line on stderr naming what is wrong and where, exit code 2, and no
# trial runs.  The expected texts are exact.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

# expect_error 'EXPECTED LINE' ARGS...: hpo ARGS prints exactly that line
# on stderr, nothing on stdout, and exits 2.
expect_error() { expect_usage_error "$@"; }

T=(tune --storage memory: -p x=float:0:1)

# Flags.
expect_error "hpo tune: --trials: 'abc' is not a whole number" "${T[@]}" --trials abc -- touch ran
expect_error "hpo tune: --trials: '0' is out of range (1 to 2147483647)" "${T[@]}" -n 0 -- touch ran
expect_error "hpo tune: --trials needs a value" "${T[@]}" --trials
expect_error "hpo tune: --jobs: '2x' is not a whole number" "${T[@]}" --jobs=2x -- touch ran
expect_error "hpo tune: --direction: 'up' is not minimize or maximize" "${T[@]}" --direction up -- touch ran
expect_error "hpo tune: --seed: '-1' is not a whole number >= 0" "${T[@]}" --seed -1 -- touch ran
expect_error "hpo tune: --timeout: '5 min' is not a duration (seconds, or a number followed by s, m or h)" \
    "${T[@]}" --timeout '5 min' -- touch ran
expect_error "hpo tune: --trial-timeout: '-3' must be more than 0" "${T[@]}" --trial-timeout -3 -- touch ran
expect_error "hpo tune: unknown option '--trails' (see hpo tune --help)" "${T[@]}" --trails 5 -- touch ran
expect_error "hpo tune: unknown option '-x' (see hpo tune --help)" "${T[@]}" -x -- touch ran
expect_error "hpo tune: --quiet takes no value" "${T[@]}" --quiet=yes -- touch ran
expect_error "hpo tune: no command to run (hpo tune [options] -- COMMAND ARGS...)" "${T[@]}" -n 3 --
expect_error "hpo: unknown command 'tnue' (see hpo --help)" tnue

# The search space: the library's message, prefixed by the flag or file.
expect_error "hpo tune: --param: 'lr=flot:1:2': unknown type 'flot' (expected float, int or cat)" \
    tune -p lr=flot:1:2 -- touch ran
expect_error "hpo tune: --param: 'depth': expected NAME=TYPE:ARGS (as in lr=float:1e-5:1e-1:log)" \
    tune -p depth -- touch ran
expect_error "hpo tune: --param: parameter 'x' is given twice" "${T[@]}" -p x=int:1:3 -- touch ran
echo '{"x": "float:0:1", "y": {"type": "int", "low": 5, "high": 1}}' >space.json
expect_error "hpo tune: --space: space.json:1: parameter 'y': low 5 is above high 1" \
    tune --space space.json -- touch ran
expect_error "hpo tune: --space: missing.json: No such file or directory" \
    tune --space missing.json -- touch ran

# Placeholders are checked before anything runs.
expect_error "hpo tune: argument '--lr={lr}': unknown placeholder '{lr}' (a parameter name, {trial} or {seed}; write {{ and }} for literal braces)" \
    "${T[@]}" -- touch ran --lr={lr}
expect_error "hpo tune: argument 'awk {print}': unknown placeholder '{print}' (a parameter name, {trial} or {seed}; write {{ and }} for literal braces)" \
    "${T[@]}" -- touch ran 'awk {print}'
expect_error "hpo tune: argument 'a{x': '{' without its '}' (write {{ for a literal brace)" \
    "${T[@]}" -- touch ran 'a{x'

# Sampler and pruner specs.
expect_error "hpo tune: --sampler: unknown sampler 'rnadom' (see hpo --help)" "${T[@]}" --sampler rnadom -- touch ran
expect_error "hpo tune: --pruner: pruner 'median' has no option 'n_startup'" \
    "${T[@]}" --pruner median:n_startup=3 -- touch ran

# A command that cannot be executed: one line, no trial, no study.
expect_error "hpo: cannot run 'trian.sh': No such file or directory" "${T[@]}" -- trian.sh --x {x}
expect_error "hpo: cannot run './nothere/run': No such file or directory" "${T[@]}" -- ./nothere/run
echo 'echo 1' >notexec.sh
expect_error "hpo: cannot run './notexec.sh': Permission denied" "${T[@]}" -- ./notexec.sh
expect_error "hpo: cannot run '.': Is a directory" "${T[@]}" -- .
if have_sqlite; then
    expect_error "hpo: cannot run 'trian.sh': No such file or directory" \
        tune --storage "sqlite:///$TMP/u.db" --study typo -p x=float:0:1 -- trian.sh
    expect_true "mistyped command: no database created" test ! -e u.db
    run "$HPO" trials --storage "sqlite:///$TMP/u.db" --study typo
    expect_eq "read-only commands create no database" "$ERR" \
        "hpo trials: --storage 'sqlite:///$TMP/u.db': No such file or directory"
    expect_true "trials created no database" test ! -e u.db
fi

# A script without #! runs with sh, as execvp would.
chmod +x notexec.sh
run "$HPO" tune --storage memory: -q -n 1 -- ./notexec.sh
expect_match "script without #! runs" "$OUT" 'best trial 0: value 1'

# Storage and the read-only commands.
expect_error "hpo tune: --storage 'mysql://x': unknown storage URL 'mysql://x' (expected memory:, sqlite:///FILE or postgresql://USER@HOST/DB)" \
    "${T[@]}" --storage mysql://x -- touch ran
expect_error "hpo best: --study is required" best --storage memory:
expect_error "hpo trials: --format: 'xml' is not table, csv or json" trials --study s --format xml
expect_error "hpo best: --format: 'csv' is not text or json" best --study s -f csv
expect_error "hpo trials: --study: no study named 'nope' in memory:" trials --storage memory: --study nope
expect_error "hpo trials: unexpected argument 'extra'" trials --study s extra

expect_true "no command ever ran" test ! -e ran

# Help and version go to stdout with exit 0.
run "$HPO" --help
expect_eq "--help: exit 0" "$RC" 0
expect_match "--help: exit codes" "$OUT" '130  interrupted by Ctrl-C'
run "$HPO" tune --help
expect_match "tune --help lists samplers, the default first" "$OUT" $'Samplers:\n    auto +the default'
expect_match "tune --help lists pruners" "$OUT" $'Pruners:\n    none +never prune'
run "$HPO" --version
expect_match "--version" "$OUT" '^hpo [0-9]+\.[0-9]+\.[0-9]+'
run "$HPO"
expect_eq "no arguments: exit 2" "$RC" 2

finish
