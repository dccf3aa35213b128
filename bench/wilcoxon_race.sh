# wilcoxon_race.sh HPO [--seeds N] [--trials N] [--instances N] [--no-optuna]:
# what --pruner wilcoxon saves on a racing-like target (tests/children/
# instances2.sh: two parameters, instances of graded hardness, instance
# noise), against no pruner with the same sampler and seed, so both runs
# propose the same configurations; beside Optuna 3.1 with a WilcoxonPruner
# written to Optuna 3.6's rule (bench/wilcoxon_race_optuna.py: Debian's
# Optuna predates the pruner), random search on both sides.
#
# An evaluation is an instance the tuner read before its verdict: hpo's
# resource (the instances a trial reported), Optuna's reports.  A pruned
# child's own run past the verdict is left out (here the child is instant
# and computes all its instances before hpo reads the first; with a real
# target it is killed within a report or two).  Prints per seed, then the
# medians and hpo's saving beside Optuna's.
set -euo pipefail
hpo=${1:?usage: wilcoxon_race.sh HPO [--seeds N] [--trials N] [--instances N] [--no-optuna]}
shift
seeds=5 trials=60 instances=20 optuna=1
while (($#)); do
    case $1 in
        --seeds) seeds=$2; shift 2 ;;
        --trials) trials=$2; shift 2 ;;
        --instances) instances=$2; shift 2 ;;
        --no-optuna) optuna=0; shift ;;
        *) echo "wilcoxon_race.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
here=$(cd "$(dirname "$0")" && pwd)
child=$here/../tests/children/instances2.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run PRUNER SEED: prints "EVALUATIONS BEST".
run() {
    local err
    err=$("$hpo" tune --storage memory: --sampler random --seed "$2" -n "$trials" \
        --pruner "$1" -p x=float:0:1 -p y=float:0:1 \
        -- sh "$child" '{x}' '{y}' "$instances" 2>&1 >/dev/null)
    echo "$(sed -n 's/.*; resource \([0-9]*\).*/\1/p' <<<"$err") $(sed -n 's/.*best \([0-9.e+-]*\) (trial.*/\1/p' <<<"$err" | head -1)"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
saved() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f%%", 100 * (1 - b / a) }'; }

if ((optuna)); then
    /usr/bin/python3 "$here/wilcoxon_race_optuna.py" "$seeds" "$trials" "$instances" >"$tmp/optuna"
else
    for ((s = 1; s <= seeds; s++)); do echo "- - - -"; done >"$tmp/optuna"
fi
echo "seed | hpo evaluations none | hpo wilcoxon | saved | Optuna none | Optuna wilcoxon | saved | hpo best none | hpo best wilcoxon | Optuna best none | Optuna best wilcoxon"
: >"$tmp/rows"
for ((s = 1; s <= seeds; s++)); do
    read -r en bn < <(run none "$s")
    read -r ew bw < <(run wilcoxon "$s")
    read -r on ow obn obw < <(sed -n "${s}p" "$tmp/optuna")
    echo "$s | $en | $ew | $(saved "$en" "$ew") | $on | $ow | $( ((optuna)) && saved "$on" "$ow" || echo -) | $bn | $bw | $obn | $obw"
    echo "$en $ew $bn $bw $on $ow $obn $obw" >>"$tmp/rows"
done
for c in 1 2 3 4 5 6 7 8; do
    m[c]=$(awk -v c=$c '{ print $c }' "$tmp/rows" | median)
done
echo "median | ${m[1]} | ${m[2]} | $(saved "${m[1]}" "${m[2]}") | ${m[5]} | ${m[6]} | $( ((optuna)) && saved "${m[5]}" "${m[6]}" || echo -) | ${m[3]} | ${m[4]} | ${m[7]} | ${m[8]}"
