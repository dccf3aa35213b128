# late_result_scenario.sh — sourced by tests/cli/worker_late_result.sh and
# worker_heartbeat_pg.sh after testlib.sh: a live worker whose trial is
# failed by a heartbeat check keeps its child's result and goes on.
#
#   hpo tune -n 3 --heartbeat 30: one beat when trial 0 starts; its child
#   reports step 0, then runs 2 s
#   once the report is stored, tune is stopped (SIGSTOP): it holds no
#   transaction then (a stopped process inside one would block the others)
#   1.5 s later `hpo worker -n 1 --heartbeat 0.5 --grace 1` fails trial 0
#   as stale and runs trial 1
#   tune continues (SIGCONT): the child's last report and its value arrive
#   after trial 0 was failed
#
# tune must exit 0, keep the result as a new COMPLETE trial (2) with trial
# 0's parameters, its reports and late_result_of = 0, leave trial 0 as
# the heartbeat check failed it, and end with exactly 3 COMPLETE trials.
#
# late_result_scenario URL STUDY
late_result_scenario() {
    local url=$1 study=$2 n=3 PY=/usr/bin/python3
    local tag="late result ($study)"
    LATE_SLEEP=2 "$HPO" tune --storage "$url" --study "$study" \
        -n $n --seed 1 --heartbeat 30 -p x=float:-5:5 \
        -- sh "$CHILDREN/late_child.sh" '{x}' >late.out 2>late.err &
    local tune_pid=$!
    local deadline=$((SECONDS + 15))
    until "$HPO" trials --storage "$url" --study "$study" --format json \
        2>/dev/null | grep -q '"0":'; do # trial 0's step 0, stored
        if ((SECONDS >= deadline)); then
            fail "$tag: trial 0 reported nothing: $(<late.err)"
            kill -9 $tune_pid 2>/dev/null
            return
        fi
        sleep 0.05
    done
    kill -STOP $tune_pid
    sleep 1.5 # > the worker's grace period since tune's only beat
    local w_rc=0
    "$HPO" worker --storage "$url" --study "$study" -q -n 1 \
        --heartbeat 0.5 --grace 1 >late_w.out 2>late_w.err || w_rc=$?
    run "$HPO" trials --storage "$url" --study "$study" --format csv
    kill -CONT $tune_pid
    expect_eq "$tag: the worker exits 0 ($(<late_w.err))" "$w_rc" 0
    expect_match "$tag: the worker failed trial 0 as stale" "$OUT" \
        $'\n'"0,FAIL,.*,its worker stopped sending heartbeats"
    local tune_rc=0
    wait $tune_pid || tune_rc=$?
    expect_eq "$tag: tune exits 0 ($(<late.err))" "$tune_rc" 0
    expect_match "$tag: tune says where the result went" "$(<late.err)" \
        "trial 0 was failed by a heartbeat check while it ran; its result is kept as trial 2"

    run "$HPO" trials --storage "$url" --study "$study" --format json
    local check='
import json, sys
trials = json.load(sys.stdin)
n = int(sys.argv[1])
states = [t["state"] for t in trials]
assert states.count("COMPLETE") == n, states
assert "RUNNING" not in states and "WAITING" not in states, states
failed, late = trials[0], trials[2]
assert failed["state"] == "FAIL" and failed["values"] == [], failed
assert late["state"] == "COMPLETE", late
assert late["params"] == failed["params"], (late, failed)
assert late["value"] == failed["params"]["x"], late
assert late["system_attrs"]["late_result_of"] == 0, late
assert sorted(late["intermediate_values"]) == ["0", "1"], late
assert late["user_attrs"]["exit_status"] == 0, late
assert sum("late_result_of" in t["system_attrs"] for t in trials) == 1
print("ok")'
    expect_eq "$tag: exactly $n COMPLETE; trial 0 FAIL, its result kept as trial 2" \
        "$($PY -c "$check" $n <<<"$OUT" 2>&1)" ok
}
