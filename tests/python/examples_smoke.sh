#!/usr/bin/env bash
# examples_smoke.sh PYTHON — run examples/python/ with a few trials each and
# check what they print (ctest python_examples_smoke).
set -euo pipefail
py=${1:-/usr/bin/python3}
src=$(cd "$(dirname "$0")/../.." && pwd)
data=${HPO_DATA_DIR:-$src/../shared/data}
fail() { echo "examples_smoke: FAIL: $*" >&2; exit 1; }

out=$("$py" "$src/examples/python/svm_breast_cancer.py" --data "$data/breast_cancer.csv" --trials 6)
echo "$out"
grep -Eq '^best of 6 trials: trial #[0-9]+, CV error 0\.[0-9]+ at C = ' <<<"$out" || fail "svm: $out"

out=$("$py" "$src/examples/python/mlp_pruning.py" --data "$data/digits.csv" --trials 8 --epochs 6 \
      --pruner median:n_startup_trials=2)
echo "$out"
grep -Eq '^[0-9]+ complete, [0-9]+ pruned; [0-9]+ of 48 epochs trained; best validation error 0\.' <<<"$out" \
    || fail "mlp: $out"
echo "examples_smoke: ok"
