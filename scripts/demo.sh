#!/usr/bin/env bash
# demo.sh — hpo's main job, end to end: set up, build, then the field's
# seed example.  Tune an RBF-kernel SVM's C and gamma on breast_cancer
# (569 rows, 30 features) by 5-fold stratified cross-validation, in-process
# through libsvm, with hpo's default sampler and the study stored in SQLite
# (demo.db); run the libsvm guide's 110-point grid (Hsu, Chang & Lin: C =
# 2^-5, 2^-3, ..., 2^15 x gamma = 2^-15, 2^-13, ..., 2^3) on the same
# folds; print both side by side; then estimate the tuned SVM's error
# honestly by nested cross-validation; write the study's report
# (demo-report.html).  Under a minute on two cores.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" >/dev/null

data=../shared/data/breast_cancer.csv # the shared data sets, not copied
db=sqlite:///demo.db
stamp=$(date +%Y%m%d-%H%M%S)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1

echo "== hpo tune-model: 50 trials, default sampler, study svm-$stamp in demo.db"
./build/hpo tune-model svm --data "$data" --trials 50 --seed 0 \
    --storage "$db" --study "svm-$stamp" | tee "$out/hpo"

echo
echo "== the libsvm guide's grid search: 110 points, the same folds"
./build/hpo tune-model svm --data "$data" --trials 110 --sampler grid \
    --param C=cat:0.03125,0.125,0.5,2,8,32,128,512,2048,8192,32768 \
    --param gamma=cat:3.0517578125e-05,0.0001220703125,0.00048828125,0.001953125,0.0078125,0.03125,0.125,0.5,2,8 \
    --storage "$db" --study "svm-grid-$stamp" --quiet | tee "$out/grid"

# "best 5-fold stratified CV error E (trial N): C=.. gamma=.." and
# "T trials in S s (M ms per trial)" -> one row of the table.
row() {
    awk -v what="$1" '
        /^best / { for (i = 1; i <= NF; i++) if ($i == "(trial") { err = $(i - 1); cfg = "" }
                   sub(/.*\): /, ""); cfg = $0 }
        / trials in / { n = $1; s = $4 }
        END { printf "%-34s %-10s %6s %8s s   %s\n", what, err, n, s, cfg }' "$2"
}
echo
echo "== side by side (5-fold stratified CV error on the same folds)"
printf "%-34s %-10s %6s %10s   %s\n" "" "CV error" "trials" "time" "best configuration"
row "hpo, default sampler" "$out/hpo"
row "libsvm guide grid (Hsu et al.)" "$out/grid"

echo
echo "== nested CV: is the tuned error an honest estimate?"
./build/hpo nested-cv svm --data "$data" --outer 5 --inner 5 --trials 30 --seed 0

echo
echo "== hpo report: the tuned study as one HTML page with plots"
./build/hpo report --storage "$db" --study "svm-$stamp" -o demo-report.html
echo "report of svm-$stamp written to $(pwd)/demo-report.html (open it in a browser; it works offline)"

echo
echo "(studies svm-$stamp and svm-grid-$stamp are in demo.db:"
echo " build/hpo trials --storage $db --study svm-$stamp)"
