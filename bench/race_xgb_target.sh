#!/bin/bash
# race_xgb_target.sh INSTANCE SEED [--PARAM VALUE ...]: the target both
# `hpo race` and R's irace run in bench/race_vs_irace.sh.  INSTANCE is a
# split seed: XGBoost (81 rounds) is trained on 70% of spam.csv and scored
# by log-loss on the other 30% of that split; the last line of stdout is
# the score alone (irace reads it so).  SEED is unused: `hpo learn`'s
# XGBoost is deterministic given the split.  With RACE_BENCH_LOG set, the
# run's wall time in seconds is appended to that file (to separate the
# tools' own time from the target's).
inst=$1 seed=$2
shift 2
: "$seed"
start=$(date +%s.%N)
score=$("${HPO:?}" learn xgboost --data "${RACE_BENCH_DATA:?}" --holdout 0.3 \
    --folds-seed "$inst" --metric logloss -q --num_round 81 "$@" |
    sed -n 's/^@hpo value //p')
end=$(date +%s.%N)
if [[ -n ${RACE_BENCH_LOG:-} ]]; then
    echo "$start $end" | awk '{ printf "%.6f\n", $2 - $1 }' >>"$RACE_BENCH_LOG"
fi
[[ -n $score ]] || exit 1
echo "$score"
