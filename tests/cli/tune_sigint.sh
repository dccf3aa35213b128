# tune_sigint.sh HPO: Ctrl-C (SIGINT) while children run: hpo kills every
# child's process group, fails the trials in flight ("interrupted"), keeps
# the finished ones, prints its summary and exits 130.  SIGTERM: 143.
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
    'hpo: interrupted: 5 trials in [0-9]+s: 3 complete, 0 pruned, 2 failed; best'
expect_match "SIGINT: in-flight trials interrupted" "$ERR" \
    'hpo: trial [34] failed: interrupted'
expect_match "SIGINT: best of the finished trials printed" "$OUT" \
    'best trial [0-2]: value'
if [[ $DB != memory: ]]; then
    run "$HPO" trials --storage "$DB" --study study_int --format csv
    expect_eq "SIGINT: finished trials kept" "$(grep -c ',COMPLETE,' <<<"$OUT")" 3
    expect_eq "SIGINT: trials in flight are FAIL" \
        "$(grep -c ',FAIL,.*,interrupted$' <<<"$OUT")" 2
    expect_eq "SIGINT: nothing left RUNNING" "$(grep -c ',RUNNING,' <<<"$OUT" || true)" 0
fi

interrupt TERM term study_term
expect_eq "SIGTERM: exit 143" "$RC" 143
expect_true "SIGTERM: every child process group is gone" all_gone term
expect_match "SIGTERM: summary" "$ERR" 'hpo: interrupted: 5 trials'

finish
