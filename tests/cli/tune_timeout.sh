# tune_timeout.sh HPO: --trial-timeout kills a hanging child's whole
# process group, fails the trial with the reason, and the run finishes
# fast; a child that ignores SIGTERM gets SIGKILL after the grace period;
# --timeout stops starting trials.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

# all_gone DIR: every pid recorded by hang.sh / stubborn.sh has exited.
all_gone() {
    local f
    for f in "$1"/child.* "$1"/grandchild.*; do
        [[ -e $f ]] || return 1 # nothing recorded: the child never ran
        process_gone "$(<"$f")" || { echo "still running: $f" >&2; return 1; }
    done
}

# 1. Two hanging trials, one at a time, 1 s each.
mkdir hang
start=$SECONDS
run "$HPO" tune --storage memory: -n 2 --trial-timeout 1 -p x=float:0:1 \
    -- sh "$CHILDREN/hang.sh" "$TMP/hang"
took=$((SECONDS - start))
expect_eq "hang: all failed -> exit 1" "$RC" 1
expect_match "hang: reason" "$ERR" 'hpo: trial 0 failed: timed out after 1 s'
expect_match "hang: second trial too" "$ERR" 'hpo: trial 1 failed: timed out after 1 s'
expect_true "hang: 2 trials of 1 s took $took s" test "$took" -le 4
expect_eq "hang: two children ran" "$(ls hang | grep -c '^child\.')" 2
expect_true "hang: no child or grandchild left" all_gone hang

# 2. A child ignoring SIGTERM is killed after the grace period (2 s).
mkdir stubborn
start=$SECONDS
run "$HPO" tune --storage memory: -n 1 --trial-timeout 0.5s -p x=float:0:1 \
    -- sh "$CHILDREN/stubborn.sh" "$TMP/stubborn"
took=$((SECONDS - start))
expect_match "stubborn: reason" "$ERR" 'trial 0 failed: timed out after 0.5 s'
expect_true "stubborn: took $took s (timeout + grace)" test "$took" -le 5
expect_true "stubborn: no child or grandchild left" all_gone stubborn

# 3. A child that exits but leaves a process holding its stdout: the
#    trial still ends, with its value, and the leftover is killed.
start=$SECONDS
run "$HPO" tune --storage memory: -q -n 1 -p x=float:0:1 \
    -- sh -c 'sleep 30 & echo $! > leftover.pid; echo 0.5'
took=$((SECONDS - start))
expect_match "leftover: value read" "$OUT" 'best trial 0: value 0.5'
expect_true "leftover: took $took s" test "$took" -le 3
expect_true "leftover: killed" process_gone "$(<leftover.pid)"

# 4. --timeout: no trial starts after it; the run ends after the trial
#    in flight.
start=$SECONDS
run "$HPO" tune --storage memory: --timeout 1 -p x=float:0:1 \
    -- sh -c 'sleep 0.3; echo {x}'
took=$((SECONDS - start))
expect_eq "timeout: exit 0" "$RC" 0
expect_true "timeout: took $took s" test "$took" -le 3
expect_match "timeout: a few trials ran" "$ERR" 'hpo: [2-5] trials in'

finish
