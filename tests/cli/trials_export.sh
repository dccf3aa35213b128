# trials_export.sh HPO: `hpo trials` exports keep every digit (CSV and
# JSON), CSV has start/end times, user attributes and, with
# --intermediate, intermediate values; JSON is indented with spaces, or
# one line with --compact.  (Skipped without SQLite.)
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"
PY=/usr/bin/python3

require_sqlite
DB="sqlite:///$TMP/x.db"
# Values that 6 or 15 digits would round; reports at steps 1, 2 and 10
# (trial 1 stops after step 2); a user attribute each.
CHILD='case {trial} in
         0) echo "@hpo report 1 0.1"; echo "@hpo report 2 0.30000000000000004"
            echo "@hpo report 10 1e-300"; echo "@hpo attr acc 0.9375"
            echo "@hpo value 0.12345678901234566";;
         1) echo "@hpo report 1 2.5"; echo "@hpo report 2 2"
            echo "@hpo attr note a, \"quoted\" word"
            echo "@hpo value 1234567.8901234567";;
       esac'
run "$HPO" tune --storage "$DB" --study x -q -n 2 -p x=float:0:1 --sampler random -- sh -c "$CHILD"
expect_eq "tune: exit 0" "$RC" 0

run "$HPO" trials --storage "$DB" --study x --format csv --intermediate
expect_eq "csv: exit 0" "$RC" 0
expect_eq "csv: header" "$(head -1 <<<"$OUT")" \
    "number,state,value,duration_s,x,fail_reason,datetime_start,datetime_complete,user_attrs_acc,user_attrs_exit_status,user_attrs_note,intermediate_1,intermediate_2,intermediate_10"
check_csv='import csv, json, sys, datetime, optuna
rows = list(csv.DictReader(open(sys.argv[2])))
s = optuna.load_study(study_name="x", storage=sys.argv[1])
for r, t in zip(rows, s.trials):
    assert float(r["value"]) == t.value, (r["value"], t.value)
    assert float(r["x"]) == t.params["x"], (r["x"], t.params["x"])
    start = datetime.datetime.strptime(r["datetime_start"], "%Y-%m-%dT%H:%M:%S.%fZ")
    end = datetime.datetime.strptime(r["datetime_complete"], "%Y-%m-%dT%H:%M:%S.%fZ")
    assert start <= end, (start, end)
    for step in (1, 2, 10):
        cell = r["intermediate_%d" % step]
        want = t.intermediate_values.get(step)
        assert (cell == "" and want is None) or float(cell) == want, (step, cell, want)
    for k, v in t.user_attrs.items():
        assert r["user_attrs_" + k] == str(v), (k, r["user_attrs_" + k], v)
print("same")'
printf '%s\n' "$OUT" >x.csv
expect_eq "csv: every digit, times, attributes, steps as Optuna reads them" \
    "$("$PY" -c "$check_csv" "$DB" x.csv 2>&1)" same
expect_match "csv: a value 6 digits would round" "$OUT" $'\n0,COMPLETE,0.12345678901234566,'
expect_match "csv: a step the trial did not report is empty" "$OUT" \
    $'\n1,COMPLETE,1234567.8901234567,.*,2.5,2,$'
run "$HPO" trials --storage "$DB" --study x --format csv
expect_match "csv without --intermediate: no step columns" "$(head -1 <<<"$OUT")" 'user_attrs_note$'

run "$HPO" trials --storage "$DB" --study x --format json
expect_match "json: indented with two spaces, no tabs" "$OUT" $'^\\[\\{\n    "number": 0,'
expect_eq "json: no tab anywhere" "$(grep -c $'\t' <<<"$OUT" || true)" 0
expect_eq "json: every digit" "$("$PY" -c 'import json, sys
t = json.load(sys.stdin)
print(repr(t[0]["value"]), repr(t[1]["value"]), t[0]["intermediate_values"])' <<<"$OUT")" \
    "0.12345678901234566 1234567.8901234567 {'1': 0.1, '2': 0.30000000000000004, '10': 1e-300}"
run "$HPO" trials --storage "$DB" --study x --format json --compact
expect_eq "json --compact: one line" "$(wc -l <<<"$OUT")" 1
expect_match "json --compact: no blanks between tokens" "$OUT" '^\[\{"number":0,"state":"COMPLETE",'
finish
