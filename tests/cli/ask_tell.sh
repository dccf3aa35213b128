# ask_tell.sh HPO: `hpo create-study`, `hpo ask` and `hpo tell` drive a
# study from a shell loop or a job array, as Optuna's CLI does; Python
# Optuna reads the same trials; bad input is one line and exit 2, nothing
# stored changed.  (Skipped without SQLite.)
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"
PY=/usr/bin/python3

require_sqlite
DB="sqlite:///$TMP/a.db"

# number and sphere value of ask's JSON line {"number":N,"params":{"x":..,"y":..}}
number_of() { sed -E 's/^\{"number":([0-9]+),.*/\1/' <<<"$1"; }
sphere_of() {
    sed -E 's/.*"x":([^,}]+).*"y":([^,}]+).*/\1 \2/' <<<"$1" |
        awk '{ printf "%.17g\n", $1 * $1 + $2 * $2 }'
}
# loop STUDY N: N rounds of ask, then tell the sphere's value
loop() {
    local j
    for ((i = 0; i < $2; i++)); do
        j=$("$HPO" ask --storage "$DB" --study "$1")
        "$HPO" tell --storage "$DB" --study "$1" --trial "$(number_of "$j")" \
            --value "$(sphere_of "$j")" >/dev/null
    done
}
best_of() { "$PY" -c 'import optuna, sys
s = optuna.load_study(study_name=sys.argv[2], storage=sys.argv[1])
print("%.6f" % s.best_value)' "$DB" "$1"; }

# 1. create-study prints the name; a second time is an error unless
#    --skip-if-exists.
run "$HPO" create-study --storage "$DB" --study sphere \
    -p x=float:-5:5 -p y=float:-5:5 --seed 3
expect_eq "create-study: --seed is not one of its options" "$RC" 2
run "$HPO" create-study --storage "$DB" --study sphere -p x=float:-5:5 -p y=float:-5:5
expect_eq "create-study prints the name" "$RC/$OUT" "0/sphere"
run "$HPO" create-study --storage "$DB" --study sphere
expect_eq "create-study twice: exit 2" "$RC/$ERR" \
    "2/hpo create-study: study 'sphere' already exists (--skip-if-exists keeps it and is no error)"
run "$HPO" create-study --storage "$DB" --study sphere --skip-if-exists
expect_eq "--skip-if-exists: exit 0" "$RC/$OUT" "0/sphere"
run "$HPO" create-study --storage "$DB" --study sphere --skip-if-exists -d maximize
expect_eq "--skip-if-exists with other directions: exit 2" "$RC" 2

# 2. A shell loop with the default sampler beats random search with the
#    same number of trials on the sphere (the same seed for both).
"$HPO" create-study --storage "$DB" --study rnd -p x=float:-5:5 -p y=float:-5:5 \
    --sampler random >/dev/null
"$HPO" ask --storage "$DB" --study sphere --seed 7 >/dev/null # trial 0, the seed
"$HPO" tell --storage "$DB" --study sphere --trial 0 --state fail >/dev/null
"$HPO" ask --storage "$DB" --study rnd --seed 7 >/dev/null
"$HPO" tell --storage "$DB" --study rnd --trial 0 --state fail >/dev/null
loop sphere 30
loop rnd 30
b=$(best_of sphere)
r=$(best_of rnd)
echo "best of 30: default sampler $b, random $r"
expect_true "the default sampler gets near the optimum (< 0.05)" \
    awk -v b="$b" 'BEGIN { exit !(b < 0.05) }'
expect_true "the default sampler beats random ($b < $r)" \
    awk -v b="$b" -v r="$r" 'BEGIN { exit !(b < r) }'

# 3. A job array: several asks before any tell get distinct trials, all
#    RUNNING; telling them in another order finishes each.
for k in 1 2 3 4; do
    "$HPO" ask --storage "$DB" --study sphere >"job$k" &
done
wait
nums=$(for k in 1 2 3 4; do number_of "$(<"job$k")"; done | sort -n | uniq | wc -l)
expect_eq "4 asks at once: 4 distinct trials" "$nums" 4
run "$PY" -c 'import optuna, sys
s = optuna.load_study(study_name="sphere", storage=sys.argv[1])
print(sum(t.state == optuna.trial.TrialState.RUNNING for t in s.trials))' "$DB"
expect_eq "Optuna sees them RUNNING" "$OUT" 4
for k in 4 2 3 1; do
    j=$(<"job$k")
    run "$HPO" tell --storage "$DB" --study sphere --trial "$(number_of "$j")" \
        --value "$(sphere_of "$j")"
    expect_match "tell job $k" "$RC/$OUT" "^0/trial $(number_of "$j") COMPLETE "
done

# 4. Python Optuna opens the study and sees the same trials: numbers,
#    states, values and parameters to the last bit.
"$HPO" trials --storage "$DB" --study sphere --format json >hpo.json
run "$PY" -c 'import json, optuna, sys
s = optuna.load_study(study_name="sphere", storage=sys.argv[1])
mine = json.load(open("hpo.json"))
assert len(mine) == len(s.trials) == 35, (len(mine), len(s.trials))
for h, t in zip(mine, s.trials):
    assert h["number"] == t.number and h["state"] == t.state.name, (h, t)
    assert h["params"] == t.params, (h["params"], t.params)
    if t.value is not None:
        assert h["value"] == t.value, (h["value"], t.value)
print("same")' "$DB"
expect_eq "Optuna reads the same trials" "$OUT$ERR" same

# 5. Tell the other states; the pruned trial takes its last report.
j=$("$HPO" ask --storage "$DB" --study sphere)
n=$(number_of "$j")
run "$HPO" tell --storage "$DB" --study sphere --trial "$n" --state pruned
expect_eq "--state pruned" "$RC/$OUT" "0/trial $n PRUNED"
j=$("$HPO" ask --storage "$DB" --study sphere)
n=$(number_of "$j")

# 6. Bad input: one line, exit 2, nothing stored changed.
before=$("$HPO" trials --storage "$DB" --study sphere --format csv)
bad() { # WHAT EXPECTED ARGS...
    local what=$1 expected=$2
    shift 2
    run "$HPO" "$@"
    expect_eq "$what" "$RC/$ERR" "2/$expected"
}
bad "tell: unknown study" "hpo tell: --study: no study named 'nope' in $DB" \
    tell --storage "$DB" --study nope --trial 0 --value 1
bad "ask: unknown study" "hpo ask: --study: no study named 'nope' in $DB" \
    ask --storage "$DB" --study nope
bad "tell: no such trial" "hpo tell: --trial: study 'sphere' has no trial 999" \
    tell --storage "$DB" --study sphere --trial 999 --value 1
bad "tell: a negative trial number" \
    "hpo tell: --trial: '-1' is out of range (0 to 2147483647)" \
    tell --storage "$DB" --study sphere --trial -1 --value 1
bad "tell twice" "hpo tell: trial 1 is already finished (COMPLETE); it is left as it is (--skip-if-finished makes this no error)" \
    tell --storage "$DB" --study sphere --trial 1 --value 0
bad "tell: not a number" "hpo tell: --value: 'abc' is not a number" \
    tell --storage "$DB" --study sphere --trial "$n" --value abc
bad "tell: two values for one objective" \
    "hpo tell: --value: 2 values given, the study has 1 objective" \
    tell --storage "$DB" --study sphere --trial "$n" --value 1 2
bad "tell: fail with a value" "hpo tell: --state fail takes no --value" \
    tell --storage "$DB" --study sphere --trial "$n" --state fail --value 1
bad "tell: no value" "hpo tell: --value (or --state fail|pruned) is required" \
    tell --storage "$DB" --study sphere --trial "$n"
bad "ask: another space" "hpo ask: study 'sphere': the search space differs: parameter 'x' is stored as {\"type\":\"float\",\"low\":-5,\"high\":5}, given as {\"type\":\"float\",\"low\":-5,\"high\":6} (leave out --param and --space to use the stored space)" \
    ask --storage "$DB" --study sphere -p x=float:-5:6 -p y=float:-5:5
after=$("$HPO" trials --storage "$DB" --study sphere --format csv)
expect_eq "bad input changed nothing stored" "$after" "$before"
run "$HPO" tell --storage "$DB" --study sphere --trial 1 --value 0 --skip-if-finished
expect_eq "--skip-if-finished: a no-op, exit 0" "$RC/$OUT" \
    "0/trial 1 is already finished (COMPLETE): skipped"
bad "tell: --attr without =" "hpo tell: --attr: 'acc' is not NAME=VALUE" \
    tell --storage "$DB" --study sphere --trial "$n" --value 1 --attr acc
run "$HPO" tell --storage "$DB" --study sphere --trial "$n" --value -1.5 \
    --attr acc=0.93 --attr 'model=resnet 18' --attr epochs=12
expect_eq "a negative value after --value" "$RC/$OUT" "0/trial $n COMPLETE -1.5"
expect_eq "--attr: typed user attributes Optuna reads" "$("$PY" -c 'import optuna, sys
s = optuna.load_study(study_name="sphere", storage=sys.argv[1])
print(sorted(s.trials[int(sys.argv[2])].user_attrs.items()))' "$DB" "$n")" \
    "[('acc', 0.93), ('epochs', 12), ('model', 'resnet 18')]"

# 7. Several objectives: tell takes one value per objective.
"$HPO" create-study --storage "$DB" --study two -d minimize -d maximize >/dev/null
run "$HPO" ask --storage "$DB" --study two
expect_eq "ask without any space: exit 2" "$RC/$ERR" \
    "2/hpo ask: study 'two' has no stored search space: give it with --param NAME=SPEC or --space FILE (once: later asks use the stored one)"
run "$HPO" ask --storage "$DB" --study two -p a=int:1:3 -p k=cat:u,v
expect_match "ask with a space: int and categorical" "$RC/$OUT" \
    '^0/\{"number":0,"params":\{"a":[123],"k":"[uv]"\}\}$'
bad "one value for two objectives" \
    "hpo tell: --value: 1 value given, the study has 2 objectives" \
    tell --storage "$DB" --study two --trial 0 --value 1
run "$HPO" tell --storage "$DB" --study two --trial 0 --value 1 -2
expect_eq "two values" "$RC/$OUT" "0/trial 0 COMPLETE 1 -2"

# 8. A study hpo tune made: ask uses its stored space.
"$HPO" tune --storage "$DB" --study tuned -q -n 2 -p u=int:5:6 -- echo 1 >/dev/null
run "$HPO" ask --storage "$DB" --study tuned
expect_match "ask on a tune study uses its space" "$RC/$OUT" \
    '^0/\{"number":2,"params":\{"u":[56]\}\}$'
finish
