# pbt.sh HPO: `hpo pbt` end to end on SQLite: the survivors' checkpoints
# kept (in a checkpoint directory it creates) and all others deleted, the
# study readable by hpo trials / best / report, the lineage printed, and
# bad children: a failed exit, a NaN score and a missing checkpoint each
# fail one interval that is then retried; a child that always fails stops
# the run (exit 1).
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"
require_sqlite
CHILD="$CHILDREN/pbt_child.sh"
URL="sqlite:///$TMP/p.db"

run "$HPO" pbt --storage "$URL" --study s -N 4 -K 3 --seed 1 \
    --checkpoint-dir deep/ck -p lr=float:1e-4:1:log \
    -- sh "$CHILD" {lr} {checkpoint_in} {checkpoint_out}
expect_eq "pbt exits 0 ($ERR)" "$RC" 0
expect_eq "four survivors listed" "$(grep -c 'deep/ck/m.-i2-' <<<"$OUT")" 4
expect_eq "only the survivors' checkpoints remain" \
    "$(ls deep/ck | sort | tr '\n' ' ')" \
    "$(grep -o 'm.-i2-t[0-9]*\.ckpt' <<<"$OUT" | sort | tr '\n' ' ')"
run "$HPO" trials --storage "$URL" --study s --format json
expect_eq "twelve member-intervals stored with their attributes" \
    "$(/usr/bin/python3 -c '
import json, sys
t = json.load(sys.stdin)
ok = all({"pbt_member", "pbt_interval", "pbt_parent", "checkpoint"} <= set(x["user_attrs"]) for x in t)
print(len(t), ok)' <<<"$OUT")" "12 True"
run "$HPO" best --storage "$URL" --study s
expect_match "hpo best reads the study" "$OUT" "best trial [0-9]+"
run "$HPO" report --storage "$URL" --study s -o r.html
expect_eq "hpo report reads the study ($ERR)" "$RC" 0
run "$HPO" pbt --lineage --storage "$URL" --study s
expect_match "lineage printed" "$OUT" "^lineage of study s: 4 members, 3 intervals"
expect_eq "four survivors in the lineage" "$(grep -c '\[survivor\]' <<<"$OUT")" 4

# Each way of failing: the interval FAILs with its reason, a warning is
# printed, the member is retried from the same checkpoint and completes.
for mode in exit nan nockpt; do
    rm -rf mark && mkdir mark
    run env PBT_FAIL=$mode PBT_MARK_DIR=mark "$HPO" pbt --storage "$URL" \
        --study f$mode -N 3 -K 2 --seed 2 --checkpoint-dir ck$mode \
        -p lr=float:1e-4:1:log \
        -- sh "$CHILD" {lr} {checkpoint_in} {checkpoint_out}
    expect_eq "$mode: pbt exits 0 ($ERR)" "$RC" 0
    expect_match "$mode: a warning names the failed interval" "$ERR" \
        "hpo pbt: member [0-9] interval 1 \(trial [0-9]+\) failed"
    run "$HPO" trials --storage "$URL" --study f$mode --format json
    expect_eq "$mode: one FAIL, retried from its checkpoint" "$(/usr/bin/python3 -c '
import json, sys
t = json.load(sys.stdin)
f = [x for x in t if x["state"] == "FAIL"]
assert len(f) == 1, f
a = f[0]["user_attrs"]
r = [x for x in t if x["user_attrs"]["pbt_member"] == a["pbt_member"] and
     x["user_attrs"]["pbt_interval"] == 1 and x["user_attrs"]["pbt_attempt"] == 1]
assert len(r) == 1 and r[0]["state"] == "COMPLETE", r
assert r[0]["user_attrs"]["checkpoint_in"] == a["checkpoint_in"], r
assert r[0]["params"] == f[0]["params"]
print(sum(x["state"] == "COMPLETE" for x in t), a["fail_reason"])' <<<"$OUT" 2>&1)" \
        "6 $(case $mode in exit) echo 'exited with status 3';;
                 nan) echo 'objective value is nan';;
                 nockpt) echo 'no checkpoint written';; esac)"
    expect_eq "$mode: no temporary checkpoint left" "$(ls ck$mode | grep -c tmp || true)" 0
done

# Ctrl-C: exit 130, every finished interval kept; the same command then
# finishes the population from the stored checkpoints.
SLOW=(pbt --storage "$URL" --study int -N 2 -K 4 --seed 3 --checkpoint-dir ckint
      -q -p lr=float:1e-4:1:log -- sh "$CHILD" {lr} {checkpoint_in} {checkpoint_out})
PBT_SLEEP=0.3 "$HPO" "${SLOW[@]}" >int.out 2>int.err &
pid=$!
if wait_for_files 3 "$PWD/ckint/*.ckpt" 20; then
    kill -INT $pid
fi
int_rc=0
wait $pid || int_rc=$?
expect_eq "SIGINT: exit 130 ($(<int.err))" "$int_rc" 130
run "$HPO" trials --storage "$URL" --study int --format csv
done_before=$(grep -c ',COMPLETE,' <<<"$OUT" || true)
expect_true "SIGINT: the finished intervals are kept ($done_before)" \
    test "$done_before" -ge 3 -a "$done_before" -lt 8
run "$HPO" "${SLOW[@]}"
expect_eq "the interrupted population finishes ($ERR)" "$RC" 0
run "$HPO" trials --storage "$URL" --study int --format csv
expect_eq "... with 8 COMPLETE intervals" "$(grep -c ',COMPLETE,' <<<"$OUT")" 8
expect_eq "... and the survivors' 2 checkpoints" "$(ls ckint | wc -l)" 2

run env PBT_FAIL=always "$HPO" pbt --storage "$URL" --study broken -N 2 -K 2 \
    --checkpoint-dir ckb -p lr=float:1e-4:1:log \
    -- sh "$CHILD" {lr} {checkpoint_in} {checkpoint_out}
expect_eq "a child that always fails: exit 1" "$RC" 1
expect_match "... saying which member" "$ERR" \
    "hpo pbt: member [0-9] failed 3 times at interval 0 \(last: exited with status 4\)"

expect_usage_error "hpo pbt: no hyperparameters (--param or --space)" \
    pbt --storage "$URL" -- sh "$CHILD"
expect_usage_error "hpo pbt: argument '{ckpt}': unknown placeholder '{ckpt}' (a parameter name, {trial}, {seed}, {checkpoint_in}, {checkpoint_out}; write {{ and }} for literal braces)" \
    pbt --storage "$URL" -p lr=float:0:1 -- sh "$CHILD" {ckpt}
expect_usage_error "hpo pbt: option population=1 is outside [2, 100000]" \
    pbt --storage "$URL" --study bad -N 1 -p lr=float:0:1 -- sh "$CHILD"
run "$HPO" studies --storage "$URL"
expect_eq "a refused spec creates no study" "$(grep -c '^bad' <<<"$OUT" || true)" 0
finish
