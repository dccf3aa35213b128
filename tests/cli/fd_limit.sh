# fd_limit.sh HPO: running out of file descriptors is hpo's shortage, never
# a trial's failure.  With `ulimit -n 128` and -j 100, --jobs is capped
# (with a warning) and every trial completes; when the limit drops under
# hpo mid-run (prlimit), children wait to start instead of failing.  hpo
# raises its own soft limit to the hard one, and a child still sees the
# limit hpo was started with.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

# summary TEXT: "C complete, F failed" from hpo's closing line.
summary() {
    sed -n 's/.* trials in [0-9]*s: \([0-9]*\) complete, [0-9]* pruned, \([0-9]*\) failed.*/\1 complete, \2 failed/p' <<<"$1"
}

# 1. The probe, scaled down: far more jobs than descriptors.
run bash -c "ulimit -n 128 && exec \"$HPO\" tune --storage memory: --study f \
    -n 120 -j 100 --sampler random -p x=float:0:1 -- sh -c 'sleep 0.2; echo 1'"
expect_eq "ulimit -n 128, -j 100: exit 0" "$RC" 0
expect_eq "ulimit -n 128, -j 100: every trial completes" "$(summary "$ERR")" \
    "120 complete, 0 failed"
expect_match "ulimit -n 128, -j 100: --jobs capped, with a warning" "$ERR" \
    "hpo tune: --jobs 100: the open-file limit \(128, ulimit -n\) leaves room for [0-9]+ children at once; running [0-9]+"

# 2. The limit drops under a running hpo: starts wait, nothing fails.
if command -v prlimit >/dev/null; then
    "$HPO" tune --storage memory: --study p -n 60 -j 20 --sampler random \
        -p x=float:0:1 -- sh -c 'sleep 0.5; echo 1' >p.out 2>p.err &
    pid=$!
    for ((i = 0; i < 100; i++)); do
        (($(ls /proc/$pid/fd 2>/dev/null | wc -l) > 30)) && break
        sleep 0.02
    done
    prlimit --pid $pid --nofile=30:30
    set +e
    wait $pid
    RC=$?
    set -e
    expect_eq "limit lowered mid-run: exit 0" "$RC" 0
    expect_eq "limit lowered mid-run: every trial completes" \
        "$(summary "$(<p.err)")" "60 complete, 0 failed"
else
    echo "note: no prlimit; the mid-run shortage is not checked"
fi

# 3. The child sees the limit hpo was started with, not hpo's raised one.
run bash -c "ulimit -Sn 100 && exec \"$HPO\" tune --storage memory: --study c \
    -n 1 -j 60 -p x=float:0:1 -- sh -c 'echo \"@hpo value \$(ulimit -n)\"'"
expect_eq "child's limit: exit 0" "$RC" 0
expect_match "child's limit: what hpo was started with" "$OUT" "value 100"
if (($(ulimit -Hn) >= 200)); then
    expect_true "raised: no cap for -j 60 under a soft limit of 100" \
        bash -c "! grep -q 'open-file limit' <<<\"\$0\"" "$ERR"
fi
finish
