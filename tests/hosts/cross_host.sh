# cross_host.sh HPO: one study across three hosts.  PostgreSQL runs on
# the db host, `hpo tune` on w1 and `hpo worker` on w2 (network
# namespaces on this machine, see netns.sh).  In the middle of one of its
# trials w2 dies as a machine dies: its worker and the trial's process
# group get SIGKILL.  w1 goes on; after the grace period it fails w2's
# trial (its heartbeats stopped), retries it with the same parameters, and
# the study ends with exactly the requested number of COMPLETE trials.
# Needs root (ip netns), iproute2 and the PostgreSQL server binaries.
set -euo pipefail
if [[ $(id -u) -ne 0 ]]; then
    echo "cross_host: needs root to make network namespaces (ip netns); CI runs as root" >&2
    exit 1
fi
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/../children/testlib.sh" "$1" # cds into a scratch directory
source "$HERE/netns.sh"
trap 'hosts_down; rm -rf "$TMP"' EXIT

N_TRIALS=20
STUDY=cross
# One beat a second; a trial is stale after the default grace, 2 s.
LIVENESS=(--heartbeat 1 --retry-failed 1)
GRACE=2

start=$SECONDS
hosts_up
hosts_remove_at_end "$TMP"
echo "scratch $TMP, hosts $NS_DB $NS_W1 $NS_W2 ($HOSTS_DIR)"
hosts_pg_start
for ns in "$NS_W1" "$NS_W2"; do
    on_host "$ns" pg_isready -q -h "$ADDR_DB" -p "$PG_PORT" -t 10 ||
        { fail "$ns does not reach the server at $ADDR_DB:$PG_PORT"; finish; }
done
ok "three hosts and the server up in $((SECONDS - start)) s ($PG_URL)"

export HOSTS_MARKS=$TMP/marks
mkdir "$HOSTS_MARKS"

# marker_pid FILE: the pid a trial wrote (it may still be writing it).
marker_pid() {
    local pid="" i
    for ((i = 0; i < 40; i++)); do
        pid=$(<"$1")
        [[ -n $pid ]] && break
        sleep 0.05
    done
    echo "$pid"
}

# `ip netns exec` and env exec the command: $! is hpo's own pid.
# The tuner on w1 creates the study and asks for N_TRIALS COMPLETE
# trials: its own and the workers' together.
ip netns exec "$NS_W1" env HOST_TAG=w1 "$HPO" tune --storage "$PG_URL" --study "$STUDY" \
    --trials "$N_TRIALS" "${LIVENESS[@]}" -p x=float:-5:5 \
    -- "$HERE/trial.sh" {x} >w1.out 2>w1.err &
W1=$!
wait_for_files 1 "$HOSTS_MARKS/w1.*" 30 || { fail "w1 never started a trial"; cat w1.err >&2; finish; }

# The worker on w2 joins the study and takes trials from it too, until
# the study has the COMPLETE trials tune asked for (the target is stored
# with the study, so no --trials here).  Its second trial hangs
# (HOLD_FROM=2), so it is surely in the middle of one when it dies.
ip netns exec "$NS_W2" env HOST_TAG=w2 HOLD_FROM=2 "$HPO" worker --storage "$PG_URL" --study "$STUDY" \
    "${LIVENESS[@]}" >w2.out 2>w2.err &
W2=$!

# Its second trial has begun: the machine dies now.
if ! wait_for_files 2 "$HOSTS_MARKS/w2.*" 30; then
    fail "w2's worker never ran two trials"
    cat w2.err >&2
    finish
fi
W2_TRIALS=($(cd "$HOSTS_MARKS" && ls w2.* | sed 's/^w2\.//' | sort -n))
KILLED=${W2_TRIALS[1]}
CHILD=$(marker_pid "$HOSTS_MARKS/w2.$KILLED")
expect_eq "w2's job is hpo itself" "$(ps -o comm= -p "$W2")" hpo
CHILD_GROUP=$(ps -o pgid= -p "$CHILD" | tr -d ' ' || true)
set +e
{ # bash's own "Killed" line about the job goes to /dev/null: we say it below
    kill -KILL "$W2"
    KILLED_AT=$(date +%s.%N)
    [[ -n $CHILD_GROUP ]] && kill -KILL -- "-$CHILD_GROUP"
    touch "$TMP/killed"
    wait "$W2"
    W2_RC=$?
} 2>/dev/null
set -e
echo "killed w2's worker (pid $W2) and trial $KILLED's process group $CHILD_GROUP" \
    "at $((SECONDS - start)) s"
expect_eq "w2's worker died of SIGKILL" "$W2_RC" 137
expect_true "trial $KILLED's child is gone" process_gone "$CHILD"

# w1 goes on to the end (20 trials of 0.4 s, with a margin).
deadline=$((SECONDS + 120))
while kill -0 "$W1" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 0.2
done
if kill -0 "$W1" 2>/dev/null; then
    fail "w1's tuner still runs after 120 s"
    kill -KILL "$W1"
fi
set +e
wait "$W1"
W1_RC=$?
set -e
echo "w1's tuner ended at $((SECONDS - start)) s"
expect_eq "w1's tuner exits 0" "$W1_RC" 0
after_kill=$(find "$HOSTS_MARKS" -name 'w1.*' -newer "$TMP/killed" | wc -l)
expect_true "w1 ran trials after w2 died ($after_kill)" test "$after_kill" -gt 0
if ((N_FAILED > 0)); then
    sed 's/^/w1: /' w1.err >&2
    sed 's/^/w2: /' w2.err >&2
fi

# The study as Optuna reads it from the database, on w1.
# w2's first trial, finished before it died, is kept COMPLETE.
run on_host "$NS_W1" /usr/bin/python3 "$HERE/check_study.py" "$PG_URL" "$STUDY" \
    --complete "$N_TRIALS" --killed "$KILLED" --killed-at "$KILLED_AT" --grace "$GRACE" \
    --kept "${W2_TRIALS[0]}"
echo "$OUT"
[[ -n $ERR ]] && echo "$ERR" >&2
expect_eq "the study checks pass" "$RC" 0
echo "took $((SECONDS - start)) s"
finish
