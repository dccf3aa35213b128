#!/usr/bin/env bash
# The GP sampler under hpo tune with several jobs and failing trials, with
# no OPENBLAS_NUM_THREADS in the environment: OpenBLAS's own thread pool
# once made this hang (a worker thread waiting forever in
# exec_blas_async_wait); libhpo now pins the BLAS to one thread itself.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

require_sqlite
unset OPENBLAS_NUM_THREADS OMP_NUM_THREADS
export CHILD_SLEEP=0.02 FAIL_BELOW=-3
run timeout 60 "$HPO" tune --storage "sqlite:///$TMP/g.db" --study g -q -n 30 -j 3 \
    --sampler gp -p x=float:-5:5 -- sh "$CHILDREN/slow_quadratic.sh" '{x}'
expect_eq "gp with 3 jobs finishes (no hang)" "$RC" 0
run "$HPO" trials --storage "sqlite:///$TMP/g.db" --study g --format csv
expect_eq "30 trials" "$(tail -n +2 <<<"$OUT" | wc -l)" 30
finish
