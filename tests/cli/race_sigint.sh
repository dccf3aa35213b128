# race_sigint.sh HPO: Ctrl-C during `hpo race`: the children are killed,
# hpo exits 130, the finished experiments stay stored, no trial is left
# RUNNING and no elite is named (no summary trial, no race_best_trial), so
# `hpo best` still answers from the experiments.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"
require_sqlite

seq 1 10 >train.txt
# A configuration with x < 0.5 answers at once, the others hang until
# killed; the first race's configurations all run at once (-j 16).
cat >child.sh <<'SH'
if awk -v x="$2" 'BEGIN { exit !(x < 0.5) }'; then
    : >"done.$$"; echo "$2"; exit 0
fi
echo $$ >"started.$$"
exec sleep 60
SH
"$HPO" race --storage "sqlite:///$TMP/r.db" --study r --seed 3 -j 16 \
    --instances train.txt --budget 60 -p x=float:0:1 \
    -- sh child.sh '{instance}' '{x}' >out.txt 2>err.txt &
pid=$!
if wait_for_files 1 "$TMP/started.*" 20 && wait_for_files 1 "$TMP/done.*" 20; then
    kill -INT "$pid"
    set +e
    wait "$pid"
    RC=$?
    set -e
    expect_eq "sigint: exit code" "$RC" 130
    for f in started.*; do
        expect_true "sigint: child $(<"$f") killed" process_gone "$(<"$f")"
    done
else
    fail "the hanging children never started"
    kill -KILL "$pid"
fi
run "$HPO" trials --storage "sqlite:///$TMP/r.db" --study r --format csv
expect_eq "trials: exit code" "$RC" 0
expect_true "trials: none RUNNING" bash -c "! grep -q RUNNING <<<\"\$0\"" "$OUT"
expect_true "trials: no elite summary" bash -c "! grep -q race_elite <<<\"\$0\"" "$OUT"
run "$HPO" best --storage "sqlite:///$TMP/r.db" --study r
expect_match "best: from the experiments" "$OUT" '^best trial [0-9]+: value'
finish
