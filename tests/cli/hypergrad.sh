# hypergrad.sh HPO: `hpo hypergrad` end to end, in a few seconds.
#   ridge on diabetes: progress per step, the summary, --compare's table
#   at equal fits; the steps stored as a study's trials (--storage);
#   more features than rows and a constant column still fit; clear errors
#   for unknown models, methods, solvers, a regression target given to
#   logistic, --per-feature given to krr, a missing --data.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1

DATA=${HPO_DATA_DIR:-${HPO_SOURCE_DIR:?}/../shared/data}/diabetes.csv
[[ -r $DATA ]] || { echo "no $DATA (set HPO_DATA_DIR)" >&2; exit 1; }

run "$HPO" hypergrad ridge --data "$DATA" --steps 6 --compare --samplers grid,random
expect_eq "ridge exit" "$RC" 0
expect_match "progress per step" "$ERR" "step 6/6: validation [0-9.e+]+, test [0-9.e+]+ \(lambda "
expect_match "summary" "$OUT" "^ridge: best validation loss [0-9.e+]+, its test loss [0-9.e+]+, 6 steps, 6 fits"
expect_match "hypergrad row" "$OUT" $'\nhypergrad +6 '
expect_match "grid row at equal fits" "$OUT" $'\ngrid +6 '
expect_match "random row at equal fits" "$OUT" $'\nrandom +6 '

run "$HPO" hypergrad ridge --data "$DATA" --per-feature --steps 5 --method adam \
    --storage "sqlite:///$TMP/hg.db" --study pf -q
expect_eq "per-feature exit" "$RC" 0
expect_eq "quiet: no progress" "$ERR" ""
run "$HPO" trials --storage "sqlite:///$TMP/hg.db" --study pf --format csv
expect_eq "trials exit" "$RC" 0
expect_eq "one trial per step (and a header)" "$(grep -c . <<<"$OUT")" 6
expect_match "a parameter per feature" "$(head -1 <<<"$OUT")" "lambda_bmi"
expect_match "all complete" "$(tail -1 <<<"$OUT")" "COMPLETE"

# More features (40) than training rows (18): the dual form.
python3 - <<'PY'
import random
random.seed(3)
with open("wide.csv", "w") as f:
    f.write(",".join(f"x{j}" for j in range(40)) + ",const,y\n")
    for i in range(30):
        xs = [random.gauss(0, 1) for _ in range(40)]
        f.write(",".join(f"{x:.4f}" for x in xs) + f",7,{xs[0] - xs[1] + random.gauss(0, .3):.4f}\n")
PY
run "$HPO" hypergrad ridge --data wide.csv --per-feature --steps 4
expect_eq "wide data with a constant column" "$RC" 0
expect_match "wide data: 41 features" "$ERR" "18 train, 6 validation, 6 test rows, 41 features, 41 hyperparameter"
run "$HPO" hypergrad ridge --data wide.csv --steps 4 --solver cg -q
expect_eq "cg solver" "$RC" 0
run "$HPO" hypergrad krr --data wide.csv --steps 4 -q
expect_eq "krr" "$RC" 0
expect_match "krr reports lambda and width" "$OUT" "at lambda [0-9.e+-]+, width "

expect_usage_error "hpo hypergrad: unknown model 'ridg' (hpo hypergrad --help lists them)" \
    hypergrad ridg --data "$DATA"
expect_usage_error "hpo hypergrad: --method: 'sgd' is not adam or lbfgs" \
    hypergrad ridge --data "$DATA" --method sgd
expect_usage_error "hpo hypergrad: --solver: unknown solver 'lu' (exact, cg or neumann)" \
    hypergrad ridge --data "$DATA" --solver lu
expect_usage_error "hpo hypergrad: --data FILE is required" hypergrad ridge
expect_usage_error "hpo hypergrad: krr: --per-feature is not supported (one lambda and one kernel width)" \
    hypergrad krr --data wide.csv --per-feature
run "$HPO" hypergrad logistic --data "$DATA"
expect_eq "logistic on a regression target" "$RC" 2
expect_match "says why" "$ERR" "the hypergradient learners handle regression or two classes"

finish
