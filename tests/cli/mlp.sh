# mlp.sh HPO: the mlp learner end to end on digits (few epochs, small
# hidden layers, so it takes seconds):
#   hpo learn mlp        "@hpo report EPOCH V" per epoch, then "@hpo value V";
#                        --checkpoint-out then --checkpoint-in goes on where
#                        it stopped, equal to the run never stopped; damaged
#                        or misused checkpoints are clear errors
#   hpo tune-model mlp   three trials with epochs as the fidelity
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

run "$HPO" learn mlp --data x.csv
if [[ $ERR == *"built without the learners"* ]]; then
    echo "skipped: built without the learners"
    exit 0
fi
DATA=${HPO_DATA_DIR:-${HPO_SOURCE_DIR:?}/../shared/data}/digits.csv
[[ -r $DATA ]] || { echo "no $DATA (set HPO_DATA_DIR)" >&2; exit 1; }
export OPENBLAS_NUM_THREADS=1

# ---- hpo learn mlp ------------------------------------------------------------
SMALL=(--data "$DATA" --holdout 0.2 --hidden 32 --lr 0.05)
run "$HPO" learn mlp "${SMALL[@]}" --epochs 3
expect_eq "learn mlp exit" "$RC" 0
expect_eq "one report per epoch" "$(grep -c '^@hpo report' <<<"$OUT")" 3
expect_match "names the split" "$OUT" "hold-out \\(20% test\\) error of "
whole=$(tail -n 1 <<<"$OUT")
expect_match "a validation error below 20% after 3 epochs" "$whole" '^@hpo value 0\.(0|1)[0-9]*$'
run "$HPO" learn mlp "${SMALL[@]}" --epochs 3 --cv 3 -q
expect_eq "learn mlp with 3-fold CV" "$RC" 0

# 2 epochs, saved; 1 more from the checkpoint: the same as 3 in one go.
run "$HPO" learn mlp "${SMALL[@]}" --epochs 2 --checkpoint-out a.ckpt -q
expect_eq "checkpoint written" "$RC:$(test -s a.ckpt && echo yes)" "0:yes"
run "$HPO" learn mlp "${SMALL[@]}" --epochs 1 --checkpoint-in a.ckpt \
    --checkpoint-out b.ckpt -q
expect_match "resumed at epoch 3" "$OUT" '^@hpo report 3 '
expect_eq "resumed = never stopped" "$(tail -n 1 <<<"$OUT")" "$whole"
expect_eq "no temporary file left" "$(ls | grep -c tmp || true)" 0
run "$HPO" learn mlp "${SMALL[@]}" --epochs 3 --checkpoint-in "" -q
expect_eq "an empty --checkpoint-in starts afresh" "$(tail -n 1 <<<"$OUT")" "$whole"

head -c 500 a.ckpt >cut.ckpt
expect_usage_error "hpo learn: cut.ckpt: truncated or padded checkpoint (500 bytes, the header says $(stat -c %s a.ckpt))" \
    learn mlp "${SMALL[@]}" --epochs 1 --checkpoint-in cut.ckpt
echo "not a checkpoint" >junk.ckpt
expect_usage_error "hpo learn: junk.ckpt: not an hpo mlp checkpoint" \
    learn mlp "${SMALL[@]}" --epochs 1 --checkpoint-in junk.ckpt
expect_usage_error "hpo learn: a checkpoint holds one model: it needs one split (a hold-out), not 5 folds" \
    learn mlp --data "$DATA" --epochs 1 --checkpoint-out c.ckpt
expect_usage_error "hpo learn: learner 'svm' keeps no checkpoints" \
    learn svm --data "$DATA" --holdout 0.2 --checkpoint-out c.ckpt
expect_usage_error "hpo learn: a.ckpt: the checkpoint has 1 hidden layer(s) of 32 units; hidden and layers cannot change" \
    learn mlp --data "$DATA" --holdout 0.2 --hidden 64 --epochs 1 --checkpoint-in a.ckpt
run "$HPO" learn mlp "${SMALL[@]}" --epochs 2 --lr 1e6
expect_match "a diverged model scores as the majority class" "$OUT" $'\n@hpo value 0\\.89972144846796[0-9]*$'
expect_eq "... and says so" "$ERR" "hpo learn: fold 1: diverged at epoch 1 (the loss is not finite: lr too large); scored as predicting the majority class"
run "$HPO" learn mlp --help
expect_match "learn mlp --help lists its hyperparameters" "$OUT" "\\* weight_decay +L2 penalty"

# ---- hpo tune-model mlp --------------------------------------------------------
run "$HPO" tune-model mlp --data "$DATA" --holdout 0.2 --storage memory: \
    --trials 3 --seed 0 --set epochs=3 -p hidden=int:16:32
expect_eq "tune-model mlp exit" "$RC" 0
expect_match "three trials" "$ERR" "3 trials in .*: 3 complete"
best=$(grep '^best ' <<<"$OUT")
expect_match "the best trial's error" "$best" "^best hold-out \\(20% test\\) error 0\\.[0-9]+ \\(trial [0-2]\\): "
for name in epochs=3 'hidden=(1[6-9]|2[0-9]|3[0-2])( |$)' 'lr=[0-9.e-]+' \
    'momentum=[0-9.e-]+' 'weight_decay=[0-9.e-]+'; do
    expect_match "the best names $name" "$best" " $name"
done

finish
