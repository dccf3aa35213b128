# tune_failures.sh HPO: children that crash, die by a signal, print
# garbage or a malformed protocol line become FAIL trials with the reason
# stored; the study goes on; the exit code says whether anything worked.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

if have_sqlite; then
    DB="sqlite:///$TMP/failures.db"
else
    echo "note: no SQLite in this build; stored reasons are not checked"
    DB=""
fi

# tune_one STUDY CHILD-ARGS...: one trial of a child, into its own study.
tune_one() {
    local study=$1
    shift
    run "$HPO" tune --storage "${DB:-memory:}" --study "$study" -n 1 \
        -p x=float:0:1 -- "$@"
}

# stored STUDY KEY: the user attribute KEY of trial 0, as JSON.
stored() {
    "$HPO" trials --storage "$DB" --study "$1" --format json |
        awk -v key="\"$2\":" '$1 == key { sub(/^[^:]*:[ \t]*/, ""); sub(/,$/, ""); print; exit }'
}

# 1. Exit status 3: reason, last stderr line on the terminal, stderr tail.
tune_one crash sh "$CHILDREN/crash.sh"
expect_eq "crash: every trial failed -> exit 1" "$RC" 1
expect_match "crash: one line with the reason and the last stderr line" "$ERR" \
    $'hpo: trial 0 failed: exited with status 3; stderr: ValueError: bad learning rate\n'
expect_match "crash: says all failed" "$ERR" $'hpo: all 1 trial failed'
expect_match "crash: no best trial" "$OUT" 'no trial completed'
if [[ -n $DB ]]; then
    expect_eq "crash: fail_reason stored" "$(stored crash fail_reason)" '"exited with status 3"'
    expect_eq "crash: exit_status stored" "$(stored crash exit_status)" '3'
    expect_eq "crash: stderr_tail stored" "$(stored crash stderr_tail)" \
        '"Traceback (most recent call last):\nValueError: bad learning rate"'
    run "$HPO" trials --storage "$DB" --study crash --format csv
    expect_match "crash: csv row" "$OUT" $'\n0,FAIL,,[0-9.e-]+,[0-9.e-]+,exited with status 3,'
fi

# 2. Killed by a signal: the number printed before does not count.
tune_one segv sh "$CHILDREN/segv.sh"
expect_eq "segv: exit 1" "$RC" 1
expect_match "segv: reason" "$ERR" 'trial 0 failed: killed by signal 11 \(SIGSEGV\)'
[[ -n $DB ]] && expect_eq "segv: signal stored" "$(stored segv signal)" '"SIGSEGV"'

# 3. Garbage: no line ends in a number.
tune_one garbage sh "$CHILDREN/garbage.sh"
expect_eq "garbage: exit 1" "$RC" 1
expect_match "garbage: reason" "$ERR" 'trial 0 failed: printed no objective value'
[[ -n $DB ]] && expect_eq "garbage: fail_reason stored" \
    "$(stored garbage fail_reason)" '"printed no objective value"'

# 4. Malformed protocol lines name the line number and the text.
tune_one badreport sh -c 'echo hi; echo "@hpo report one 0.5"; echo 1'
expect_match "bad report step" "$ERR" \
    "trial 0 failed: stdout line 2: bad protocol line '@hpo report one 0.5': step 'one' is not a whole number"
tune_one badvalue sh -c 'echo "@hpo value 0.5 0.7"'
expect_match "two values for one objective" "$ERR" \
    "trial 0 failed: stdout line 1: bad protocol line '@hpo value 0.5 0.7': expected one value, got 2"
tune_one badword sh -c 'echo "  @hpo valeu 1"'
expect_match "unknown protocol word" "$ERR" \
    "trial 0 failed: stdout line 1: bad protocol line '@hpo valeu 1': expected '@hpo value V', '@hpo report STEP V', '@hpo constraints C...' or '@hpo attr NAME VALUE'"
tune_one notnumber sh -c 'echo "@hpo value 0,5"'
expect_match "value not a number" "$ERR" "'0,5' is not a number"
# A malformed line stops the child at once: it would sleep 20 s otherwise.
start=$SECONDS
tune_one badstop sh -c 'echo "@hpo report"; sleep 20; echo 1'
expect_match "malformed line: reason" "$ERR" "expected '@hpo report STEP VALUE'"
expect_true "malformed line: child stopped at once" test $((SECONDS - start)) -le 5

# 5. NaN fails (Optuna's rule); inf is a value.
tune_one nan sh -c 'echo "@hpo value nan"'
expect_match "nan: reason" "$ERR" 'trial 0 failed: objective value is nan'

# 6. The study goes on after failures: even trials crash, odd ones work.
run "$HPO" tune --storage "${DB:-memory:}" --study mixed -n 6 -p x=float:0:1 \
    -- sh -c 'if [ $(({trial} % 2)) = 0 ]; then echo "bad {trial}" >&2; exit 2; fi; echo {x}'
expect_eq "mixed: some trials worked -> exit 0" "$RC" 0
expect_match "mixed: summary" "$ERR" '6 trials in [0-9]+s: 3 complete, 0 pruned, 3 failed'
expect_match "mixed: best is an odd trial" "$OUT" 'best trial [135]: value'
if [[ -n $DB ]]; then
    run "$HPO" trials --storage "$DB" --study mixed
    expect_eq "mixed: all six trials listed" "$(grep -c -E '^[0-5] ' <<<"$OUT")" 6
    expect_eq "mixed: three FAIL rows" "$(grep -c ' FAIL ' <<<"$OUT")" 3
    expect_match "mixed: table header" "$OUT" '^number +state +value +duration_s +x +fail_reason'
fi

finish
