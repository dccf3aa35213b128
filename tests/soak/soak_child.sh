#!/bin/bash
# soak_child.sh X Y K: the trial program of the soak campaign (soak.py).
#
# Its fate is drawn at random (bash's $RANDOM, seeded per process):
#
#   ok       58%  sleeps 0..SOAK_CHILD_MAX_S, prints its value
#   slow      6%  sleeps past the heartbeat grace (SOAK_SLOW_S), then ok
#   crash     8%  prints a value, then exits 3 (the value must not count)
#   hang      6%  sleeps until --trial-timeout kills it
#   garbage   8%  text without a number at the end of any line
#   binary    6%  binary junk, then a line "4" (chance, not a result)
#   lastnum   8%  ok, but its value is the last number of a text line
#
# The value is (X-1)^2 + (Y+2)^2 + index(K), printed exactly (%.17g).
# Only a child that will exit 0 writes its line to the ledger, after it
# printed its value: "study number x y k value child_pid worker_pid"
# (tab-separated), appended in one write with fsync (dd conv=fsync).  So a
# ledger line means "this result was printed and the child ended well";
# whether its worker stored it is what the campaign checks.
#
# Every child registers its pid in $SOAK_DIR/run/ (removed as it ends
# well) so that the campaign can SIGKILL running children.
x=$1 y=$2 k=$3
run_file=$SOAK_DIR/run/$$
: >"$run_file"

sleep_ms() {
    sleep "$(($1 / 1000)).$(printf %03d $(($1 % 1000)))"
}

value() {
    local ki
    case $k in a) ki=0 ;; b) ki=1 ;; *) ki=2 ;; esac
    awk -v x="$x" -v y="$y" -v k="$ki" \
        'BEGIN { printf "%.17g", (x - 1) * (x - 1) + (y + 2) * (y + 2) + k }'
}

max_ms=$(awk -v s="${SOAK_CHILD_MAX_S:-2}" 'BEGIN { printf "%d", s * 1000 }')
slow_ms=$(awk -v s="${SOAK_SLOW_S:-6}" 'BEGIN { printf "%d", s * 1000 }')
r=$((RANDOM % 100))
if ((r < 58)); then
    fate=ok
elif ((r < 64)); then
    fate=slow
elif ((r < 72)); then
    fate=crash
elif ((r < 78)); then
    fate=hang
elif ((r < 86)); then
    fate=garbage
elif ((r < 92)); then
    fate=binary
else
    fate=lastnum
fi

echo "soak child $$ of worker $PPID: trial $HPO_TRIAL_NUMBER, fate $fate"
case $fate in
ok | lastnum) sleep_ms $(((RANDOM * 32768 + RANDOM) % (max_ms + 1))) ;;
slow) sleep_ms $((slow_ms + RANDOM % 1000)) ;;
crash)
    sleep_ms $((RANDOM % (max_ms + 1)))
    echo "@hpo value $(value)"
    echo "Traceback: soak crash" >&2
    rm -f "$run_file"
    exit 3
    ;;
hang) sleep 3600 ;;
garbage)
    echo "no number here"
    printf 'nor here'
    rm -f "$run_file"
    exit 0
    ;;
binary)
    head -c 20000 /dev/urandom
    printf '\n4\n'
    rm -f "$run_file"
    exit 0
    ;;
esac

v=$(value)
if [ "$fate" = lastnum ]; then
    echo "loss $v"
else
    echo "@hpo value $v"
fi
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$HPO_STUDY" "$HPO_TRIAL_NUMBER" \
    "$x" "$y" "$k" "$v" "$$" "$PPID" |
    dd of="$SOAK_DIR/ledger" oflag=append conv=notrunc,fsync status=none
rm -f "$run_file"
exit 0
