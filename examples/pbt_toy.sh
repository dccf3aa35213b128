#!/bin/sh
# pbt_toy.sh — a child for `hpo pbt`: trains a one-weight "model" for one
# interval and keeps the weight in a checkpoint file.
#
#   hpo pbt -N 8 -K 20 -p lr=float:1e-4:1:log --seed 1 \
#       -- sh examples/pbt_toy.sh {lr} {checkpoint_in} {checkpoint_out}
#
# The weight w shrinks by (1 - lr) per step, ten steps an interval; the
# loss has a floor proportional to lr, as SGD's noise does: a large lr is
# best early, a small one late, so a schedule beats any fixed lr.
lr=$1 in=$2 out=$3
w=1
if [ -n "$in" ]; then
    w=$(cat "$in") || exit 1
fi
awk -v w="$w" -v lr="$lr" 'BEGIN {
    for (i = 0; i < 10; i++) w *= 1 - lr
    printf "%.17g\n", w > "/dev/stderr"
    printf "%.17g\n", w * w + 0.01 * lr
}' 2>"$out"
