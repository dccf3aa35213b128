#!/bin/sh
# pbt_child.sh LR CHECKPOINT_IN CHECKPOINT_OUT — a child for `hpo pbt`
# tests: the toy of examples/pbt_toy.sh (a weight shrinking by 1 - LR per
# step, loss floor 0.01 LR), with ways to misbehave:
#   PBT_FAIL=exit|nan|nockpt   misbehave so on the first interval that
#                              starts from a checkpoint (once: a marker
#                              file in PBT_MARK_DIR); =always: every time
#   HANG_DIR=DIR               on an interval that starts from a
#                              checkpoint, write DIR/hung.<pid> and hang
#   PBT_SLEEP=S                sleep S seconds before training
lr=$1 in=$2 out=$3
[ -n "${PBT_SLEEP:-}" ] && sleep "$PBT_SLEEP"
w=1
if [ -n "$in" ]; then
    w=$(cat "$in") || exit 1
    if [ -n "${HANG_DIR:-}" ]; then
        echo $$ >"$HANG_DIR/hung.$$"
        exec sleep 60
    fi
    if [ -n "${PBT_FAIL:-}" ] && mkdir "${PBT_MARK_DIR:-.}/pbt-failed" 2>/dev/null; then
        case $PBT_FAIL in
        exit) echo "broken" >&2; exit 3 ;;
        nan) echo 1 >"$out"; echo nan; exit 0 ;;
        nockpt) echo 0.5; exit 0 ;;
        esac
    fi
fi
[ "${PBT_FAIL:-}" = always ] && exit 4
awk -v w="$w" -v lr="$lr" 'BEGIN {
    for (i = 0; i < 10; i++) w *= 1 - lr
    printf "%.17g\n", w > "/dev/stderr"
    printf "%.17g\n", w * w + 0.01 * lr
}' 2>"$out"
