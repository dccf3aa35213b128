# big_study.sh — sourced by bench/report_bench.sh and bench/dashboard_bench.sh:
# their common arguments, a scratch directory, the study "big" they time, and
# the checks and helpers both use.
#
#   source big_study.sh NAME "$@"     (NAME: the calling script, for messages)
#
# Arguments: HPO REPORT_FIXTURE [--trials N] [--repeat R] [--storage URL].
# Sets hpo, fixture, trials, repeat, db, here (bench/), tmp (removed at exit
# by the trap, which also runs $cleanup when set), and fills study "big" of
# N trials (3 parameters, one objective, every 10th trial with 20
# intermediate values, failed and pruned trials) through the fixture unless
# --storage already holds it; the filling is not timed.
big_usage="usage: $1 HPO REPORT_FIXTURE [--trials N] [--repeat R] [--storage URL]"
big_name=$1
shift
hpo=${1:?$big_usage}
fixture=${2:?$big_usage}
shift 2
trials=100000 repeat=3 db=
while (($#)); do
    case $1 in
        --trials) trials=$2; shift 2 ;;
        --repeat) repeat=$2; shift 2 ;;
        --storage) db=$2; shift 2 ;;
        *) echo "$big_name: unknown option $1" >&2; exit 2 ;;
    esac
done
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tmp=$(mktemp -d)
cleanup=
trap '{ eval "$cleanup"; } || true; rm -rf "$tmp"' EXIT
db=${db:-sqlite:///$tmp/big.db}

# Milliseconds now, and the median of numbers on standard input.
ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

# Exit 77 (ctest: skipped) when the browser side cannot run.
require_browser() {
    if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null ||
        ! /usr/bin/python3 -c 'import selenium' 2>/dev/null; then
        echo "SKIP: no chromium, chromedriver or python3-selenium (scripts/setup.sh)"
        exit 77
    fi
}

if "$hpo" studies --storage "$db" --format csv 2>/dev/null | grep -q '^big,'; then
    trials=$("$hpo" studies --storage "$db" --format csv | awk -F, '$1 == "big" {print $NF}')
    echo "study big of $trials trials in $db (made before)"
else
    t0=$(ms)
    "$fixture" big "$db" "$trials"
    echo "study big of $trials trials filled in $(($(ms) - t0)) ms (not timed below)"
fi
