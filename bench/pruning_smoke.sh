#!/bin/bash
# pruning_smoke.sh HPO_BENCH — hpo-bench pruning end to end, tiny: one seed,
# two Optuna methods and one of hpo's, 500 rounds.  Asserts the output's shape, never its
# figures or timing.  Exit 77 (skipped) without python3-optuna and
# python3-xgboost in Debian's interpreter.
set -u
bench=$1
python=${HPO_BENCH_PYTHON:-/usr/bin/python3}
if ! "$python" -c 'import optuna, xgboost' 2>/dev/null; then
    echo "skipped: $python lacks optuna or xgboost (scripts/setup.sh installs them)"
    exit 77
fi
out=$(mktemp) json=$(mktemp)
trap 'rm -f "$out" "$json"' EXIT
"$bench" pruning --problem xgb_spam --seeds 0 --budget-rounds 500 \
    --methods tpe+hyperband,random --hpo-methods tpe+median \
    --json "$json" > "$out" || exit 1
cat "$out"
fail() { echo "FAIL: $*"; exit 1; }
loss='([0-9]+\.[0-9]{5}|-)'
for m in 'optuna tpe\+hyperband' 'optuna random' 'hpo tpe\+median'; do
    # The summary row: final, rounds to the target, trials (pruned), s/seed.
    grep -Eq "^$m +$loss +([0-9]+|>budget) +[0-9.]+ \( *[0-9.]+\) +[0-9.]+$" \
        "$out" || fail "no summary row for $m"
    # The anytime row: five cells.
    grep -Eq "^$m( +$loss){5}$" "$out" || fail "no anytime row for $m"
done
grep -Eq '1/6=83 +1/3=166 +1/2=250 +2/3=333 +1=500' "$out" ||
    fail "anytime header"
"$python" - "$json" <<'PY' || fail "JSON"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["budget_rounds"] == 500
assert sorted(d["runs"]) == ["hpo tpe+median", "random", "tpe+hyperband"]
for runs in d["runs"].values():
    (r,) = runs
    assert r["rounds"] == 500 and r["trials"] == r["complete"] + r["pruned"]
    assert all(a[0] <= 500 for a in r["curve"])
PY
# The saved runs, Optuna's and hpo's, print the same table again, without
# Python and without training.
HPO_BENCH_PYTHON=/bin/false "$bench" pruning --optuna-json "$json" |
    cmp -s - "$out" || fail "--optuna-json does not print the same table"
# Medians over seeds that never got there: a seed without a complete
# trial is infinitely bad, not NaN.  Finals 0.2, 0.3 and none: the target
# (random's median final) is 0.3, reached at round 243 by two of three.
cat > "$json" <<'JSON'
{"budget_rounds": 500, "runs": {"random": [
 {"final": 0.2, "curve": [[243, 0.2]], "trials": 2, "pruned": 0, "seconds": 1},
 {"final": 0.3, "curve": [[243, 0.3]], "trials": 2, "pruned": 0, "seconds": 1},
 {"final": null, "curve": [], "trials": 1, "pruned": 1, "seconds": 1}]}}
JSON
"$bench" pruning --optuna-json "$json" > "$out" || fail "hand-made runs"
grep -Eq '^optuna random +0\.30000 +243 ' "$out" ||
    { cat "$out"; fail "median over seeds with one never complete"; }
grep -Eq '^optuna random +- +- +0\.30000 +0\.30000 +0\.30000$' "$out" ||
    { cat "$out"; fail "anytime medians with one never complete"; }
echo ok
