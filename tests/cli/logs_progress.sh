# logs_progress.sh HPO: what a run says while it runs (docs/cli.md, "Logs
# and progress"): a record per finished trial at the default level, -q,
# --log-level, --log-file, plain progress lines when stderr is not a
# terminal, fold and round progress of tune-model and nested-cv, and
# Ctrl-C acknowledged at once by tune-model.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"
require_sqlite

STAMP='\[I [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\]'
NUM='[0-9.e+-]+'

# ---- hpo tune: the record of each trial -------------------------------------
run "$HPO" tune --storage memory: -n 3 --seed 1 -p x=float:0:1 -p k=cat:a,b \
    -- sh -c 'echo {x}'
expect_eq "tune: exit 0" "$RC" 0
expect_match "tune: a record with number, state, value, best, params, duration" \
    "$ERR" "$STAMP trial 0 COMPLETE value=$NUM \(best $NUM at trial 0\) params \{\"x\": $NUM, \"k\": \"[ab]\"\} [0-9.]+s"
expect_eq "tune: one record per trial" "$(grep -cE "$STAMP trial [0-9]+ COMPLETE" <<<"$ERR")" 3

run "$HPO" tune --storage memory: -n 2 -p x=float:0:1 -- sh -c 'echo boom >&2; exit 3'
expect_match "tune: a failed trial says why" "$ERR" \
    'hpo: trial 0 failed: exited with status 3; stderr: boom'

run "$HPO" tune --storage memory: -n 3 --seed 1 -q -p x=float:0:1 -- sh -c 'echo {x}'
expect_eq "-q: nothing on stderr" "$ERR" ""

run "$HPO" tune --storage memory: -n 2 --log-level warning -p x=float:0:1 \
    -- sh -c 'if [ {trial} = 0 ]; then exit 4; fi; echo {x}'
expect_eq "--log-level warning: no info line" "$(grep -c '^\[I \|^hpo: study' <<<"$ERR" || true)" 0
expect_match "--log-level warning: the failure still shows" "$ERR" 'hpo: trial 0 failed: exited with status 4'

run "$HPO" tune --storage memory: -n 1 --log-level loud -p x=float:0:1 -- echo 1
expect_eq "--log-level loud: usage error" "$RC" 2
expect_match "--log-level loud: says which levels" "$ERR" \
    "hpo tune: --log-level: 'loud' is not debug, info, warning or error"

# --log-file: every record, timestamped, appended, whatever -q says.
for i in 1 2; do
    run "$HPO" tune --storage memory: -n 2 -q --log-file run.log -p x=float:0:1 \
        -- sh -c 'if [ {trial} = 1 ]; then exit 5; fi; echo {x}'
done
expect_eq "--log-file with -q: the terminal is quiet" "$ERR" ""
LOG=$(<run.log)
expect_eq "--log-file: appended, one record per COMPLETE trial per run" \
    "$(grep -cE "$STAMP trial 0 COMPLETE value=" <<<"$LOG")" 2
expect_match "--log-file: messages timestamped" "$LOG" "$STAMP hpo: study tune-"
expect_match "--log-file: the failure, timestamped" "$LOG" \
    '\[W [0-9-]+ [0-9:]+\] hpo: trial 1 failed: exited with status 5'
expect_match "--log-file: the error line too" "$LOG" '\[E [0-9-]+ [0-9:]+\] hpo: all|\[I [0-9-]+ [0-9:]+\] hpo: 2 trials'
run "$HPO" tune --storage memory: -n 1 --log-file "$TMP/no/such/dir/x.log" -- echo 1
expect_eq "--log-file in a missing directory: usage error" "$RC" 2
expect_match "... naming the file" "$ERR" "hpo tune: --log-file: cannot open '.*x.log': No such file"

# Not a terminal: plain progress lines now and then, never a redrawn line.
HPO_PROGRESS_INTERVAL=0.2 run "$HPO" tune --storage memory: -n 4 -p x=float:0:1 \
    -- sh -c 'sleep 0.4; echo {x}'
expect_match "not a tty: plain progress lines" "$ERR" "$STAMP \[[0-9]/4\] done [0-9] failed 0"
expect_eq "not a tty: no carriage return" "$(tr -cd '\r' <<<"$ERR" | wc -c)" 0
expect_eq "not a tty: no escape sequence" "$(tr -cd '\033' <<<"$ERR" | wc -c)" 0

# ---- hpo worker ----------------------------------------------------------------
DB=sqlite:///$TMP/w.db
run "$HPO" tune --storage "$DB" --study w -n 1 -p x=float:0:1 -- sh -c 'echo {x}'
run "$HPO" worker --storage "$DB" --study w -n 2
expect_match "worker: the record of its trials" "$ERR" "$STAMP trial [12] COMPLETE value=$NUM"
run "$HPO" worker --storage "$DB" --study w -n 1 -q
expect_eq "worker -q: nothing on stderr" "$ERR" ""

# ---- tune-model and nested-cv --------------------------------------------------
run "$HPO" learn svm --data x.csv
if [[ $ERR == *"built without the learners"* ]]; then
    echo "the rest skipped: built without the learners"
    
# ---- Ctrl-C in nested-cv: the fold under way finishes, then it stops ----------
rm -f ncv.err
"$HPO" nested-cv svm --data "$DATA" --outer 2 --inner 2 -n 1000000 --seed 0 \
    --sampler random >ncv.out 2>ncv.err &
pid=$!
for ((k = 0; k < 300; k++)); do
    grep -q 'outer fold 1/2: tuning' ncv.err 2>/dev/null && break
    sleep 0.1
done
sleep 0.5
kill -INT "$pid"
set +e; wait "$pid"; RC=$?; set -e
ERR=$(<ncv.err)
expect_eq "nested-cv Ctrl-C: exit 130" "$RC" 130
# (inner svm trials last milliseconds: the signal may fall between two)
expect_match "nested-cv Ctrl-C: acknowledged at once" "$ERR" \
    'hpo: interrupted: (finishing 1 running trial|starting no more trials) \(Ctrl-C again to stop now\)'
expect_match "nested-cv Ctrl-C: the fold under way done" "$ERR" \
    "$STAMP outer fold 1/2 done: [0-9]+ inner trials complete"
expect_match "nested-cv Ctrl-C: says where it stopped" "$ERR" 'hpo: interrupted after 1 of 2 outer folds'
expect_match "nested-cv Ctrl-C: the fold's row printed" "$(<ncv.out)" $'\n   1 +[0-9]+ +[0-9]+ '

finish
fi
DATA=${HPO_DATA_DIR:-${HPO_SOURCE_DIR:?}/../shared/data}/breast_cancer.csv
[[ -r $DATA ]] || { echo "no $DATA (set HPO_DATA_DIR)" >&2; exit 1; }

run "$HPO" tune-model svm --data "$DATA" --storage memory: -n 2 --seed 0 --cv 3
expect_match "tune-model: the record" "$ERR" "$STAMP trial 1 COMPLETE value=$NUM .* params \{\"C\": $NUM, \"gamma\": $NUM\}"
run "$HPO" tune-model svm --data "$DATA" --storage memory: -n 2 --seed 0 --cv 3 -v
expect_match "tune-model -v: each fold of a trial" "$ERR" \
    '\[D [0-9-]+ [0-9:]+\] trial 0 fold 3/3 [0-9.]+s, ~[0-9.]+s left'
run "$HPO" tune-model xgboost --data "$DATA" --storage memory: -n 6 --seed 1 \
    --sampler random --pruner median --set num_round=20 --cv 3 -v
expect_match "tune-model -v: xgboost rounds" "$ERR" '\] trial 0 round 20/20 '
expect_match "tune-model: a pruned trial says at which step" "$ERR" \
    "$STAMP trial [0-9]+ PRUNED at step [0-9]+ \(value $NUM\) params"

run "$HPO" nested-cv svm --data "$DATA" --outer 2 --inner 2 -n 2 --seed 0
expect_eq "nested-cv: exit 0" "$RC" 0
expect_match "nested-cv: a record per outer fold" "$ERR" \
    "$STAMP outer fold 2/2 done: 2 inner trials complete, best inner $NUM \(trial [01]\), outer $NUM, [0-9]+s; elapsed [0-9]+s, remaining ~0s"
expect_eq "nested-cv: inner trials only at -v" "$(grep -c '\] outer fold 1/2 trial' <<<"$ERR" || true)" 0
run "$HPO" nested-cv svm --data "$DATA" --outer 2 --inner 2 -n 2 --seed 0 -v
expect_match "nested-cv -v: each inner trial" "$ERR" \
    '\[D [0-9-]+ [0-9:]+\] outer fold 1/2 trial 1 COMPLETE value='
expect_match "nested-cv -v: each inner fold" "$ERR" '\] outer fold 2/2 trial 0 inner fold 2/2 '

# ---- Ctrl-C in tune-model and nested-cv ------------------------------------------
# interrupt_when PATTERN N HPO_ARGS...: run hpo in the background; once
# PATTERN shows on its stderr, send N SIGINTs 0.3 s apart.  Sets BG_RC,
# BG_OUT and BG_ERR.
interrupt_when() {
    local pattern=$1 n=$2 pid k
    shift 2
    rm -f bg.err
    "$HPO" "$@" >bg.out 2>bg.err &
    pid=$!
    for ((k = 0; k < 300; k++)); do
        grep -qE "$pattern" bg.err 2>/dev/null && break
        sleep 0.1
    done
    for ((k = 0; k < n; k++)); do kill -INT "$pid"; sleep 0.3; done
    set +e; wait "$pid"; BG_RC=$?; set -e
    BG_OUT=$(<bg.out)
    BG_ERR=$(<bg.err)
}
# interrupt_tm STUDY N: tune-model with slow trials, 2 at a time; after the
# first trial is stored, N SIGINTs; then OUT is the study's trials.
interrupt_tm() {
    interrupt_when ' COMPLETE ' "$2" tune-model xgboost --data "$DATA" \
        --storage "sqlite:///$TMP/tm.db" --study "$1" -n 1000 -j 2 --seed 1 \
        --sampler random --set num_round=1500 --set eta=0.01 --cv 3
    run "$HPO" trials --storage "sqlite:///$TMP/tm.db" --study "$1" --format csv
}
interrupt_tm once 1
expect_eq "Ctrl-C: exit 130" "$BG_RC" 130
expect_match "Ctrl-C: acknowledged at once" "$BG_ERR" \
    'hpo: interrupted: finishing 2 running trials \(Ctrl-C again to stop now\)'
expect_eq "Ctrl-C: every trial said COMPLETE is stored COMPLETE" \
    "$(grep -c ',COMPLETE,' <<<"$OUT")" "$(grep -cE "$STAMP trial [0-9]+ COMPLETE" <<<"$BG_ERR")"
expect_eq "Ctrl-C: the running trials finished" "$(grep -c ',RUNNING,\|,FAIL,' <<<"$OUT" || true)" 0
interrupt_tm twice 2
expect_eq "Ctrl-C twice: exit 130" "$BG_RC" 130
expect_match "Ctrl-C twice: stopping now" "$BG_ERR" 'hpo: stopping now: the running trials fail as interrupted'
expect_true "Ctrl-C twice: the finished trials kept" grep -q ',COMPLETE,' <<<"$OUT"
expect_match "Ctrl-C twice: the stopped ones FAIL as interrupted" "$OUT" ',FAIL,.*interrupted'
expect_eq "Ctrl-C twice: nothing left RUNNING" "$(grep -c ',RUNNING,' <<<"$OUT" || true)" 0

# nested-cv: the outer fold under way finishes, then it stops.
interrupt_when 'outer fold 1/2: tuning' 1 nested-cv svm --data "$DATA" --outer 2 \
    --inner 2 -n 1000000 --seed 0 --sampler random
expect_eq "nested-cv Ctrl-C: exit 130" "$BG_RC" 130
# (inner svm trials last milliseconds: the signal may fall between two)
expect_match "nested-cv Ctrl-C: acknowledged at once" "$BG_ERR" \
    'hpo: interrupted: (finishing 1 running trial|starting no more trials) \(Ctrl-C again to stop now\)'
expect_match "nested-cv Ctrl-C: the fold under way done" "$BG_ERR" \
    "$STAMP outer fold 1/2 done: [0-9]+ inner trials complete"
expect_match "nested-cv Ctrl-C: says where it stopped" "$BG_ERR" 'hpo: interrupted after 1 of 2 outer folds'
expect_match "nested-cv Ctrl-C: the fold's row printed" "$BG_OUT" $'\n   1 +[0-9]+ +[0-9]+ '

finish
