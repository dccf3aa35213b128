# wilcoxon_race.sh HPO [--seeds N] [--trials N] [--instances N]: what
# --pruner wilcoxon saves on a racing-like target (tests/children/
# instances2.sh: two parameters, instances of graded hardness, instance
# noise), against no pruner with the same sampler and seed, so both runs
# propose the same configurations.  Prints per seed the instance
# evaluations each run made and the best mean score each found, then the
# medians.  (Debian's Optuna 3.1 has no WilcoxonPruner, so there is no
# Optuna column.)
set -euo pipefail
hpo=${1:?usage: wilcoxon_race.sh HPO [--seeds N] [--trials N] [--instances N]}
shift
seeds=5 trials=60 instances=20
while (($#)); do
    case $1 in
        --seeds) seeds=$2; shift 2 ;;
        --trials) trials=$2; shift 2 ;;
        --instances) instances=$2; shift 2 ;;
        *) echo "wilcoxon_race.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
child=$(cd "$(dirname "$0")/.." && pwd)/tests/children/instances2.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HPO_TEST_DIR=$tmp

# run PRUNER SEED: prints "EVALUATIONS BEST".
run() {
    rm -f "$tmp/evals"
    local err
    err=$("$hpo" tune --storage memory: --sampler random --seed "$2" -n "$trials" \
        --pruner "$1" -p x=float:0:1 -p y=float:0:1 \
        -- sh "$child" '{x}' '{y}' "$instances" 2>&1 >/dev/null)
    echo "$(wc -l <"$tmp/evals") $(sed -n 's/.*best \([0-9.e+-]*\) (trial.*/\1/p' <<<"$err" | head -1)"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "seed | evaluations none | evaluations wilcoxon | saved | best none | best wilcoxon"
: >"$tmp/rows"
for ((s = 1; s <= seeds; s++)); do
    read -r en bn < <(run none "$s")
    read -r ew bw < <(run wilcoxon "$s")
    saved=$(awk -v a="$en" -v b="$ew" 'BEGIN { printf "%.1f%%", 100 * (1 - b / a) }')
    echo "$s | $en | $ew | $saved | $bn | $bw"
    echo "$en $ew $bn $bw" >>"$tmp/rows"
done
me=$(awk '{ print $1 }' "$tmp/rows" | median)
mw=$(awk '{ print $2 }' "$tmp/rows" | median)
mbn=$(awk '{ print $3 }' "$tmp/rows" | median)
mbw=$(awk '{ print $4 }' "$tmp/rows" | median)
echo "median | $me | $mw | $(awk -v a="$me" -v b="$mw" 'BEGIN { printf "%.1f%%", 100 * (1 - b / a) }') | $mbn | $mbw"
