# race_target.sh INSTANCE SEED X K: a target for `hpo race` tests.  The
# score is (x - 3)^2 plus the instance's difficulty (its number / 10) plus
# noise from the seed, plus 5 when k = bad; it records each run in
# runs.log ("INSTANCE SEED X K") and fails on instance "broken".
inst=$1 seed=$2 x=$3 k=$4
echo "$inst $seed $x $k" >>runs.log
[ "$inst" = broken ] && exit 3
n=${inst##*[!0-9]}
awk -v x="$x" -v n="${n:-0}" -v s="$seed" -v k="$k" 'BEGIN {
    srand(s); b = (k == "bad") ? 5 : 0
    printf "score %.6f\n", (x - 3) ^ 2 + n / 10 + rand() + b }'
