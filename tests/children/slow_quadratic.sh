# slow_quadratic.sh X: (X-1.5)^2 after a short sleep (CHILD_SLEEP seconds,
# default 0.3), so that several workers overlap.  With FAIL_BELOW set,
# an X below it exits with 1 instead (a trial that fails).
#
# With HANG_DIR set in its environment it stands in for a machine that
# dies mid-trial: it writes its pid to HANG_DIR/hung.TRIAL_NUMBER and
# sleeps for a minute, until the test kills it.
x=$1
if [ -n "${HANG_DIR:-}" ]; then
    echo $$ >"$HANG_DIR/.hung.$HPO_TRIAL_NUMBER"
    mv "$HANG_DIR/.hung.$HPO_TRIAL_NUMBER" "$HANG_DIR/hung.$HPO_TRIAL_NUMBER"
    exec sleep 60
fi
sleep "${CHILD_SLEEP:-0.3}"
awk -v x="$x" -v below="${FAIL_BELOW:-}" 'BEGIN {
    if (below != "" && x < below + 0) exit 1
    printf "loss %.10g\n", (x - 1.5)^2 }'
