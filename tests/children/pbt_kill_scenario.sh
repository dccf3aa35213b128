# pbt_kill_scenario.sh — sourced by tests/cli/pbt_kill*.sh after
# testlib.sh: two `hpo pbt` workers share one population; worker A is
# killed with SIGKILL in the middle of a member's interval (its child,
# pbt_child.sh with HANG_DIR, hangs on the first interval that starts from
# a checkpoint).  Worker B fails that interval by its stale heartbeat and
# resumes the member from its last checkpoint (the same checkpoint_in and
# hyperparameters, attempt 1); the population finishes with every member's
# every interval COMPLETE and only the survivors' checkpoints on disk.
#
# pbt_kill_scenario URL STUDY
pbt_kill_scenario() {
    local url=$1 study=$2 tag="pbt kill ($2)"
    local args=(pbt --storage "$url" --study "$study" -N 3 -K 3 --seed 1
                --heartbeat 1 --checkpoint-dir "ck$study" -q
                -p lr=float:1e-4:1:log
                -- sh "$CHILDREN/pbt_child.sh" {lr} {checkpoint_in}
                {checkpoint_out})
    mkdir "hang$study"
    HANG_DIR=$PWD/hang$study "$HPO" "${args[@]}" >a.out 2>a.err &
    local a_pid=$!
    if ! wait_for_files 1 "$PWD/hang$study/hung.*" 20; then
        fail "$tag: worker A never reached an interval with a checkpoint: $(<a.err)"
        kill -9 $a_pid 2>/dev/null || true
        return
    fi
    "$HPO" "${args[@]}" >b.out 2>b.err &
    local b_pid=$!
    kill -9 $a_pid
    wait $a_pid 2>/dev/null || true
    local hung=(hang$study/hung.*)
    kill "$(<"${hung[0]}")" 2>/dev/null || true

    local b_rc=0
    wait $b_pid || b_rc=$?
    expect_eq "$tag: worker B exits 0 ($(<b.err))" "$b_rc" 0
    run "$HPO" trials --storage "$url" --study "$study" --format json
    expect_eq "$tag: the killed interval resumed from its checkpoint" "$(/usr/bin/python3 -c '
import json, sys
t = json.load(sys.stdin)
f = [x for x in t if x["state"] == "FAIL"]
assert len(f) == 1, [x["state"] for x in t]
assert f[0]["system_attrs"]["fail_reason"] == "its worker stopped sending heartbeats", f
a = f[0]["user_attrs"]
assert a["checkpoint_in"], a
r = [x for x in t if x["user_attrs"]["pbt_member"] == a["pbt_member"] and
     x["user_attrs"]["pbt_interval"] == a["pbt_interval"] and
     x["user_attrs"]["pbt_attempt"] == 1]
assert len(r) == 1 and r[0]["state"] == "COMPLETE", r
assert r[0]["user_attrs"]["checkpoint_in"] == a["checkpoint_in"], r
assert r[0]["params"] == f[0]["params"], r
done = sorted((x["user_attrs"]["pbt_member"], x["user_attrs"]["pbt_interval"])
              for x in t if x["state"] == "COMPLETE")
assert done == [(m, k) for m in range(3) for k in range(3)], done
print("ok")' <<<"$OUT" 2>&1)" ok
    expect_eq "$tag: only the three survivors' checkpoints remain" \
        "$(ls "ck$study" | grep -c -- '-i2-.*\.ckpt$') $(ls "ck$study" | wc -l)" "3 3"
}
