#!/usr/bin/env bash
# report_bench.sh — how long `hpo report` takes to write the page of a big
# study, and Chromium to open and render it (issue 12's goals: 100,000
# trials written in <= 2 s, opened in <= 2 s).  docs/benchmarks.md.
#
#   bench/report_bench.sh HPO REPORT_FIXTURE [--trials N] [--repeat R]
#                         [--storage URL]
#
# HPO is build/hpo, REPORT_FIXTURE build/tests/report_fixture (it fills
# the study: 3 parameters, one objective, every 10th trial with 20
# intermediate values, failed and pruned trials).  Prints the median of R
# runs of each.  With --storage, the study "big" there is used if it
# exists (filling 100,000 trials takes a minute or more), else made there.
# Exit 77 when Chromium or Selenium is missing.
set -euo pipefail
hpo=${1:?usage: report_bench.sh HPO REPORT_FIXTURE [--trials N] [--repeat R]}
fixture=${2:?usage: report_bench.sh HPO REPORT_FIXTURE [--trials N] [--repeat R]}
shift 2
trials=100000 repeat=3 db=
while (($#)); do
    case $1 in
        --trials) trials=$2; shift 2 ;;
        --repeat) repeat=$2; shift 2 ;;
        --storage) db=$2; shift 2 ;;
        *) echo "report_bench.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
here=$(cd "$(dirname "$0")" && pwd)
browser_py=$here/../tests/browser/report_browser.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=${db:-sqlite:///$tmp/big.db}

ms() { echo $(($(date +%s%N) / 1000000)); }
if "$hpo" studies --storage "$db" --format csv 2>/dev/null | grep -q '^big,'; then
    trials=$("$hpo" studies --storage "$db" --format csv | awk -F, '$1 == "big" {print $NF}')
    echo "study big of $trials trials in $db (made before)"
else
    t0=$(ms)
    "$fixture" big "$db" "$trials"
    echo "study of $trials trials filled in $(($(ms) - t0)) ms (not timed below)"
fi

times=()
for ((i = 0; i < repeat; i++)); do
    t0=$(ms)
    "$hpo" report --storage "$db" --study big -o "$tmp/big.html"
    times+=("$(($(ms) - t0))")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
size=$(stat -c %s "$tmp/big.html")
echo "hpo report: $trials trials from SQLite to a $((size / 1000)) kB page in $median ms" \
    "(median of $repeat: ${times[*]}; goal <= 2000 ms)"

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null ||
    ! /usr/bin/python3 -c 'import selenium' 2>/dev/null; then
    echo "SKIP: no chromium, chromedriver or python3-selenium (scripts/setup.sh)"
    exit 77
fi
/usr/bin/python3 "$browser_py" --time "$tmp/big.html" --repeat "$repeat"
echo "(goal: opened and rendered in <= 2000 ms; load average $(cut -d' ' -f1-3 /proc/loadavg))"
