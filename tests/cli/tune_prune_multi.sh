# tune_prune_multi.sh HPO: `@hpo report` lines reach the pruner live and
# a pruned child is killed at once; several objectives with several
# --direction flags give a Pareto front.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

# 1. Pruning: reporter.sh reports 10 steps, 0.05 s apart, and writes
#    finished.N only if it gets to the end.  With the median pruner after
#    3 complete trials, about half of the later trials are stopped early:
#    their children are killed, so they never write finished.N.
mkdir fin
export HPO_TEST_DIR="$TMP/fin"
run "$HPO" tune --storage memory: --seed 5 -n 15 \
    --pruner median:n_startup_trials=3 \
    -p x=float:0:1 -- sh "$CHILDREN/reporter.sh" '{x}' 10
expect_eq "prune: exit 0" "$RC" 0
pruned=$(sed -n 's/.* complete, \([0-9]*\) pruned, 0 failed.*/\1/p' <<<"$ERR")
expect_true "prune: some trials pruned (${pruned:-none})" test "${pruned:-0}" -ge 3
finished=$(ls fin | wc -l)
complete=$(sed -n 's/.* \([0-9]*\) complete, .*/\1/p' <<<"$ERR")
expect_eq "prune: pruned children did not run to the end" "$finished" "$complete"

# 2. Two objectives: minimize x, maximize 1 - (x - 0.5)^2.  The random
#    sampler with this seed puts a trial near 0.5, so the front is exactly
#    the trials with x <= 0.5 (a model-based sampler may leave a point just
#    above 0.5 undominated).
run "$HPO" tune --storage memory: --sampler random --seed 1 -n 20 -p x=float:0:1 \
    --direction minimize --direction maximize \
    -- sh -c 'awk "BEGIN {{ printf \"@hpo value %.6f %.6f\\n\", {x}, 1 - ({x} - 0.5)^2 }}"'
expect_eq "multi: exit 0" "$RC" 0
expect_match "multi: a Pareto front" "$OUT" $'pareto front: [0-9]+ trials?\ntrial [0-9]+: values [0-9.]+ [0-9.]+\n  x = '
# On this problem the front is the trials with x <= 0.5; check each.
while read -r _ _ _ v1 v2; do
    expect_true "multi: front point $v1 $v2 has x <= 0.5" \
        awk -v x="$v1" 'BEGIN { exit !(x <= 0.5) }'
done < <(grep '^trial ' <<<"$OUT")

# 3. Two objectives but one value: a FAIL with the reason.
run "$HPO" tune --storage memory: -n 1 -p x=float:0:1 -d min -d max \
    -- sh -c 'echo "@hpo value 1"'
expect_eq "multi: wrong count fails -> exit 1" "$RC" 1
expect_match "multi: wrong count reason" "$ERR" \
    "bad protocol line '@hpo value 1': expected 2 values \(one per objective\), got 1"
# Without a protocol line the last line's last two words count.
run "$HPO" tune --storage memory: -q -n 1 -p x=float:0:1 -d min -d min \
    -- sh -c 'echo "scores 0.25 0.75"'
expect_match "multi: two trailing numbers" "$OUT" 'trial 0: values 0.25 0.75'

finish
