# tune_wilcoxon.sh HPO: --pruner wilcoxon on a racing-like target whose
# child reports one score per instance (step = instance id): clearly worse
# configurations are stopped after a few instances, so fewer instances are
# evaluated than without a pruner, for the same best; bad options refused.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"


# The instances hpo read before each verdict: the summary's resource (the
# child itself may compute a few more before it is stopped).
resource() { sed -n 's/.*; resource \([0-9]*\).*/\1/p' <<<"$ERR"; }
best() { sed -n 's/.*best \([0-9.]*\) (trial.*/\1/p' <<<"$ERR" | head -1; }
run "$HPO" tune --storage memory: --sampler random --seed 3 -n 20 \
    --pruner wilcoxon -p x=float:0:1 -- sh "$CHILDREN/instances.sh" '{x}' 12
expect_eq "wilcoxon: exit 0" "$RC" 0
pruned=$(sed -n 's/.* complete, \([0-9]*\) pruned, 0 failed.*/\1/p' <<<"$ERR")
expect_true "wilcoxon: trials pruned (${pruned:-none})" test "${pruned:-0}" -ge 5
read_pruned=$(resource)
best_pruned=$(best)

run "$HPO" tune --storage memory: --sampler random --seed 3 -n 20 \
    --pruner none -p x=float:0:1 -- sh "$CHILDREN/instances.sh" '{x}' 12
expect_eq "none: exit 0" "$RC" 0
read_all=$(resource)
expect_eq "none: every instance of every trial" "$read_all" 240
expect_true "wilcoxon: fewer instances ($read_pruned < $read_all)" \
    test "$read_pruned" -lt $((read_all * 3 / 4))
# Same seed, same sampler: the same configurations; here no pruned one
# would have been the best, so both runs find the same best.
expect_eq "wilcoxon: the same best as without pruning" "$best_pruned" "$(best)"

run "$HPO" tune --storage memory: -n 1 --pruner wilcoxon:p_threshold=2 \
    -p x=float:0:1 -- sh "$CHILDREN/instances.sh" '{x}' 3
expect_eq "bad option: exit 2" "$RC" 2
expect_match "bad option: message" "$ERR" "p_threshold"

# The same decisions as Optuna 3.6's rule computed with SciPy: the study's
# configurations run again through Optuna with that pruner
# (bench/wilcoxon_race_optuna.py) stop at the same instance, trial by trial.
if /usr/bin/python3 -c 'import optuna, scipy' 2>/dev/null; then
    run "$HPO" tune --storage "sqlite:///$TMP/w.db" --study w --sampler random \
        --seed 5 -n 30 --pruner wilcoxon -p x=float:0:1 -p y=float:0:1 \
        -- sh "$CHILDREN/instances2.sh" '{x}' '{y}' 16
    expect_eq "replay: exit 0" "$RC" 0
    run /usr/bin/python3 "$CHILDREN/../../bench/wilcoxon_race_optuna.py" \
        --replay "$TMP/w.db" w 16
    expect_eq "replay: every trial stopped where Optuna's rule stops it" \
        "$OUT" "30 trials, 0 stopped elsewhere []"
else
    echo "skipped: no Optuna and SciPy in /usr/bin/python3"
fi

# Smoke run of the benchmark (bench/wilcoxon_race.sh).
run bash "$CHILDREN/../../bench/wilcoxon_race.sh" "$HPO" --seeds 1 --trials 8 \
    --instances 6 --no-optuna
expect_eq "bench smoke: exit 0" "$RC" 0
expect_match "bench smoke: a median row" "$OUT" $'\nmedian \\| 48 \\| [0-9]+ \\|'

finish
