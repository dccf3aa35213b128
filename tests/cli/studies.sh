# studies.sh HPO: `hpo studies` lists every study of a storage, oldest
# first, with its directions and number of trials, as a table, CSV and
# JSON; an empty storage lists none; a sqlite:/// file that is not there is
# an error, and no file is made (skipped without SQLite).
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

require_sqlite
DB="sqlite:///$TMP/s.db"
PY=/usr/bin/python3

# Two studies: one objective with 3 trials, two objectives with 2.
run "$HPO" tune --storage "$DB" --study first -q -n 3 -p x=float:0:1 -- echo {x}
expect_eq "tune first: exit 0" "$RC" 0
run "$HPO" tune --storage "$DB" --study "second, with a comma" -q -n 2 \
    -d min -d max -p x=float:0:1 -- echo {x} {x}
expect_eq "tune second: exit 0" "$RC" 0

run "$HPO" studies --storage "$DB"
expect_eq "table: exit 0" "$RC" 0
expect_eq "table" "$OUT" \
"name                  directions         trials
first                 minimize           3
second, with a comma  minimize,maximize  2"

run "$HPO" studies --storage "$DB" --format csv
expect_eq "csv" "$OUT" \
'name,directions,trials
first,minimize,3
"second, with a comma","minimize,maximize",2'

run "$HPO" studies --storage "$DB" -f json
expect_eq "json" "$($PY -c 'import json,sys; print(json.load(sys.stdin))' <<<"$OUT")" \
"[{'name': 'first', 'directions': ['minimize'], 'n_trials': 3}, {'name': 'second, with a comma', 'directions': ['minimize', 'maximize'], 'n_trials': 2}]"

# An empty database: the header only, or [].
: >empty.db
run "$HPO" studies --storage "sqlite:///$TMP/empty.db"
expect_eq "empty: header only" "$RC/$OUT" "0/name  directions  trials"
run "$HPO" studies --storage "sqlite:///$TMP/empty.db" --format json
expect_eq "empty: json" "$RC/$OUT" "0/[]"

# A file that is not there: one line, exit 2, and no file made.
run "$HPO" studies --storage "sqlite:///$TMP/tpyo.db"
expect_eq "missing file: message" "$RC/$ERR" \
    "2/hpo studies: --storage 'sqlite:///$TMP/tpyo.db': No such file or directory"
expect_true "missing file: not created" test ! -e tpyo.db

# Usage errors.
run "$HPO" studies --storage "$DB" --format xml
expect_eq "bad format" "$RC/$ERR" "2/hpo studies: --format: 'xml' is not table, csv or json"
run "$HPO" studies --storage "$DB" extra
expect_eq "extra argument" "$RC/$ERR" "2/hpo studies: unexpected argument 'extra'"
run "$HPO" studies --help
expect_match "--help" "$RC/$OUT" '^0/usage: hpo studies \[--storage URL\]'

finish
