# tune_resume.sh HPO: re-running an interrupted `hpo tune --trials N`
# finishes the study at N complete trials; --more runs N more; the summary
# names this run's best and, on a line of its own, the study's.
# (Skipped without SQLite.)
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

require_sqlite
DB="sqlite:///$TMP/r.db"
# Trial 3 interrupts hpo (Ctrl-C, as a user would) before it reports.
CHILD='if [ {trial} = 3 ]; then kill -INT $PPID; sleep 5; fi; echo {x}'
tune() { run "$HPO" tune --storage "$DB" --study r --seed 1 --sampler random \
    -p x=float:0:1 "$@" -- sh -c "$CHILD"; }
complete() {
    "$HPO" trials --storage "$DB" --study r --format csv | grep -c ',COMPLETE,' || true
}

tune -n 6
expect_eq "interrupted: exit 130" "$RC" 130
expect_eq "interrupted after 3 complete trials" "$(complete)" 3

tune -n 6
expect_eq "re-run: exit 0" "$RC" 0
expect_eq "re-run: the study has its 6 complete trials" "$(complete)" 6
expect_match "re-run: 3 trials in this run, and this run's best" "$ERR" \
    "hpo: 3 trials in [0-9]+s: 3 complete, 0 pruned, 0 failed; this run's best [0-9.e-]+ \(trial [4-6]\)"
expect_match "re-run: the study's best on a line of its own" "$ERR" \
    $'\n'"hpo: study r: best [0-9.e-]+ \(trial [0-9]\) of 6 complete trials"

tune -n 6
expect_eq "again: nothing to run" "$RC/$(complete)" "0/6"
expect_match "again: says how to run more" "$ERR" \
    "hpo: study r already has 6 complete trials \(--trials 6 counts the study's; --more runs 6 more\)"

tune -n 2 --more
expect_eq "--more: 2 more" "$RC/$(complete)" "0/8"
run "$HPO" tune --storage "$DB" --study r --more -p x=float:0:1 -- true
expect_eq "--more without --trials" "$RC/$ERR" "2/hpo tune: --more needs --trials N (N more trials)"
tune -n 9 -q
expect_eq "-n 9: one more" "$RC/$(complete)" "0/9"
finish
