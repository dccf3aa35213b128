# tune_wilcoxon.sh HPO: --pruner wilcoxon on a racing-like target whose
# child reports one score per instance (step = instance id): clearly worse
# configurations are stopped after a few instances, so fewer instances are
# evaluated than without a pruner, for the same best; bad options refused.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

export HPO_TEST_DIR="$TMP"
run "$HPO" tune --storage memory: --sampler random --seed 3 -n 20 \
    --pruner wilcoxon -p x=float:0:1 -- sh "$CHILDREN/instances.sh" '{x}' 12
expect_eq "wilcoxon: exit 0" "$RC" 0
pruned=$(sed -n 's/.* complete, \([0-9]*\) pruned, 0 failed.*/\1/p' <<<"$ERR")
expect_true "wilcoxon: trials pruned (${pruned:-none})" test "${pruned:-0}" -ge 5
evals_pruned=$(wc -l <evals)
best_pruned=$(sed -n 's/.*best \([0-9.]*\) (trial.*/\1/p' <<<"$ERR")

rm -f evals
run "$HPO" tune --storage memory: --sampler random --seed 3 -n 20 \
    --pruner none -p x=float:0:1 -- sh "$CHILDREN/instances.sh" '{x}' 12
expect_eq "none: exit 0" "$RC" 0
evals_all=$(wc -l <evals)
best_all=$(sed -n 's/.*best \([0-9.]*\) (trial.*/\1/p' <<<"$ERR")
expect_eq "none: every instance of every trial" "$evals_all" 240
expect_true "wilcoxon: fewer evaluations ($evals_pruned < $evals_all)" \
    test "$evals_pruned" -lt $((evals_all * 3 / 4))
# Same seed, same sampler: the same configurations; here no pruned one
# would have been the best, so both runs find the same best.
expect_eq "wilcoxon: the same best as without pruning" "$best_pruned" "$best_all"

run "$HPO" tune --storage memory: -n 1 --pruner wilcoxon:p_threshold=2 \
    -p x=float:0:1 -- sh "$CHILDREN/instances.sh" '{x}' 3
expect_eq "bad option: exit 2" "$RC" 2
expect_match "bad option: message" "$ERR" "p_threshold"

# Smoke run of the benchmark (bench/wilcoxon_race.sh).
run bash "$CHILDREN/../../bench/wilcoxon_race.sh" "$HPO" --seeds 1 --trials 8 \
    --instances 6
expect_eq "bench smoke: exit 0" "$RC" 0
expect_match "bench smoke: a median row" "$OUT" $'\nmedian \\| 48 \\| [0-9]+ \\|'

finish
