# hypergrad_sgd.sh HPO: `hpo hypergrad mlp|linear` end to end on digits —
# hypergradients through SGD (src/hypergrad/sgd_*.c): a few outer steps
# stored as trials with one parameter per epoch, the comparison at equal
# fits, truncation, and clear errors for bad options and regression data.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"
DATA=${HPO_DATA_DIR:-${HPO_SOURCE_DIR:?}/../shared/data}
[[ -r $DATA/digits.csv ]] || { echo "no $DATA/digits.csv (set HPO_DATA_DIR)" >&2; exit 1; }
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
require_sqlite

run "$HPO" hypergrad mlp --data "$DATA/digits.csv" --epochs 3 --steps 3 \
    --hidden 16 --method adam --step-size 0.3 --storage sqlite:///s.db \
    --compare --samplers random
expect_eq "mlp exit" "$RC" 0
expect_match "progress per step" "$ERR" "step 3/3: validation [0-9.]+"
expect_match "summary" "$OUT" "mlp: best validation loss [0-9.]+, its test loss [0-9.]+, 3 steps, 3 fits"
expect_match "comparison row" "$OUT" $'\nrandom +3 +[0-9.]+ +[0-9.]+ +0\\.[0-9]+'
run "$HPO" trials --storage sqlite:///s.db --study hypergrad-mlp
expect_match "one parameter per epoch" "$OUT" "lr_1 +lr_2 +lr_3"
expect_eq "each outer step a trial" "$(grep -c COMPLETE <<<"$OUT")" 3
# Descending from lr 0.01 on the per-epoch schedule lowers the loss.
first=$(awk '$2 == "COMPLETE" {print $3; exit}' <<<"$OUT")
last=$(awk '$2 == "COMPLETE" {v = $3} END {print v}' <<<"$OUT")
expect_true "the validation loss went down" awk -v a="$first" -v b="$last" 'BEGIN {exit !(b < a)}'

run "$HPO" hypergrad linear --data "$DATA/digits.csv" --epochs 2 --steps 2 \
    --tune lr,momentum,weight_decay --schedule constant --truncate 20 -q
expect_eq "linear exit" "$RC" 0
expect_match "three constant hyperparameters" "$OUT" "at 3 hyperparameters"

expect_usage_error "hpo hypergrad: --schedule: 'weekly' is not per-epoch or constant" \
    hypergrad mlp --data "$DATA/digits.csv" --schedule weekly
expect_usage_error "hpo hypergrad: --tune: 'speed' is not lr, momentum or weight_decay" \
    hypergrad linear --data "$DATA/digits.csv" --tune lr,speed
expect_usage_error "hpo hypergrad: sgd: $DATA/diabetes.csv is not a classification dataset with two classes or more (the unrolled hypergradients train on cross-entropy)" \
    hypergrad mlp --data "$DATA/diabetes.csv"
finish
