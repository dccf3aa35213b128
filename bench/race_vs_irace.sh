#!/bin/bash
# race_vs_irace.sh [--seeds "1 2 3"] [--budget N] [--smoke] HPO
#
# `hpo race` beside R's irace (Debian's r-cran-irace) on one scenario, in
# one invocation: XGBoost on spam (bench/race_xgb_target.sh: 81 rounds,
# log-loss on a 30% holdout), 5 parameters (eta, max_depth, subsample,
# colsample_bytree, min_child_weight: hpo learn's spaces), training
# instances = 10 split seeds (1..10), test instances = 10 others
# (101..110), 300 experiments, one experiment at a time.  Per seed and
# tool: the final best elite's mean log-loss on the test splits, the wall
# time, the targets' summed time, the tool's own time (wall - target, which
# still holds starting each target process) and the tool's own CPU time
# (its process alone, all threads, no children: own_cpu).
# Then the medians over seeds, and XGBoost's defaults on the test splits.
#
# --cheap: the same runs on a cheap shell target (a quadratic, a few ms):
# the wall time is then mostly the tools' own, which the XGBoost run
# cannot separate cleanly on a loaded machine.
# --only hpo|irace: one tool's side (to run the two at different times).
# --smoke: hpo's side only, on a cheap shell target (a quadratic), budget
# 180 (the least for 5 parameters), to check the script end to end in the tests (irace is not run there:
# scripts/setup.sh does not install R).  Without R's irace the full run
# says so and runs hpo's side only.
set -euo pipefail
seeds="1 2 3" budget=300 smoke=0 cheap=0 only=""
while [[ $# -gt 1 ]]; do
    case $1 in
    --seeds) seeds=$2; shift 2 ;;
    --budget) budget=$2; shift 2 ;;
    --smoke) smoke=1 cheap=1; shift ;;
    --cheap) cheap=1; shift ;;
    --only) only=$2; shift 2 ;;
    *) echo "race_vs_irace.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
HPO=$(cd "$(dirname "${1:?usage: race_vs_irace.sh [options] HPO}")" && pwd)/$(basename "$1")
export HPO
here=$(cd "$(dirname "$0")" && pwd)
data=${HPO_DATA_DIR:-$here/../../shared/data}/spam.csv
export RACE_BENCH_DATA=$data
work=$(mktemp -d "${TMPDIR:-/tmp}/race-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
seq 1 10 >train.txt
seq 101 110 >test.txt

((smoke)) && budget=180 seeds=1
if ((cheap)); then
    cat >target.sh <<'SH'
#!/bin/bash
# A cheap stand-in: (eta - 0.1)^2 + (max_depth - 4)^2 / 100 + split noise.
inst=$1; shift 2
while [[ $# -gt 0 ]]; do eval "p_${1#--}=$2"; shift 2; done
start=$(date +%s.%N)
awk -v e="$p_eta" -v d="$p_max_depth" -v i="$inst" 'BEGIN { srand(i);
    printf "%.6f\n", (e - 0.1) ^ 2 + (d - 4) ^ 2 / 100 + rand() / 100 }'
end=$(date +%s.%N)
[[ -n ${RACE_BENCH_LOG:-} ]] && awk -v a="$start" -v b="$end" 'BEGIN { printf "%.6f\n", b - a }' >>"$RACE_BENCH_LOG"
exit 0
SH
    chmod +x target.sh
    target=$work/target.sh
else
    [[ -r $data ]] || { echo "race_vs_irace.sh: no $data (set HPO_DATA_DIR)" >&2; exit 2; }
    target=$here/race_xgb_target.sh
fi

have_irace=0
if ((!smoke)); then
    if Rscript -e 'suppressMessages(library(irace))' >/dev/null 2>&1; then
        have_irace=1
    else
        echo "R's irace is not installed (apt-get install r-cran-irace): hpo's side only"
    fi
fi

params=(-p eta=float:0.005:0.5:log -p max_depth=int:1:10 -p subsample=float:0.5:1
        -p colsample_bytree=float:0.5:1 -p min_child_weight=float:0.1:20:log)
names=(eta max_depth subsample colsample_bytree min_child_weight)

now() { date +%s.%N; }

# own_cpu FILE CMD...: run CMD and write to FILE the CPU seconds of its
# process itself (user + system, all its threads, none of its children:
# the targets), read from /proc until it exits (to 0.05 s).  Rscript execs
# R in the same process, so irace's R is measured as hpo is.
own_cpu() {
    local out=$1 pid last=0 f
    shift
    "$@" &
    pid=$!
    # (2>/dev/null first: the redirection itself fails once it is reaped)
    while read -r -a f 2>/dev/null </proc/$pid/stat; do
        # fields 14 and 15 (utime, stime); comm, field 2, has no spaces here
        last=$((f[13] + f[14]))
        [[ ${f[2]} == Z ]] && break
        sleep 0.05
    done
    local rc=0
    wait "$pid" || rc=$?
    awk -v t="$last" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", t / hz }' >"$out"
    return $rc
}
sum_log() { awk '{ s += $1 } END { printf "%.3f", s + 0 }' "$1"; }

# test_mean "--eta V --max_depth V ...": the mean score on the test splits.
test_mean() {
    local sum=0 v
    for t in $(cat test.txt); do
        v=$("$target" "$t" 0 $1 | tail -1)
        sum=$(awk -v s="$sum" -v v="$v" 'BEGIN { printf "%.10f", s + v }')
    done
    awk -v s="$sum" -v n="$(wc -l <test.txt)" 'BEGIN { printf "%.4f", s / n }'
}

run_hpo() { # seed -> "test wall target switches"
    local seed=$1 log=$work/hpo.$1.log
    : >"$log"
    local t0 t1 cmd=("$target" '{instance}' '{seed}')
    for n in "${names[@]}"; do cmd+=("--$n" "{$n}"); done
    t0=$(now)
    RACE_BENCH_LOG=$log own_cpu "$work/cpu" "$HPO" race -q \
        --storage "sqlite:///$work/hpo.db" --study "s$seed" --seed "$seed" \
        --instances train.txt --budget "$budget" "${params[@]}" \
        -- "${cmd[@]}" >/dev/null
    t1=$(now)
    local sw
    sw=$("$HPO" best --storage "sqlite:///$work/hpo.db" --study "s$seed" |
         awk 'NR > 1 { printf "--%s %s ", $1, $3 }')
    echo "$(test_mean "$sw") $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') $(sum_log "$log") $(<"$work/cpu") $sw"
}

write_irace_files() {
    cat >parameters.txt <<'P'
eta              "--eta "              r,log (0.005, 0.5)
max_depth        "--max_depth "        i     (1, 10)
subsample        "--subsample "        r     (0.5, 1)
colsample_bytree "--colsample_bytree " r     (0.5, 1)
min_child_weight "--min_child_weight " r,log (0.1, 20)
P
    cat >target-runner <<SH
#!/bin/bash
# irace's call: CONFIG_ID INSTANCE_ID SEED INSTANCE [BOUND] SWITCHES...
shift 2; seed=\$1 inst=\$2; shift 2
exec "$target" "\$inst" "\$seed" "\$@"
SH
    chmod +x target-runner
}

run_irace() { # seed -> "test wall target switches"
    local seed=$1 log=$work/irace.$1.log dir=$work/irace.$1
    mkdir -p "$dir"
    : >"$log"
    cat >"$dir/scenario.txt" <<S
parameterFile = "$work/parameters.txt"
trainInstancesFile = "$work/train.txt"
trainInstancesDir = ""
targetRunner = "$work/target-runner"
execDir = "$dir"
logFile = "$dir/irace.Rdata"
maxExperiments = $budget
seed = $seed
S
    local t0 t1
    t0=$(now)
    if ! RACE_BENCH_LOG=$log own_cpu "$work/cpu" Rscript -e "suppressMessages(library(irace)); irace.cmdline('--scenario $dir/scenario.txt')" >"$dir/out.txt" 2>&1; then
        echo "irace failed; the end of its output:" >&2
        tail -20 "$dir/out.txt" >&2
        return 1
    fi
    t1=$(now)
    local sw
    sw=$(Rscript -e "suppressMessages(library(irace)); load('$dir/irace.Rdata');
        e <- getFinalElites(iraceResults, n = 1);
        cat(paste0('--', iraceResults\$parameters\$names, ' ', unlist(e[1, iraceResults\$parameters\$names]), collapse = ' '))")
    echo "$(test_mean "$sw") $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') $(sum_log "$log") $(<"$work/cpu") $sw"
}

((have_irace)) && write_irace_files
printf '%-6s %-5s %10s %9s %10s %10s %8s  %s\n' tool seed test_loss wall_s target_s own_s cpu_s elite
for seed in $seeds; do
    for tool in hpo irace; do
        [[ $tool == irace && $have_irace == 0 ]] && continue
        [[ -n $only && $tool != "$only" ]] && continue
        read -r loss wall tgt cpu sw < <(run_$tool "$seed")
        own=$(awk -v w="$wall" -v t="$tgt" 'BEGIN { printf "%.1f", w - t }')
        printf '%-6s %-5s %10s %9s %10s %10s %8s  %s\n' "$tool" "$seed" "$loss" "$wall" "$tgt" "$own" "$cpu" "$sw"
        echo "$tool $loss $own $cpu" >>results.txt
    done
done
echo
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.4f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
for tool in hpo irace; do
    grep -q "^$tool " results.txt || continue
    printf 'median %-6s test_loss %s  own_s %s  cpu_s %s\n' "$tool" \
        "$(awk -v t=$tool '$1 == t { print $2 }' results.txt | median)" \
        "$(awk -v t=$tool '$1 == t { print $3 }' results.txt | median)" \
        "$(awk -v t=$tool '$1 == t { print $4 }' results.txt | median)"
done
if grep -q '^hpo ' results.txt && grep -q '^irace ' results.txt; then
    h=$(awk '$1 == "hpo" { print $4 }' results.txt | median)
    i=$(awk '$1 == "irace" { print $4 }' results.txt | median)
    echo "hpo's own CPU / irace's: $(awk -v h="$h" -v i="$i" 'BEGIN { printf "%.3f (1/%.0f)", (i > 0 ? h / i : 0), (h > 0 ? i / h : 0) }') (goal <= 1/10)"
fi
if ((!cheap)); then
    printf 'defaults     test_loss %s\n' "$(test_mean "")"
fi
if ((smoke)); then # the shape, never the figures
    grep -Eq '^hpo [0-9]+\.[0-9]+ -?[0-9]+\.[0-9]+ [0-9]+\.[0-9]+$' results.txt ||
        { echo "FAIL: no result row for hpo" >&2; exit 1; }
fi
