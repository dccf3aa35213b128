# heartbeat_scenario.sh — sourced by tests/cli/worker_heartbeat*.sh after
# testlib.sh: one study, three processes, one of them killed mid-trial.
#
#   hpo tune -n 6 --heartbeat 1 --retry-failed 1   (in the background)
#   worker A: its child hangs; A is killed with SIGKILL mid-trial
#   worker B: --heartbeat 1 --retry-failed 1
#
# A's trial stops beating; after the grace period (2 s) tune or B fails it
# with the heartbeat reason and enqueues a retry with the same parameters,
# which one of them runs.  The study must end with exactly 6 COMPLETE
# trials, nothing RUNNING or WAITING, and tune and B must both exit 0.
#
# heartbeat_scenario URL STUDY
heartbeat_scenario() {
    local url=$1 study=$2 n=6 PY=/usr/bin/python3
    local tag="heartbeat ($study)"
    "$HPO" tune --storage "$url" --study "$study" -q -n $n --seed 1 \
        --heartbeat 1 --retry-failed 1 -p x=float:-5:5 -p k=cat:a,b \
        -- sh "$CHILDREN/slow_quadratic.sh" '{x}' >tune.out 2>tune.err &
    local tune_pid=$!

    # hpo:cli is stored before the first trial starts.
    local deadline=$((SECONDS + 15))
    until "$HPO" trials --storage "$url" --study "$study" --format csv \
        2>/dev/null | grep -q '^0,'; do
        ((SECONDS < deadline)) || { fail "$tag: no first trial"; return; }
        sleep 0.05
    done

    mkdir -p hang
    HANG_DIR=$PWD/hang "$HPO" worker --storage "$url" --study "$study" -q \
        --heartbeat 1 >a.out 2>a.err &
    local a_pid=$!
    if ! wait_for_files 1 "$PWD/hang/hung.*" 10; then
        fail "$tag: worker A started no trial: $(<a.err)"
        kill -9 $a_pid $tune_pid 2>/dev/null
        return
    fi
    kill -9 $a_pid
    wait $a_pid 2>/dev/null || true
    local hung=(hang/hung.*)
    local killed=${hung[0]##*.}
    kill "$(<"${hung[0]}")" 2>/dev/null || true

    "$HPO" worker --storage "$url" --study "$study" -q --heartbeat 1 \
        --retry-failed 1 >b.out 2>b.err &
    local b_pid=$!
    local tune_rc=0 b_rc=0
    wait $tune_pid || tune_rc=$?
    wait $b_pid || b_rc=$?
    expect_eq "$tag: tune exits 0 ($(<tune.err))" "$tune_rc" 0
    expect_eq "$tag: worker B exits 0 ($(<b.err))" "$b_rc" 0

    run "$HPO" trials --storage "$url" --study "$study" --format json
    local check='
import json, sys
trials = json.load(sys.stdin)
killed = int(sys.argv[1])
n = int(sys.argv[2])
states = [t["state"] for t in trials]
complete = states.count("COMPLETE")
assert complete == n, f"{complete} COMPLETE trials, not {n}: {states}"
assert "RUNNING" not in states and "WAITING" not in states, states
k = trials[killed]
assert k["state"] == "FAIL", k
reason = "its worker stopped sending heartbeats"
assert k["system_attrs"].get("fail_reason") == reason, k
retries = [t for t in trials if t["system_attrs"].get("failed_trial") == killed]
assert len(retries) == 1, retries
r = retries[0]
assert r["state"] == "COMPLETE", r
assert r["params"] == k["params"], (r["params"], k["params"])
assert r["system_attrs"]["retry_history"] == [killed], r
print("ok")'
    expect_eq "$tag: exactly $n COMPLETE; trial $killed FAIL by heartbeat, retried with its params" \
        "$($PY -c "$check" "$killed" $n <<<"$OUT" 2>&1)" ok
    run "$HPO" trials --storage "$url" --study "$study" --format csv
    expect_match "$tag: the table shows the heartbeat reason" "$OUT" \
        $'\n'"$killed,FAIL,.*,its worker stopped sending heartbeats"
}
