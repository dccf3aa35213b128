# enqueue.sh HPO: `hpo enqueue` adds trials with fixed parameters, typed
# and checked by the space stored with the study; tune (and workers) run
# them before sampling.  (Skipped without SQLite.)
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"
PY=/usr/bin/python3

require_sqlite
DB="sqlite:///$TMP/e.db"
tune() { # N: run tune for N more trials
    run "$HPO" tune --storage "$DB" --study e -q --seed 2 -n "$1" --more \
        -p lr=float:1e-5:1e-1:log -p depth=int:1:12 -p units=int:16:256:step=16 \
        -p x=float:0:1:step=0.25 -p kernel=cat:rbf,linear,1 \
        -- sh -c 'echo {lr} {depth} {units} {x} {kernel} >>seen; echo {depth}'
}

# A study made by tune (one trial) to enqueue into.
tune 1
expect_eq "tune: exit 0" "$RC" 0

run "$HPO" enqueue --storage "$DB" --study e -p lr=0.01 -p depth=4 \
    -p units=32 -p x=0.75 -p kernel=linear
expect_eq "enqueue --param: exit 0" "$RC" 0
expect_eq "enqueue --param: the count" "$OUT" "enqueued 1 trial in study e (1 waiting)"
run "$HPO" enqueue --storage "$DB" --study e \
    --params '[{"depth": 7, "kernel": "1"}, {"lr": 1e-5, "depth": 12, "kernel": 1}]'
expect_eq "enqueue --params array: the count" "$RC/$OUT" "0/enqueued 2 trials in study e (3 waiting)"

# tune runs the enqueued trials first, in order, then samples.
: >seen
tune 4
expect_eq "tune after enqueue: exit 0" "$RC" 0
mapfile -t seen <seen
expect_eq "first: every value as enqueued" "${seen[0]}" "0.01 4 32 0.75 linear"
expect_match "second: depth 7, kernel '1' (a string choice), the rest sampled" \
    "${seen[1]}" '^[0-9.e-]+ 7 [0-9]+ [0-9.]+ 1$'
expect_match "third: lr 1e-05, depth 12, kernel given as the number 1" \
    "${seen[2]}" '^1e-05 12 [0-9]+ [0-9.]+ 1$'
expect_eq "four trials ran" "${#seen[@]}" 4
run "$HPO" trials --storage "$DB" --study e --format json
expect_eq "trial 1 keeps its fixed parameters and JSON types" \
    "$($PY -c 'import json, sys
t = json.load(sys.stdin)[1]
print(t["system_attrs"]["fixed_params"], t["params"]["lr"], t["params"]["kernel"])' <<<"$OUT")" \
    "{'lr': 0.01, 'depth': 4, 'units': 32, 'x': 0.75, 'kernel': 'linear'} 0.01 linear"

# Every value is checked against the stored space: one line, exit 2,
# nothing enqueued.
bad() { # WHAT EXPECTED_ERROR ARGS...
    local what=$1 expected=$2
    shift 2
    run "$HPO" enqueue --storage "$DB" --study e "$@"
    expect_eq "$what" "$RC/$ERR" "2/hpo enqueue: $expected"
}
bad "unknown name" "--param: no parameter 'lrate' in the study's space (lr, depth, units, x, kernel)" \
    -p lrate=0.1
bad "float out of range" "--param: parameter 'lr': 0.5 is out of range (1e-05 to 0.1)" -p lr=0.5
bad "not a number" "--param: parameter 'lr': fast is not a number" -p lr=fast
bad "int not whole" "--param: parameter 'depth': 2.5 is not a whole number" -p depth=2.5
bad "int off its step" "--param: parameter 'units': 20 is not on its grid 16, 32, ..., 256" -p units=20
bad "float off its step" "--param: parameter 'x': 0.3 is not on its grid 0, 0.25, ..., 1" -p x=0.3
bad "unknown choice" "--param: parameter 'kernel': 'poly' is not one of its choices (rbf, linear, 1)" \
    -p kernel=poly
bad "no =" "--param: 'depth' is not NAME=VALUE" -p depth
bad "twice" "--param: parameter 'depth' is given twice" -p depth=1 -p depth=2
bad "JSON: a string for a number" "--params: parameter 'depth': \"4\" is not a number" \
    --params '{"depth": "4"}'
bad "JSON: not JSON" "--params: not valid JSON: expected a quoted key at offset 1 in '{depth: 4}'" \
    --params '{depth: 4}'
bad "JSON: a NUL escape would cut the name to x" \
    "--params: not valid JSON: the escape \u0000 (a NUL character would cut the text there) at offset 3 in '{\"x\u0000junk\": 0.5}'" \
    --params '{"x\u0000junk": 0.5}'
bad "JSON: text after the object" \
    "--params: not valid JSON: more text after the value at offset 13 in '{\"depth\": 4} 5'" \
    --params '{"depth": 4} 5'
bad "JSON: not an object" "--params: a trial is a JSON object {\"name\": value}" --params '[1]'
bad "both forms" "give the parameters as --param NAME=VALUE flags or as --params JSON (one of the two)" \
    -p depth=1 --params '{}'
bad "neither" "give the parameters as --param NAME=VALUE flags or as --params JSON (one of the two)"
run "$HPO" enqueue --storage "$DB" --study e --params '[{"depth": 3}, {"depth": 30}]'
expect_eq "an array with one bad trial enqueues none" "$RC" 2
run "$HPO" trials --storage "$DB" --study e --format csv
expect_eq "nothing was enqueued by the refused calls" "$(grep -c WAITING <<<"$OUT" || true)" 0

# A study tune did not make has no space to check against.
$PY -c 'import optuna, sys
optuna.logging.set_verbosity(optuna.logging.WARNING)
optuna.create_study(study_name="py", storage=sys.argv[1])' "$DB"
run "$HPO" enqueue --storage "$DB" --study py -p x=1
expect_eq "a study Python made" "$RC/$ERR" \
    "2/hpo enqueue: study py has no stored search space (it was not created by hpo tune); use hpo tune"
run "$HPO" enqueue --storage "$DB" --study nope -p x=1
expect_eq "no such study" "$RC/$ERR" "2/hpo enqueue: --study: no study named 'nope' in $DB"
finish
