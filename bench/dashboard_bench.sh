#!/usr/bin/env bash
# dashboard_bench.sh — how fast `hpo dashboard` shows a big study (issue
# 12's goal: first paint of a study page with 100,000 trials in <= 1 s).
# docs/benchmarks.md.
#
#   bench/dashboard_bench.sh HPO REPORT_FIXTURE [--trials N] [--repeat R]
#                            [--storage URL]
#
# The fixture fills study "big" (as for bench/report_bench.sh; not timed),
# unless --storage names a storage that already holds it.  Then: the
# dashboard's read-ahead of the study (its first read, before any page),
# the study's document as the page fetches it (curl, median of R), and
# Chromium from navigation to every view drawn (median of R).  Exit 77
# when Chromium or Selenium is missing (after the curl figures).
set -euo pipefail
source "$(dirname "$0")/big_study.sh" dashboard_bench.sh "$@"
pid=
cleanup='[[ -z $pid ]] || kill $pid 2>/dev/null'

t0=$(ms)
"$hpo" dashboard --storage "$db" --port 0 2>"$tmp/err" &
pid=$!
for ((i = 0; i < 6000; i++)); do
    grep -q "ahead\|hpo dashboard: error" "$tmp/err" && break
    sleep 0.01
done
port=$(grep -o '127\.0\.0\.1:[0-9]*' "$tmp/err" | head -1 | cut -d: -f2)
echo "hpo dashboard: serving at once; read the study ahead in $(($(ms) - t0)) ms" \
    "(its first read: every trial)"
base="http://127.0.0.1:$port"
times=()
for ((i = 0; i < repeat; i++)); do
    times+=("$(curl -s -o "$tmp/doc.json" -w '%{time_total}' "$base/api/study?name=big" |
        awk '{printf "%d", $1 * 1000}')")
done
echo "api/study?name=big: $(stat -c %s "$tmp/doc.json") bytes in" \
    "$(printf '%s\n' "${times[@]}" | median) ms (median of $repeat: ${times[*]})"

require_browser
/usr/bin/python3 "$here/../tests/browser/dashboard_browser.py" \
    --time "$base/study?name=big" --repeat "$repeat"
echo "(goal: first paint <= 1000 ms; load average $(cut -d' ' -f1-3 /proc/loadavg))"
