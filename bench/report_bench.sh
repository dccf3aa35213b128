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
source "$(dirname "$0")/big_study.sh" report_bench.sh "$@"
browser_py=$here/../tests/browser/report_browser.py

times=()
for ((i = 0; i < repeat; i++)); do
    t0=$(ms)
    "$hpo" report --storage "$db" --study big -o "$tmp/big.html"
    times+=("$(($(ms) - t0))")
done
median=$(printf '%s\n' "${times[@]}" | median)
size=$(stat -c %s "$tmp/big.html")
echo "hpo report: $trials trials from SQLite to a $((size / 1000)) kB page in $median ms" \
    "(median of $repeat: ${times[*]}; goal <= 2000 ms)"

require_browser
/usr/bin/python3 "$browser_py" --time "$tmp/big.html" --repeat "$repeat"
echo "(goal: opened and rendered in <= 2000 ms; load average $(cut -d' ' -f1-3 /proc/loadavg))"
