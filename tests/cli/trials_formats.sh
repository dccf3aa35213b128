# trials_formats.sh HPO: `hpo trials` as a table, CSV and JSON and
# `hpo best` as text and JSON, read back from an SQLite study written by
# an earlier `hpo tune` (skipped without SQLite).
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

require_sqlite
DB="sqlite:///$TMP/formats.db"
PY=/usr/bin/python3

# Trial 0 works (value 0.5), 1 reports then fails with a comma in its
# reason, 2 works with x as its value.
CHILD='case {trial} in
         0) echo "@hpo report 1 0.9"; echo "@hpo value 0.5";;
         1) echo "@hpo value 1,5";;
         *) echo {x};;
       esac'
run "$HPO" tune --storage "$DB" --study f -q --seed 3 -n 3 \
    -p x=float:0:1 -p kernel=cat:rbf,linear -- sh -c "$CHILD"
expect_eq "tune: exit 0" "$RC" 0

run "$HPO" trials --storage "$DB" --study f
expect_match "table: header" "$OUT" '^number +state +value +duration_s +x +kernel +fail_reason'
expect_match "table: trial 0" "$OUT" $'\n0 +COMPLETE +0.5 +[0-9.e-]+ +[0-9.e-]+ +(rbf|linear)'
expect_match "table: trial 1" "$OUT" $'\n1 +FAIL +- +[0-9.e-]+ +[0-9.e-]+ +(rbf|linear) +stdout line 1: bad protocol line'

run "$HPO" trials --storage "$DB" --study f --format csv
# (Trial 1's child may exit or be stopped after its bad line: the last
# columns are user_attrs_exit_status and, when it was stopped,
# user_attrs_signal.)
expect_match "csv: header" "$(head -1 <<<"$OUT")" \
    "^number,state,value,duration_s,x,kernel,fail_reason,datetime_start,datetime_complete,user_attrs_exit_status(,user_attrs_signal)?$"
expect_match "csv: a reason with a comma and quotes is quoted" "$OUT" \
    $'\n1,FAIL,,[^,]+,[^,]+,(rbf|linear),"stdout line 1: bad protocol line \'@hpo value 1,5\': \'1,5\' is not a number",[^,]+Z,[^,]+Z,[^\n]*\n'
expect_match "csv: python reads 4 rows of 10 or 11 fields" \
    "$($PY -c 'import csv,sys; r=list(csv.reader(sys.stdin)); print(len(r), {len(x) for x in r})' <<<"$OUT")" \
    "^4 \{1[01]\}$"

run "$HPO" trials --storage "$DB" --study f --format json
check_json='
import json, sys
t = json.load(sys.stdin)
assert [x["number"] for x in t] == [0, 1, 2], t
assert [x["state"] for x in t] == ["COMPLETE", "FAIL", "COMPLETE"]
assert t[0]["value"] == 0.5 and t[0]["values"] == [0.5]
assert t[0]["intermediate_values"] == {"1": 0.9}, t[0]["intermediate_values"]
assert t[0]["params"]["kernel"] in ("rbf", "linear")
assert isinstance(t[0]["params"]["x"], float)
assert t[1]["value"] is None and t[1]["values"] == []
assert "is not a number" in t[1]["user_attrs"]["fail_reason"]
assert t[2]["value"] == t[2]["params"]["x"]
assert t[2]["duration_s"] >= 0
print("ok")'
expect_eq "json: structure" "$($PY -c "$check_json" <<<"$OUT" 2>&1)" ok

run "$HPO" best --storage "$DB" --study f
expect_match "best: text" "$OUT" $'^best trial [02]: value [0-9.e-]+\n  x = [0-9.e-]+\n  kernel = (rbf|linear)$'
run "$HPO" best --storage "$DB" --study f --format json
expect_eq "best: json" "$($PY -c 'import json,sys; b=json.load(sys.stdin); print(sorted(b), b["number"] in (0, 2))' <<<"$OUT")" \
    "['number', 'params', 'state', 'value', 'values'] True"

# A study can be continued: the same tune with the same --study adds
# trials after the others.
run "$HPO" tune --storage "$DB" --study f -q -n 2 --more -p x=float:0:1 \
    -p kernel=cat:rbf,linear -- sh -c "$CHILD"
expect_eq "continue: exit 0" "$RC" 0
run "$HPO" trials --storage "$DB" --study f --format csv
expect_eq "continue: 5 trials" "$(tail -n +2 <<<"$OUT" | cut -d, -f1 | tr '\n' ' ')" "0 1 2 3 4 "

finish
