# tune_resource.sh HPO: intermediate steps as resource (docs/cli.md,
# "Resource"): --budget-resource and --max-resource in hpo tune, hpo
# worker and hpo tune-model, the resource on the summary, a pruned child
# (process group gone, PRUNED with its last value, reports after the stop
# not stored) and the rules for bad `@hpo report` lines.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"
PY=/usr/bin/python3
DB="sqlite:///$TMP/r.db"

# jq-free field reading: trials STUDY EXPR prints EXPR for each trial t
# (a dict from `hpo trials -f json`), one per line.
trials() {
    "$HPO" trials --storage "$DB" --study "$1" -f json |
        $PY -c "import json,sys
for t in json.load(sys.stdin): print($2)"
}

# A child reporting steps 1..10 (10 units) of value x + 1/step.
TEN='for s in 1 2 3 4 5 6 7 8 9 10; do echo "@hpo report $s {x}"; done; echo {x}'

# 1. The budget: trials start while the study has used less than 35
#    units: at 0, 10, 20, 30; the fourth takes it to 40.
run "$HPO" tune --storage "$DB" --study b --sampler random --seed 1 \
    --budget-resource 35 -p x=float:0:1 -- sh -c "$TEN"
expect_eq "budget: exit 0" "$RC" 0
expect_match "budget: 4 trials, resource on the summary" "$ERR" \
    "hpo: 4 trials in [0-9]+s: 4 complete, 0 pruned, 0 failed; this run's best [0-9.e-]+ \(trial [0-9]\); resource 40/35"
expect_match "budget: says why it stopped" "$ERR" \
    "study b has used its resource budget \(35\); the trials under way finished"
# Going on: N more units than the study has used (40 + 15 = 55).
run "$HPO" tune --storage "$DB" --study b --sampler random --seed 1 \
    --budget-resource 15 -p x=float:0:1 -- sh -c "$TEN"
expect_match "budget: N more on a study that goes on" "$ERR" \
    "hpo: 2 trials in .*; resource 60/55"

# 2. Steps from 0 count one more (0..4 is 5 units); a trial without
#    reports counts --max-resource.
run "$HPO" tune --storage "$DB" --study z --sampler random -q \
    --budget-resource 12 -p x=float:0:1 \
    -- sh -c 'for s in 0 1 2 3 4; do echo "@hpo report $s {x}"; done; echo {x}'
expect_eq "0-based steps: 3 trials of 5 units" "$(trials z 't["number"]' | wc -l)" 3
run "$HPO" tune --storage "$DB" --study m --sampler random \
    --budget-resource 30 --max-resource 10 -p x=float:0:1 -- sh -c 'echo {x}'
expect_match "max-resource: 3 trials without reports" "$ERR" \
    "hpo: 3 trials in .*; resource 30/30"

# 3. hpo worker keeps the study's resource budget, with --trials too:
#    tune ran one trial (10 of 50), the worker runs 4 more.
run "$HPO" tune --storage "$DB" --study w --sampler random -n 1 \
    --budget-resource 50 -p x=float:0:1 -- sh -c "$TEN"
run "$HPO" worker --storage "$DB" --study w -n 100
expect_eq "worker: exit 0" "$RC" 0
expect_match "worker: stops at the budget" "$ERR" \
    "hpo: 4 trials in .*; resource 50/50"

# 4. Bad budgets are usage errors.
for v in 0 -3 abc 1.5 ''; do
    expect_usage_error "hpo tune: --budget-resource: '$v' is not a whole number of resource units from 1 to 1000000000000000 (steps: epochs, boosting rounds)" \
        tune --storage memory: --budget-resource "$v" -p x=float:0:1 -- echo 1
done
expect_usage_error "hpo tune: --max-resource: '0' is not a whole number of resource units from 1 to 1000000000000000 (steps: epochs, boosting rounds)" \
    tune --storage memory: --max-resource 0 -p x=float:0:1 -- echo 1

# 5. A pruned child: trials 0-2 complete, trial 3 reports 101 at step 1
#    and the median pruner stops it.  Its process group is gone (the
#    grandchild too), it is PRUNED with its last value, and the report it
#    prints when told to stop (step 9) is not stored.
mkdir pids
run "$HPO" tune --storage "$DB" --study p -n 4 --sampler random \
    --pruner median:n_startup_trials=3 -p x=float:0:1 \
    -- sh "$CHILDREN/pruned_child.sh" '{trial}' "$TMP/pids"
expect_eq "pruned: exit 0" "$RC" 0
expect_eq "pruned: trial 3's state, value and steps" \
    "$(trials p 't["state"], t["value"], sorted(t["intermediate_values"])' | tail -1)" \
    "PRUNED 101.0 ['1']"
for f in pids/*.3; do
    expect_true "pruned: $f's process is gone" process_gone "$(cat "$f")"
done
# Python Optuna 3.1 reads it the same.
expect_eq "pruned: as Optuna reads it" "$($PY -c "
import optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
t = optuna.load_study(study_name='p', storage='$DB').trials[3]
print(t.state.name, t.value, t.intermediate_values)")" "PRUNED 101.0 {1: 101.0}"

# 6. Bad reports.  A repeated step keeps its first value, with a warning.
run "$HPO" tune --storage "$DB" --study rep -n 1 -p x=float:0:1 \
    -- sh -c 'echo "@hpo report 1 0.5"; echo "@hpo report 1 0.9"; echo 2'
expect_match "repeat: warned" "$ERR" \
    "hpo: trial 0: step 1 was reported before; 0.9 is ignored \(the first value is kept\)"
expect_eq "repeat: the first value kept, the trial complete" \
    "$(trials rep 't["state"], t["intermediate_values"]')" "COMPLETE {'1': 0.5}"
# A step going back or a negative step: the trial fails, the report is
# not stored.
run "$HPO" tune --storage "$DB" --study back -n 1 -p x=float:0:1 \
    -- sh -c 'echo "@hpo report 5 0.5"; echo "@hpo report 3 0.4"; echo 2'
expect_match "back: the trial fails with why" "$ERR" \
    "trial 0 failed: stdout line 2: report refused: trial 0: step 3 after step 5: steps must not go back"
expect_eq "back: not stored" "$(trials back 't["state"], t["intermediate_values"]')" \
    "FAIL {'5': 0.5}"
run "$HPO" tune --storage "$DB" --study neg -n 1 -p x=float:0:1 \
    -- sh -c 'echo "@hpo report -1 0.5"; echo 2'
expect_match "negative: the trial fails with why" "$ERR" \
    "trial 0 failed: stdout line 1: report refused: a step is >= 0 \(got -1\)"
# NaN and inf are stored as given (NaN shows as null in JSON).
run "$HPO" tune --storage "$DB" --study nan -n 1 -p x=float:0:1 \
    -- sh -c 'echo "@hpo report 1 nan"; echo "@hpo report 2 inf"; echo 2'
expect_eq "nan: stored" "$(trials nan 't["state"], t["intermediate_values"]')" \
    "COMPLETE {'1': None, '2': 'inf'}"

# 7. tune-model: xgboost reports round by round; a pruned trial stopped
#    before its 20 rounds, its value the last round's; the budget counts
#    rounds.
run "$HPO" learn svm --data x.csv
if [[ $ERR == *"built without the learners"* ]]; then
    echo "skipped tune-model: built without the learners"
    finish
    exit 0
fi
DATA=${HPO_DATA_DIR:-${HPO_SOURCE_DIR:?}/../shared/data}/breast_cancer.csv
[[ -r $DATA ]] || { echo "no $DATA (set HPO_DATA_DIR)" >&2; exit 1; }
run "$HPO" tune-model xgboost --data "$DATA" --set num_round=20 --seed 1 \
    --budget-resource 100 --storage "$DB" --study xb
expect_match "tune-model: 5 trials of 20 rounds" "$ERR" \
    "hpo: 5 trials in .*; resource 100/100"
# xgboost's default pruner is auto (docs/pruners.md), its choice stored.
choice=$($PY -c "import sqlite3, sys
row = sqlite3.connect(sys.argv[1]).execute(
    'select a.value_json from study_system_attributes a join studies s '
    'using (study_id) where s.study_name = ? and a.key = ?',
    ('xb', 'hpo:auto_pruner')).fetchone()
print(row[0] if row else 'none')" "$TMP/r.db")
expect_match "tune-model xgboost: auto pruner by default" "$choice" \
    '^"successive_halving:min_resource=1,reduction_factor=3,rank_check_trials=10'
run "$HPO" tune-model xgboost --data "$DATA" --set num_round=20 --seed 1 \
    -n 6 --pruner median:n_startup_trials=2 --storage "$DB" --study xp
expect_eq "tune-model pruned: exit 0" "$RC" 0
rows=$(trials xp 't["state"], max(map(int, t["intermediate_values"])), t["value"] == t["intermediate_values"][str(max(map(int, t["intermediate_values"])))]')
expect_match "tune-model pruned: some PRUNED" "$rows" "PRUNED"
while read -r state top same; do
    if [[ $state == PRUNED ]]; then
        expect_true "tune-model pruned: stopped at round $top < 20" test "$top" -lt 20
        expect_eq "tune-model pruned: value is the last round's" "$same" True
    fi
done <<<"$rows"

finish
