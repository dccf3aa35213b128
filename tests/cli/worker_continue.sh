# worker_continue.sh HPO: what `hpo tune` stores with a study and who may
# go on with it: tune again with the same command (N more trials), a
# worker that needs only the URL and the name, a study Python made
# (refused by worker), a different command or space (refused by tune
# unless --force), and the study-wide target of COMPLETE trials.
# (Skipped without SQLite.)
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"
PY=/usr/bin/python3

require_sqlite
DB="sqlite:///$TMP/c.db"
QUAD=(sh "$CHILDREN/quadratic.sh" '{x}')

states() { # STUDY: the trials' states, one word each
    "$HPO" trials --storage "$DB" --study "$1" --format csv |
        tail -n +2 | cut -d, -f2 | tr '\n' ' '
}

# 1. tune stores its settings as the system attribute hpo:cli.
run "$HPO" tune --storage "$DB" --study c -q -n 3 --seed 5 -p x=float:-5:5 \
    --sampler random --trial-timeout 30 --heartbeat 2 --retry-failed 1 \
    -- "${QUAD[@]}"
expect_eq "tune: exit 0" "$RC" 0
cfg=$($PY -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("select value_json from study_system_attributes where key = ?",
                ("hpo:cli",)).fetchone()[0])' "$TMP/c.db")
check='
import json, sys
c = json.loads(sys.argv[1])
assert c["command"] == ["sh", sys.argv[2], "{x}"], c["command"]
assert c["space"] == {"x": {"type": "float", "low": -5, "high": 5}}, c["space"]
assert c["directions"] == ["minimize"] and c["sampler"] == "random", c
assert c["pruner"] is None and c["trial_timeout"] == 30, c
assert c["heartbeat"] == 2 and c["grace"] is None and c["retry_failed"] == 1, c
assert c["target_complete"] == 3, c
print("ok")'
expect_eq "hpo:cli holds command, space, settings and target" \
    "$($PY -c "$check" "$cfg" "$CHILDREN/quadratic.sh" 2>&1)" ok

# 2. The same tune again goes on: --trials is the study's total, so
#    -n 5 runs 2 more, numbered after the others (an interrupted run,
#    re-run as it was, finishes the study); -n 3 again runs none.
run "$HPO" tune --storage "$DB" --study c -n 3 --seed 5 -p x=float:-5:5 \
    --sampler random --trial-timeout 30 -- "${QUAD[@]}"
expect_eq "tune -n 3 again: nothing to run" "$RC/$(states c | wc -w)" "0/3"
expect_eq "tune -n 3 again: says so, with --more" "$(head -1 <<<"$ERR")" \
    "hpo: study c already has 3 complete trials (--trials 3 counts the study's; --more runs 3 more)"
run "$HPO" tune --storage "$DB" --study c -q -n 5 --seed 5 -p x=float:-5:5 \
    --sampler random --trial-timeout 30 -- "${QUAD[@]}"
expect_eq "tune again: exit 0" "$RC" 0
expect_eq "tune again: 5 trials" "$(states c)" "COMPLETE COMPLETE COMPLETE COMPLETE COMPLETE "

# 3. A worker without --trials stops at the target tune set (5 complete):
#    nothing to do.  With --trials 2 it runs 2 more, like tune.
run "$HPO" worker --storage "$DB" --study c
expect_eq "worker at the target: exit 0" "$RC" 0
expect_match "worker at the target: says so" "$ERR" "hpo: study c has its 5 complete trials"
expect_eq "worker at the target: no trial" "$(states c | wc -w)" 5
run "$HPO" worker --storage "$DB" --study c -q --trials 2
expect_eq "worker --trials 2: exit 0" "$RC" 0
expect_match "worker --trials 2: prints the best trial" "$OUT" $'^study c\nbest trial [0-9]+: value'
expect_eq "worker --trials 2: 7 trials" "$(states c | wc -w)" 7
run "$HPO" trials --storage "$DB" --study c --format json
expect_eq "the worker's trials ran the stored command (the quadratic)" \
    "$($PY -c 'import json, sys
t = json.load(sys.stdin)
print(all(abs(x["value"] - ((x["params"]["x"] - 1.5) ** 2 + 0)) < 1e-6 for x in t))' <<<"$OUT")" True

# 4. tune -n 1 --more runs one trial and moves the target to 7 + 1 complete.
run "$HPO" tune --storage "$DB" --study c -q -n 1 --more -p x=float:-5:5 \
    --sampler random --trial-timeout 30 -- "${QUAD[@]}"
expect_eq "tune -n 1: 8 trials" "$(states c | wc -w)" 8
expect_eq "tune -n 1: target 8" "$($PY -c 'import json, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
v = c.execute("select value_json from study_system_attributes where key = ?",
              ("hpo:cli",)).fetchone()[0]
print(json.loads(v)["target_complete"])' "$TMP/c.db")" 8

# 5. Another command or space is refused, naming what differs; --force
#    goes on and stores the new ones.
run "$HPO" tune --storage "$DB" --study c -q -n 1 -p x=float:-5:5 -- \
    sh "$CHILDREN/quadratic.sh" '{x}' 3
expect_eq "other command: exit 2" "$RC" 2
expect_eq "other command: one line naming both" "$ERR" \
    "hpo tune: study 'c': the command differs: stored 'sh $CHILDREN/quadratic.sh {x}', given 'sh $CHILDREN/quadratic.sh {x} 3' (run it as it was started, or add --force to go on with these and store them)"
run "$HPO" tune --storage "$DB" --study c -q -n 1 -p x=float:-5:6 -- "${QUAD[@]}"
expect_eq "other space: exit 2" "$RC" 2
expect_eq "other space: names the parameter" "$ERR" \
    "hpo tune: study 'c': the search space differs: parameter 'x' is stored as {\"type\":\"float\",\"low\":-5,\"high\":5}, given as {\"type\":\"float\",\"low\":-5,\"high\":6} (run it as it was started, or add --force to go on with these and store them)"
run "$HPO" tune --storage "$DB" --study c -q -n 1 -p x=float:-5:5 -p y=int:0:3 -- "${QUAD[@]}"
expect_match "a new parameter: named" "$ERR" "parameter 'y' is given but not stored"
expect_eq "refused runs made no trial" "$(states c | wc -w)" 8
run "$HPO" tune --storage "$DB" --study c -q -n 1 --more -p x=float:-5:5 --force -- \
    sh "$CHILDREN/quadratic.sh" '{x}' 3
expect_eq "--force: exit 0" "$RC" 0
expect_eq "--force: one more trial" "$(states c | wc -w)" 9
run "$HPO" worker --storage "$DB" --study c -q -n 1
run "$HPO" trials --storage "$DB" --study c --format json
expect_eq "--force stored the new command: the worker's y is 3" \
    "$($PY -c 'import json, sys
t = json.load(sys.stdin)[-1]
print(abs(t["value"] - ((t["params"]["x"] - 1.5) ** 2 + 1)) < 1e-6)' <<<"$OUT")" True

# 6. A study Python made has no stored command: worker refuses, tune is
#    the way to run it.
$PY -c 'import optuna, sys
optuna.logging.set_verbosity(optuna.logging.WARNING)
optuna.create_study(study_name="py", storage=sys.argv[1])' "$DB"
run "$HPO" worker --storage "$DB" --study py
expect_eq "worker on a study tune did not make: exit 2" "$RC" 2
expect_eq "worker on a study tune did not make: says so" "$ERR" \
    "hpo worker: study py has no stored command (it was not created by hpo tune); use hpo tune"
run "$HPO" tune --storage "$DB" --study py -q -n 1 -p x=float:-5:5 -- "${QUAD[@]}"
expect_eq "tune goes on with Python's study" "$RC/$(states py)" "0/COMPLETE "
run "$HPO" worker --storage "$DB" --study nope
expect_eq "worker, no such study: exit 2 and one line" "$RC/$ERR" \
    "2/hpo worker: --study: no study named 'nope' in $DB"
run "$HPO" worker --storage "sqlite:///$TMP/none.db" --study c
expect_eq "worker, no such file: exit 2, no file made" "$RC/$([[ -e none.db ]] && echo made)" "2/"

# 7. Usage errors.
run "$HPO" worker --storage "$DB"
expect_eq "worker without --study" "$RC/$ERR" "2/hpo worker: --study is required"
run "$HPO" worker --storage "$DB" --study c -- echo 1
expect_eq "worker with a command" "$RC/$ERR" \
    "2/hpo worker: unexpected argument 'echo' (the command is stored with the study)"
run "$HPO" worker --storage "$DB" --study c --grace 5
expect_eq "worker --grace without a heartbeat" "$RC/$ERR" "2/hpo worker: --grace needs --heartbeat"
run "$HPO" tune --storage memory: --heartbeat 2 --grace 1 -- true
expect_eq "tune --grace shorter than --heartbeat" "$RC/$ERR" \
    "2/hpo tune: --grace: 1 s is not longer than the heartbeat interval (2 s): live trials would be failed"
finish
