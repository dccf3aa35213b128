# children_die.sh HPO: a trial's child and everything it started die with
# hpo, however hpo dies.  hpo tune -j 2 runs children that start
# grandchildren (one still holding the child's output, one that let go of
# it, one a level deeper) and sleep; hpo is killed with SIGKILL; no child
# or grandchild may survive (each wrote its pid to a file).  The same for
# hpo worker.  And a child that exits normally takes what it left behind
# with it.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

mkdir pids
cat >family.sh <<'SH'
n=$HPO_TRIAL_NUMBER
echo $$ >pids/child.$n.$$
sleep 300 &
echo $! >pids/grandchild.$n.$!
sleep 300 >/dev/null 2>&1 </dev/null &
echo $! >pids/detached.$n.$!
sh -c 'sleep 300 & echo $! >pids/great.'$n'.$!; wait' &
wait
SH

# survivors: the recorded processes that are still there.
survivors() {
    local f pid left=""
    for f in pids/*; do
        pid=${f##*.}
        if ! process_gone "$pid" 2>/dev/null; then
            left+=" $(basename "$f")"
        fi
    done
    echo "$left"
}

# Whatever survived a failed check is not left running: killed by pid.
cleanup() {
    local f
    for f in pids/*; do
        [[ -e $f ]] && kill -9 "${f##*.}" 2>/dev/null || true
    done
}
trap 'cleanup; rm -rf "$TMP"' EXIT

# kill9_during CMD...: start CMD, wait for two families, SIGKILL it.
kill9_during() {
    cleanup
    rm -f pids/*
    "$@" >/dev/null 2>kill9.err &
    local pid=$!
    if ! wait_for_files 8 "pids/*" 20; then
        fail "$1 $2: the children did not start: $(cat kill9.err)"
    fi
    kill -9 "$pid"
    wait "$pid" 2>/dev/null || true
}

kill9_during "$HPO" tune --storage memory: --study k -n 4 -j 2 -p x=float:0:1 \
    -- sh family.sh
expect_eq "tune killed: no child or grandchild left" "$(survivors)" ""

if have_sqlite; then
    DB="sqlite:///$TMP/w.db"
    cleanup
    rm -f pids/*
    "$HPO" tune --storage "$DB" --study w -n 1 -p x=float:0:1 -- sh family.sh \
        >/dev/null 2>&1 &
    tune=$!
    wait_for_files 4 "pids/*" 20 || fail "worker: the first trial did not start"
    kill -9 $tune
    wait $tune 2>/dev/null || true
    kill9_during "$HPO" worker --storage "$DB" --study w -n 4 -j 2
    expect_eq "worker killed: no child or grandchild left" "$(survivors)" ""
fi

# A child that ends on its own takes its group with it: the sleep it
# left in the background (not holding hpo's pipes) does not outlive it.
rm -f pids/*
run "$HPO" tune --storage memory: --study done -n 2 -p x=float:0:1 \
    -- sh -c 'sleep 300 >/dev/null 2>&1 </dev/null & echo $! >pids/left.$HPO_TRIAL_NUMBER.$!; echo 1'
expect_eq "normal end: exit 0" "$RC" 0
expect_eq "normal end: nothing left behind" "$(survivors)" ""
finish
