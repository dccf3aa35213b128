# learn.sh HPO: the learning subcommands end to end on breast_cancer.
#   hpo learn       one configuration -> "@hpo value V" (and per-round
#                   "@hpo report" for xgboost); clear errors; works as the
#                   child of hpo tune
#   hpo tune-model  in-process tuning into a storage; what it tunes is
#                   kept with the study; xgboost rounds reach the pruner
#   hpo nested-cv   the per-fold table and a gap computed right
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

run "$HPO" learn svm --data x.csv
if [[ $ERR == *"built without the learners"* ]]; then
    echo "skipped: built without the learners"
    exit 0
fi
DATA=${HPO_DATA_DIR:-${HPO_SOURCE_DIR:?}/../shared/data}/breast_cancer.csv
[[ -r $DATA ]] || { echo "no $DATA (set HPO_DATA_DIR)" >&2; exit 1; }

# ---- hpo learn ----------------------------------------------------------------
run "$HPO" learn svm --data "$DATA" --C 8 --gamma 0.0078125
expect_eq "learn exit" "$RC" 0
# The libsvm guide grid's best point: 9 rows wrong, spread over 5 folds.
expect_match "learn value" "$OUT" $'\n@hpo value 0.0158049992237230[0-9]*$'
expect_match "learn names the folds" "$OUT" "5-fold stratified CV error of C=8 gamma=0.0078125"
run "$HPO" learn svm --data "$DATA" --C=8 --gamma=0.0078125 --cv 3 --seed 1 -q
expect_eq "learn -q prints only the value" "$(grep -c . <<<"$OUT")" 1
run "$HPO" learn xgboost --data "$DATA" --num_round 4 --max_depth 2 -q
expect_eq "xgboost reports every round" "$(grep -c '^@hpo report' <<<"$OUT")" 4
expect_match "xgboost report 4 then the value" "$OUT" $'@hpo report 4 [0-9.e-]+\n@hpo value '

expect_usage() { expect_usage_error "$@"; }
expect_usage "hpo learn: unknown model 'svn' (known: svm, linear, xgboost, mlp)" learn svn --data "$DATA"
expect_usage "hpo learn: learner 'svm' has no hyperparameter 'gama' (hpo learn svm --help lists them)" \
    learn svm --data "$DATA" --gama 1
expect_usage "hpo learn: --metric: unknown metric 'eror' (known: error, accuracy, logloss, auc, rmse, mae)" \
    learn svm --data "$DATA" --metric eror
expect_usage "hpo learn: --metric: 'rmse' does not apply to classification (the target of $DATA is a class label; see --task)" \
    learn svm --data "$DATA" --metric rmse
expect_usage "hpo learn: --data FILE is required" learn svm --C 1
printf 'a,b,y\n1,2,0\n3,x,1\n' >bad.csv
expect_usage "hpo learn: bad.csv:3:2: 'x' is not a number (column b): --categorical error refuses text in a feature (--categorical onehot encodes it)" \
    learn svm --data bad.csv --categorical error
expect_usage "hpo learn: --C needs a value" learn svm --data "$DATA" --C
run "$HPO" learn svm --data "$DATA" --C abc
expect_match "a non-number C" "$ERR" "C: 'abc' is not a number"
run "$HPO" learn svm --help
expect_match "learn MODEL --help lists its hyperparameters" "$OUT" "\* C +cost of a margin violation"

# As the child of hpo tune.
run "$HPO" tune --storage memory: -n 3 --seed 2 -p C=float:0.03125:32768:log \
    -p gamma=float:3.0517578125e-05:8:log -- "$HPO" learn svm --data "$DATA" \
    --C {C} --gamma {gamma} --cv 3
expect_eq "tune -- hpo learn: exit" "$RC" 0
expect_match "tune -- hpo learn: 3 complete" "$ERR" "3 trials in .*: 3 complete, 0 pruned, 0 failed"

# ---- hpo tune-model ------------------------------------------------------------
DB=sqlite:///$TMP/tm.db
run "$HPO" tune-model svm --data "$DATA" -n 6 --seed 0 --sampler random \
    --storage "$DB" --study s1
expect_eq "tune-model exit" "$RC" 0
expect_match "tune-model best line" "$OUT" $'study s1\nbest 5-fold stratified CV error 0\\.[0-9]+ \\(trial [0-9]+\\): C=[0-9.e+-]+ gamma=[0-9.e+-]+\n6 trials in'
expect_match "tune-model progress" "$ERR" "6 trials in .*: 6 complete"
run "$HPO" trials --storage "$DB" --study s1 --format csv
expect_eq "the study holds the trials" "$(grep -c COMPLETE <<<"$OUT")" 6
run "$HPO" tune-model svm --data "$DATA" -n 2 --storage "$DB" --study s1 --set kernel=linear
expect_eq "going on with another setup is refused" "$RC" 2
expect_match "... with what the study tuned" "$ERR" "study 's1' tuned something else: .*\"model\":\"svm\""
run "$HPO" tune-model svm --data "$DATA" -n 2 --storage "$DB" --study s1 --seed 3
expect_eq "going on with the same setup" "$RC" 0
expect_usage "hpo tune-model: learner 'svm' has no hyperparameter 'gama' (hpo tune-model svm --help lists them)" \
    tune-model svm --data "$DATA" --storage memory: -p gama=float:1:2
expect_usage "hpo tune-model: --sampler: unknown sampler 'rnd' (see hpo --help)" \
    tune-model svm --data "$DATA" --storage memory: --sampler rnd
run "$HPO" tune-model xgboost --data "$DATA" --storage memory: -n 6 --seed 1 \
    --sampler random --pruner median --set num_round=20 --cv 3
expect_eq "tune-model xgboost exit" "$RC" 0
expect_match "xgboost rounds reach the pruner" "$ERR" "6 trials in .*: [0-9]+ complete, [1-9][0-9]* pruned"

# ---- hpo nested-cv -------------------------------------------------------------
run "$HPO" nested-cv svm --data "$DATA" --outer 3 --inner 3 -n 4 --seed 0
expect_eq "nested-cv exit" "$RC" 0
expect_eq "one row per outer fold" "$(grep -cE '^ +[1-3] +[0-9]+ +[0-9]+ ' <<<"$OUT")" 3
gap_ok=$(awk '/^nested CV estimate/ { o = $7 } /^mean inner best/ { i = $NF }
              /^gap/ { g = $NF } END { d = o - i - g; print (d < 1e-5 && d > -1e-5) ? "yes" : "no" }' <<<"$OUT")
expect_eq "gap = mean outer - mean inner" "$gap_ok" yes
expect_usage "hpo nested-cv: --study names the studies kept in --storage; give both, or neither" \
    nested-cv svm --data "$DATA" --study x
run "$HPO" nested-cv svm --data "$DATA" --outer 2 --inner 2 -n 2 --storage "$DB" --study n
expect_eq "nested-cv into a storage" "$RC" 0
run "$HPO" studies --storage "$DB" --format csv
expect_match "inner studies kept as NAME-fold-I" "$OUT" "n-fold-1.*"$'\n'"n-fold-2"

finish
