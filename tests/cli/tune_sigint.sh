# tune_sigint.sh HPO: Ctrl-C (SIGINT) while children run: hpo kills every
# child's process group, fails the trials in flight ("interrupted"), keeps
# the finished ones, prints its summary and exits 130.  SIGTERM: 143.
# A stuck hpo still ends on a second or third signal.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

if have_sqlite; then
    DB="sqlite:///$TMP/sigint.db"
else
    echo "note: no SQLite in this build; finished trials are checked from the summary only"
    DB="memory:"
fi

all_gone() {
    local f
    for f in "$1"/child.* "$1"/grandchild.*; do
        [[ -e $f ]] || return 1
        process_gone "$(<"$f")" || return 1
    done
}

# interrupt SIGNAL DIR STUDY: 3 quick trials, then hanging ones, 2 at a
# time; send SIGNAL once both hanging children are up.
interrupt() {
    local sig=$1 dir=$2 study=$3
    mkdir "$dir"
    "$HPO" tune --storage "$DB" --study "$study" -n 20 -j 2 -p x=float:0:1 \
        -- sh -c 'if [ {trial} -lt 3 ]; then echo {x}; else exec sh "$0" "$1"; fi' \
        "$CHILDREN/hang.sh" "$TMP/$dir" >"$dir.out" 2>"$dir.err" &
    local pid=$!
    if ! wait_for_files 4 "$TMP/$dir/*child.*" 10; then
        fail "$sig: the hanging children never started"
        kill -KILL "$pid"
        return
    fi
    local start=$SECONDS
    kill "-$sig" "$pid"
    set +e
    wait "$pid"
    RC=$?
    set -e
    TOOK=$((SECONDS - start))
    OUT=$(<"$dir.out")
    ERR=$(<"$dir.err")
}

interrupt INT int study_int
expect_eq "SIGINT: exit 130" "$RC" 130
expect_true "SIGINT: stopped within $TOOK s" test "$TOOK" -le 3
expect_true "SIGINT: every child process group is gone" all_gone int
expect_match "SIGINT: summary" "$ERR" \
    "hpo: interrupted: 5 trials in [0-9]+s: 3 complete, 0 pruned, 2 failed; this run's best"
expect_match "SIGINT: in-flight trials interrupted" "$ERR" \
    'hpo: trial [34] failed: interrupted'
expect_match "SIGINT: acknowledged at once" "$ERR" \
    'hpo: interrupted: stopping 2 running trials \(Ctrl-C again to kill them now\)'
expect_match "SIGINT: best of the finished trials printed" "$OUT" \
    'best trial [0-2]: value'
if [[ $DB != memory: ]]; then
    run "$HPO" trials --storage "$DB" --study study_int --format csv
    expect_eq "SIGINT: finished trials kept" "$(grep -c ',COMPLETE,' <<<"$OUT")" 3
    expect_eq "SIGINT: trials in flight are FAIL" \
        "$(grep -c ',FAIL,.*,interrupted,' <<<"$OUT")" 2
    expect_eq "SIGINT: nothing left RUNNING" "$(grep -c ',RUNNING,' <<<"$OUT" || true)" 0
fi

interrupt TERM term study_term
expect_eq "SIGTERM: exit 143" "$RC" 143
expect_true "SIGTERM: every child process group is gone" all_gone term
expect_match "SIGTERM: summary" "$ERR" 'hpo: interrupted: 5 trials'

# A stuck hpo (here: waiting for a database another process holds locked)
# still ends.  Before its study runs, one signal exits at once; while it
# runs, a third signal exits at once and a second within
# INTERRUPT_FORCE_AFTER_S (10 s).
if [[ $DB != memory: ]]; then
    lock_db() { # hold a write lock on the database until killed
        rm -f "$TMP/locked"
        /usr/bin/python3 -c '
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
open(sys.argv[2], "w").close()
time.sleep(120)' "$TMP/sigint.db" "$TMP/locked" &
        locker=$!
        wait_for_files 1 "$TMP/locked" 10 || fail "the locker never started"
    }
    unlock_db() { kill "$locker" 2>/dev/null || true; wait "$locker" 2>/dev/null || true; }
    # stuck N: a study whose first trial's end cannot be stored; N SIGINTs.
    stuck() {
        rm -f "$TMP"/started.*
        "$HPO" tune --storage "$DB" --study "stuck$1" -n 3 -p x=float:0:1 \
            -- sh -c "touch $TMP/started.{trial}; sleep 1; echo 1" \
            >stuck.out 2>stuck.err &
        local pid=$! k
        wait_for_files 1 "$TMP/started.*" 10 || fail "stuck: no trial started"
        lock_db
        sleep 1.5 # the trial ends and waits for the lock
        local start=$SECONDS
        for ((k = 0; k < $1; k++)); do kill -INT "$pid"; sleep 0.2; done
        set +e
        wait "$pid"
        RC=$?
        set -e
        TOOK=$((SECONDS - start))
        ERR=$(<stuck.err)
        unlock_db
    }
    stuck 3
    expect_eq "stuck, 3 signals: exit 130" "$RC" 130
    expect_true "stuck, 3 signals: gone within $TOOK s" test "$TOOK" -le 2
    expect_match "stuck: says so" "$ERR" 'hpo: forced exit; trials in flight are left RUNNING'
    stuck 2
    expect_eq "stuck, 2 signals: exit 130" "$RC" 130
    expect_true "stuck, 2 signals: gone within $TOOK s" \
        test "$TOOK" -ge 9 -a "$TOOK" -le 13

    lock_db # before any study: opening waits for the lock
    "$HPO" tune --storage "$DB" --study fresh -n 3 -p x=float:0:1 -- echo 1 \
        >fresh.out 2>fresh.err &
    pid=$!
    sleep 1
    kill -INT "$pid"
    set +e; wait "$pid"; RC=$?; set -e
    unlock_db
    expect_eq "stuck opening, 1 signal: exit 130" "$RC" 130
    expect_match "stuck opening: interrupted" "$(<fresh.err)" '^hpo: interrupted$'
fi

finish
