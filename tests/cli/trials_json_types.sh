# trials_json_types.sh HPO: `hpo trials --format json` gives each value the
# JSON type it has: a categorical choice as its choice ("1" stays the
# string "1"; a number choice from Optuna stays a number), an int as an
# integer, a float always as a float (1.0), and lists every user and
# system attribute, also those another program set (skipped without
# SQLite; the Optuna part without Debian's python3-optuna).
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

require_sqlite
DB="sqlite:///$TMP/t.db"
PY=/usr/bin/python3

# The grid runs every point once: 4 choices x 2 ints x 3 floats = 24.
run "$HPO" tune --storage "$DB" --study types -q --sampler grid -n 24 \
    -p c=cat:1,2.5,abc,true -p k=int:1:2 -p x=float:0:1:step=0.5 \
    -- sh -c 'echo "@hpo value {x}"'
expect_eq "tune: exit 0" "$RC" 0

run "$HPO" trials --storage "$DB" --study types --format json
check_types='
import json, sys
text = sys.stdin.read()
t = json.loads(text)
assert len(t) == 24, len(t)
cs = {x["params"]["c"] for x in t}
assert cs == {"1", "2.5", "abc", "true"}, cs
assert all(type(x["params"]["k"]) is int for x in t)
assert {x["params"]["k"] for x in t} == {1, 2}
assert all(type(x["params"]["x"]) is float for x in t), [x["params"]["x"] for x in t]
assert {x["params"]["x"] for x in t} == {0.0, 0.5, 1.0}
assert all(type(x["value"]) is float and x["value"] == x["params"]["x"] for x in t)
assert all(x["user_attrs"] == {"exit_status": 0} for x in t), t[0]["user_attrs"]
assert all(isinstance(x["system_attrs"], dict) for x in t)
assert "\"x\":\t1.0" in text or "\"x\": 1.0" in text
print("ok")'
expect_eq "hpo study: JSON types" "$($PY -c "$check_types" <<<"$OUT" 2>&1)" ok

# A failed trial lists the attributes hpo keeps: the reason and the tail
# of stderr, with their JSON types.
run "$HPO" tune --storage "$DB" --study fails -q -n 1 -p x=float:0:1 \
    -- sh -c 'echo oops >&2; exit 3'
run "$HPO" trials --storage "$DB" --study fails --format json
expect_eq "failed trial: user attributes" \
    "$($PY -c 'import json,sys; print(sorted(json.load(sys.stdin)[0]["user_attrs"].items()))' <<<"$OUT")" \
    "[('exit_status', 3), ('fail_reason', 'exited with status 3'), ('stderr_tail', 'oops')]"

if ! $PY -c 'import optuna' 2>/dev/null; then
    echo "SKIP: the Optuna part (no python3-optuna)"
    finish
    exit 0
fi

# A study Optuna wrote: number, bool and null choices, a string choice
# that reads as a number, and attributes hpo knows nothing of.
$PY - "$TMP/t.db" <<'PYEOF'
import sys, optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
s = optuna.create_study(study_name="py", storage="sqlite:///" + sys.argv[1])
choices = [1, "1", 2.5, None, False]
for ch in choices:
    s.enqueue_trial({"c": ch})
def objective(t):
    t.suggest_categorical("c", choices)
    t.set_user_attr("note", {"epochs": [1, 2], "ok": True})
    t.set_user_attr("lr", 0.1)
    return 1.0
s.optimize(objective, n_trials=5)
PYEOF
run "$HPO" trials --storage "$DB" --study py --format json
check_optuna='
import json, sys
t = json.load(sys.stdin)
got = [x["params"]["c"] for x in t]
assert got == [1, "1", 2.5, None, False], got
assert [type(v) for v in got] == [int, str, float, type(None), bool], got
assert t[0]["user_attrs"] == {"note": {"epochs": [1, 2], "ok": True}, "lr": 0.1}, t[0]["user_attrs"]
assert t[0]["system_attrs"].get("fixed_params") == {"c": 1}, t[0]["system_attrs"]
assert t[0]["value"] == 1.0 and type(t[0]["value"]) is float
print("ok")'
expect_eq "Optuna study: JSON types and attributes" "$($PY -c "$check_optuna" <<<"$OUT" 2>&1)" ok

finish
