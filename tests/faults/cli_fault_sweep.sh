#!/usr/bin/env bash
# cli_fault_sweep.sh HPO — `hpo tune` with a trivial child (/bin/echo {x}:
# each value is its trial's x) on SQLite, with the Nth allocation or the
# Nth SQLite step (BUSY, IOERR, FULL in turn) failed, for N = 1, 2, ...
# until N passes the calls the run makes (HPO_FAULT, src/core/faults.h;
# HPO_FAULTS builds only).  After each run:
#   - it did not crash (no signal, no sanitizer report);
#   - it failed with exit status 1 and one "hpo ...: reason" line, or it
#     succeeded with its 3 trials, each COMPLETE or FAIL with the reason
#     (hpo fails a trial it could not prepare) and no error line (no silent
#     success);
#   - the database holds gapless numbers and every COMPLETE trial has its
#     value, equal to its x;
#   - a clean restart (hpo worker, or tune again when the study never got
#     its settings) ends with exactly the 3 COMPLETE trials asked for.
# HPO_FAULT_SWEEP=full sweeps every N with every code (by hand); otherwise
# a sample of about 15 values of N per kind; HPO_FAULT_SWEEP_ONLY=alloc or
# sqlite sweeps one kind, =model only hpo tune-model's allocations (below).
# Prints the campaign's figures.
set -u
hpo=$1
py=/usr/bin/python3
dir=$(mktemp -d /dev/shm/hpo-cli-faults.XXXXXX 2>/dev/null || mktemp -d)
trap 'rm -rf "$dir"' EXIT
db=$dir/a.db
url=sqlite:///$db
budget=15
failures=0 runs=0 fired_total=0 lost_total=0

# Every run is bounded: a run that does not end (a worker without its
# target) is a failure, exit status 124.
limit() {
    timeout -k 5 120 "$@"
}

tune() { # tune [ENV...]: 3 trials of echo
    limit env "$@" "$hpo" tune --storage "$url" --study s -n 3 -q \
        -p x=float:0:1 -- /bin/echo '{x}'
}

# The stored study against the rules: prints "COMPLETE BAD TRIALS
# UNEXPLAINED" (trials not COMPLETE without a fail_reason).
check_db() {
    "$py" - "$db" <<'EOF'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
try:
    rows = c.execute("SELECT t.trial_id, t.number, t.state FROM trials t"
                     " JOIN studies s ON s.study_id = t.study_id"
                     " WHERE s.study_name = 's' ORDER BY t.number").fetchall()
except sqlite3.Error:
    rows = []  # no schema yet: nothing stored, nothing lost
bad = 0
if [r[1] for r in rows] != list(range(len(rows))):
    print("numbers not gapless:", [r[1] for r in rows], file=sys.stderr)
    bad += 1
complete = unexplained = 0
for tid, number, state in rows:
    if state != "COMPLETE":
        reason = c.execute(
            "SELECT 1 FROM trial_system_attributes WHERE trial_id = ? AND"
            " key = 'fail_reason' UNION SELECT 1 FROM trial_user_attributes"
            " WHERE trial_id = ? AND key = 'fail_reason'", (tid, tid))
        unexplained += state != "FAIL" or not reason.fetchall()
        continue
    complete += 1
    v = c.execute("SELECT value FROM trial_values WHERE trial_id = ?"
                  " AND objective = 0", (tid,)).fetchall()
    x = c.execute("SELECT param_value FROM trial_params WHERE trial_id = ?"
                  " AND param_name = 'x'", (tid,)).fetchall()
    if len(v) != 1 or len(x) != 1 or v[0][0] != x[0][0]:
        print("trial", number, "COMPLETE with value", v, "and x", x,
              file=sys.stderr)
        bad += 1
print(complete, bad, len(rows), unexplained)
EOF
}

has_settings() {
    "$py" - "$db" <<'EOF'
import sqlite3, sys
try:
    n = sqlite3.connect(sys.argv[1]).execute(
        "SELECT count(*) FROM study_system_attributes WHERE key = 'hpo:cli'"
    ).fetchone()[0]
except sqlite3.Error:
    n = 0
sys.exit(0 if n else 1)
EOF
}

crashed() { # crashed RC ERRFILE
    [ "$1" -ge 128 ] || grep -q "Sanitizer\|runtime error" "$2"
}

fail() {
    echo "  $*" >&2
    failures=$((failures + 1))
}

# After a run (its log in $dir/log, stderr in $dir/err): 2 when the fault
# did not fire (N passed the calls), 1 when it crashed (said), else 0.
fired_whole() { # fired_whole SPEC RC
    if [ "$(awk '{print $3}' "$dir/log" 2>/dev/null)" != 1 ]; then
        crashed "$2" "$dir/err" && fail "$1: crashed ($2) without firing"
        return 2
    fi
    runs=$((runs + 1))
    fired_total=$((fired_total + 1))
    crashed "$2" "$dir/err" || return 0
    fail "$1: crashed (exit $2):"
    head -n 40 "$dir/err" >&2
    return 1
}

# One run with the fault at N; returns 1 once the fault no longer fires.
run_at() { # run_at KIND N [CODE]
    local kind=$1 n=$2 code=${3:-} spec rc complete bad total why bad2
    spec=$kind:$n${code:+:$code}
    rm -f "$db" "$db-wal" "$db-shm" "$dir/log"
    tune HPO_FAULT="$spec" HPO_FAULT_LOG="$dir/log" >"$dir/out" 2>"$dir/err"
    rc=$?
    fired_whole "$spec" "$rc"
    case $? in 2) return 1 ;; 1) return 0 ;; esac
    read -r complete bad total why < <(check_db)
    if [ "$rc" -eq 0 ]; then
        [ "$total" -eq 3 ] && [ "$why" -eq 0 ] ||
            fail "$spec: exit 0 with $complete COMPLETE of $total trials," \
                "$why without a reason (silent success)"
        # -q prints nothing on stderr unless something went wrong
        ! grep -q "^hpo" "$dir/err" ||
            fail "$spec: exit 0 after an error: $(grep -m1 '^hpo' "$dir/err")"
    elif [ "$rc" -ne 1 ] || ! grep -q "^hpo[a-z ]*: ..*" "$dir/err"; then
        fail "$spec: exit $rc without a clear reason: $(head -c 300 "$dir/err")"
    fi
    [ -n "${HPO_FAULT_SWEEP_VERBOSE:-}" ] &&
        echo "  $spec: exit $rc: $(grep -m1 '^hpo' "$dir/err")" >&2
    # a clean restart reaches the target of 3
    if has_settings; then
        limit "$hpo" worker --storage "$url" --study s -q >"$dir/out2" 2>"$dir/err2"
    else
        tune >"$dir/out2" 2>"$dir/err2"
    fi || fail "$spec: the restart failed: $(head -c 300 "$dir/err2")"
    read -r complete bad2 total why < <(check_db)
    bad=$((bad + bad2))
    [ "$complete" -eq 3 ] || fail "$spec: $complete COMPLETE after the restart, not 3"
    [ "$bad" -eq 0 ] || fail "$spec: $bad trial(s) broken"
    lost_total=$((lost_total + bad))
    return 0
}

# The calls a clean run makes.
count_calls() { # count_calls KIND
    rm -f "$db" "$db-wal" "$db-shm" "$dir/log"
    tune HPO_FAULT="$1:0" HPO_FAULT_LOG="$dir/log" >/dev/null 2>&1
    awk '{print $2}' "$dir/log"
}

sweep() { # sweep KIND CODES...
    local kind=$1 calls stride first n i=0 swept=0 t0=$SECONDS
    shift
    local codes=("$@")
    [ ${#codes[@]} -eq 0 ] && codes=("")
    calls=$(count_calls "$kind")
    [ -n "$calls" ] || { fail "$kind: no count (is this an HPO_FAULTS build?)"; return; }
    stride=1
    if [ "${HPO_FAULT_SWEEP:-}" != full ] && [ "$calls" -gt "$budget" ]; then
        stride=$(((calls + budget - 1) / budget))
    fi
    for code in "${codes[@]}"; do
        first=$((1 + (stride > 1 ? RANDOM % stride : 0)))
        for ((n = first; ; n += stride)); do
            # sampled: the codes in turn over N; full: every code at every N
            local c=$code
            [ "${HPO_FAULT_SWEEP:-}" != full ] && c=${codes[$((i++ % ${#codes[@]}))]}
            run_at "$kind" "$n" "$c" || break
            swept=$((swept + 1))
        done
        [ "${HPO_FAULT_SWEEP:-}" != full ] && break
    done
    echo "hpo tune $kind: $calls calls, $swept values of N (step $stride)," \
        "$((SECONDS - t0)) s"
}

# hpo tune-model on a tiny data set, with every allocation failed in turn:
# no crash; exit 0 with its 2 trials and the best line, or exit 1 with one
# line whose reason is not empty (an option check once printed
# "hpo tune-model:  (hpo tune-model svm --help lists them)" for out of
# memory, exit 2).
csv=$dir/tiny.csv
"$py" - "$csv" <<'EOF'
import random, sys
random.seed(1)
with open(sys.argv[1], "w") as f:
    f.write("a,b,y\n")
    for _ in range(24):
        a, b = random.random(), random.random()
        f.write(f"{a:.3f},{b:.3f},{int(a + b > 1)}\n")
EOF
model() { # model [ENV...]
    rm -f "$db" "$db-wal" "$db-shm" "$dir/log"
    limit env "$@" "$hpo" tune-model svm --data "$csv" -n 2 --seed 0 -q \
        --sampler random --set C=1 --storage "$url" --study m
}

model_at() { # model_at N; returns 1 once the fault no longer fires
    local n=$1 rc
    model HPO_FAULT="alloc:$n" HPO_FAULT_LOG="$dir/log" >"$dir/out" 2>"$dir/err"
    rc=$?
    fired_whole "model alloc:$n" "$rc"
    case $? in 2) return 1 ;; 1) return 0 ;; esac
    if [ "$rc" -eq 0 ]; then
        grep -q "^best .*(trial" "$dir/out" && ! grep -q "^hpo" "$dir/err" ||
            fail "model alloc:$n: exit 0 without its best line or after an error"
    elif [ "$rc" -ne 1 ] || ! grep -q "^hpo[a-z -]*: [^ (]" "$dir/err"; then
        fail "model alloc:$n: exit $rc without a clear reason: $(head -c 300 "$dir/err")"
    fi
    [ -n "${HPO_FAULT_SWEEP_VERBOSE:-}" ] &&
        echo "  model alloc:$n: exit $rc: $(grep -m1 '^hpo' "$dir/err")" >&2
    return 0
}

sweep_model() {
    local calls stride n swept=0 t0=$SECONDS
    model HPO_FAULT=alloc:0 HPO_FAULT_LOG="$dir/log" >/dev/null 2>&1
    calls=$(awk '{print $2}' "$dir/log")
    [ -n "$calls" ] || { fail "tune-model: no count"; return; }
    stride=1
    if [ "${HPO_FAULT_SWEEP:-}" != full ] && [ "$calls" -gt "$budget" ]; then
        stride=$(((calls + budget - 1) / budget))
    fi
    for ((n = 1 + (stride > 1 ? RANDOM % stride : 0); ; n += stride)); do
        model_at "$n" || break
        swept=$((swept + 1))
    done
    echo "hpo tune-model alloc: $calls calls, $swept values of N (step" \
        "$stride), $((SECONDS - t0)) s"
}

only=${HPO_FAULT_SWEEP_ONLY:-}
[ -z "$only" ] || [ "$only" = alloc ] && sweep alloc
[ -z "$only" ] || [ "$only" = sqlite ] && sweep sqlite busy ioerr full
[ -z "$only" ] || [ "$only" = model ] && sweep_model
echo "CLI fault campaign: $runs runs with a fault injected, trials lost =" \
    "$lost_total, $failures failure(s)"
[ "$failures" -eq 0 ]
