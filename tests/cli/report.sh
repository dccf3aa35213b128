# report.sh HPO: `hpo report` writes one self-contained HTML page: the
# study's document inlined (no network reference), to a file or to
# standard output (-o -), the storage also from HPO_STORAGE; clear errors
# for no such study, no --output, an unwritable path; a failed write
# leaves no half file and keeps a previous report; an empty study gives a
# page that says so; the importance is fANOVA's (skipped without SQLite).  The pages in a browser:
# tests/browser/.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

require_sqlite
DB="sqlite:///$TMP/s.db"
PY=/usr/bin/python3

run "$HPO" tune --storage "$DB" --study grid -q -n 3 --sampler grid \
    -p x=cat:1,2,3 -- sh -c 'echo $(({x} * {x}))'
expect_eq "tune: exit 0" "$RC" 0
run "$HPO" create-study --storage "$DB" --study empty
expect_eq "create-study: exit 0" "$RC" 0

run "$HPO" report --storage "$DB" --study grid -o report.html
expect_eq "report: exit 0, nothing printed" "$RC/$OUT/$ERR" "0//"
expect_true "report.html written" test -s report.html
expect_match "one page" "$(head -c 200 report.html)" '^<!DOCTYPE html>'
if grep -Eq '(src|href)="(https?:)?//' report.html; then
    fail "the page references the network"
else
    ok "no network reference"
fi
# The document inside parses and carries the study: best value 1.
doc=$("$PY" - report.html <<'PYEOF'
import json, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<script type="application/json" id="hpo-data">\n(.*?)\n</script>', html, re.S)
d = json.loads(m.group(1))
vals = sorted(t["v"][0] for t in d["trials"] if t["s"] == "COMPLETE")
print(d["format"], d["version"], d["study"]["name"], d["n_trials"], vals[0],
      [p["name"] for p in d["params"]], d["importance"]["method"])
PYEOF
)
expect_eq "the document" "$doc" "hpo-report 1 grid 3 1 ['x'] fanova"

# Two parameters, y decided by x: the importance is fANOVA's, x first.
run "$HPO" tune --storage "$DB" --study two -q -n 20 --sampler random --seed 3 \
    -p x=float:0:1 -p z=float:0:1 -- awk 'BEGIN {{ print 10 * {x} + 0.01 * {z} }}'
run "$HPO" report --storage "$DB" --study two -f json -o -
expect_eq "fANOVA in the document, x first" \
    "$(printf '%s' "$OUT" | "$PY" -c 'import json,sys; i=json.load(sys.stdin)["importance"]; print(i["method"], i["values"][0][0], i["values"][0][1] > 0.9)')" \
    "fanova x True"
expect_true "no temporary file left" test -z "$(ls report.html.* 2>/dev/null)"

run env HPO_STORAGE="$DB" "$HPO" report --study grid -o -
expect_eq "-o -: exit 0" "$RC" 0
expect_match "-o -: the page on stdout" "$OUT" '^<!DOCTYPE html>.*"name":"grid"'

run "$HPO" report --storage "$DB" --study grid -f json -o -
expect_eq "--format json: exit 0" "$RC" 0
expect_eq "--format json: the document alone" \
    "$(printf '%s' "$OUT" | "$PY" -c 'import json,sys; d=json.load(sys.stdin); print(d["format"], len(d["trials"]))')" \
    "hpo-report 3"
expect_usage_error "hpo report: --format: 'pdf' is not html or json" \
    report --storage "$DB" --study grid -o r.pdf -f pdf

run "$HPO" report --storage "$DB" --study empty -o empty.html
expect_eq "empty study: exit 0" "$RC" 0
expect_match "empty study: a page with no trials" "$(cat empty.html)" '"n_trials":0'

cp report.html before.html
expect_usage_error "hpo report: --study: no study named 'nope' in $DB" \
    report --storage "$DB" --study nope -o report.html
expect_true "no such study: the previous report kept" cmp -s report.html before.html
expect_usage_error "hpo report: --output is required (a file, or - for standard output)" \
    report --storage "$DB" --study grid
expect_usage_error "hpo report: --output: cannot write 'no/dir/r.html': No such file or directory" \
    report --storage "$DB" --study grid -o no/dir/r.html
expect_usage_error "hpo report: --max-trials: 'many' is not a whole number" \
    report --storage "$DB" --study grid -o r.html --max-trials many

# A write that fails half way (a file size limit: EFBIG) leaves the
# previous report as it was and no temporary file.
set +e
(ulimit -f 40; trap '' XFSZ; exec "$HPO" report --storage "$DB" --study grid -o report.html) \
    2>"$TMP/.err"
RC=$?
set -e
expect_eq "failed write: exit 1" "$RC" 1
expect_match "failed write: says why" "$(cat "$TMP/.err")" \
    "^hpo report: --output: writing 'report.html' failed: File too large$"
expect_true "failed write: the previous report kept" cmp -s report.html before.html
expect_true "failed write: no temporary file left" test -z "$(ls report.html.* 2>/dev/null)"

run "$HPO" report --help
expect_match "--help" "$OUT" 'usage: hpo report --study NAME'
finish
