#!/usr/bin/env bash
# pbt_mlp.sh — population-based training on mlp_digits (issue 13's goal):
# PBT, and PB2 beside it, against random search with the same members and
# the same total epochs; the final validation error of the best member,
# medians over seeds.  docs/benchmarks.md "Population-based training".
#
#   bench/pbt_mlp.sh HPO [--seeds "1 2 3 4 5"] [--members 16] [--epochs 81]
#                        [--interval 3] [--jobs 2] [--smoke]
#
# Every method trains `members` MLPs (hidden 64: a checkpoint cannot change
# its width, so PBT tunes lr, momentum and weight decay, and so does random
# search) on digits' fixed 80/20 split for `epochs` epochs each.  Random
# search: hpo tune --sampler random, one run of `epochs` per member.  PBT
# and PB2: hpo pbt with intervals of `interval` epochs through hpo learn
# mlp's checkpoints.  The score is the validation error (lower is better).
set -euo pipefail
usage="usage: pbt_mlp.sh HPO [--seeds LIST] [--members N] [--epochs E] [--interval I] [--jobs J] [--smoke]"
hpo=${1:?$usage}
shift
seeds="1 2 3 4 5" members=16 epochs=81 interval=3 jobs=2
while (($#)); do
    case $1 in
        --seeds) seeds=$2; shift 2 ;;
        --members) members=$2; shift 2 ;;
        --epochs) epochs=$2; shift 2 ;;
        --interval) interval=$2; shift 2 ;;
        --jobs) jobs=$2; shift 2 ;;
        --smoke) seeds=1 members=4 epochs=4 interval=2; shift ;;
        *) echo "pbt_mlp.sh: unknown option $1" >&2; echo "$usage" >&2; exit 2 ;;
    esac
done
if ((epochs % interval)); then
    echo "pbt_mlp.sh: --epochs ($epochs) must be a multiple of --interval ($interval)" >&2
    exit 2
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
data=${HPO_DATA_DIR:-$here/../../shared/data}/digits.csv
[[ -r $data ]] || { echo "pbt_mlp.sh: no $data (set HPO_DATA_DIR)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

space=(-p lr=float:1e-4:1:log -p momentum=float:0:0.99
       -p weight_decay=float:1e-6:1e-2:log)
learn=("$hpo" learn mlp --data "$data" --holdout 0.2 --seed 0 -q --hidden 64
       --lr {lr} --momentum {momentum} --weight_decay {weight_decay})

median() { sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# The best value of a study (the lowest validation error of any trial).
best_of() {
    "$hpo" best --storage "sqlite:///$tmp/$1.db" --study s --format json |
        /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["value"])'
}

# The lowest score among PBT's final population (the survivors' table).
survivors_best() {
    awk -F'\t' '$1 ~ /^[0-9]+$/ && $3 != "" {print $3}' "$1" | sort -g | head -1
}

declare -A scores
for seed in $seeds; do
    t0=$(date +%s)
    "$hpo" tune --storage "sqlite:///$tmp/random$seed.db" --study s -q \
        --sampler random --seed "$seed" -n "$members" -j "$jobs" "${space[@]}" \
        -- "${learn[@]}" --epochs "$epochs" >/dev/null
    scores[random]+="$(printf '%.4f' "$(best_of "random$seed")") "
    t1=$(date +%s)
    for explore in perturb pb2; do
        "$hpo" pbt --storage "sqlite:///$tmp/$explore$seed.db" --study s -q \
            -N "$members" -K $((epochs / interval)) --interval "$interval" \
            --explore "$explore" --seed "$seed" -j "$jobs" \
            --checkpoint-dir "$tmp/ck-$explore$seed" "${space[@]}" \
            -- "${learn[@]}" --epochs "$interval" \
            --checkpoint-in {checkpoint_in} --checkpoint-out {checkpoint_out} \
            >"$tmp/$explore$seed.out"
        scores[$explore]+="$(printf '%.4f' "$(survivors_best "$tmp/$explore$seed.out")") "
    done
    echo "seed $seed done in $(($(date +%s) - t0)) s (random search" \
         "$((t1 - t0)) s)" >&2
done

printf '%-8s %-10s %s\n' method median "per seed (validation error, best member)"
for m in random perturb pb2; do
    med=$(tr ' ' '\n' <<<"${scores[$m]}" | grep . | median)
    printf '%-8s %-10s %s\n' "$m" "$med" "${scores[$m]}"
done
r=$(tr ' ' '\n' <<<"${scores[random]}" | grep . | median)
p=$(tr ' ' '\n' <<<"${scores[perturb]}" | grep . | median)
echo "PBT / random: $(awk -v p="$p" -v r="$r" 'BEGIN {printf "%.3f", (r > 0 ? p / r : 0)}')" \
     "(goal: PBT's median below random's; $members members x $epochs epochs, interval $interval)"
