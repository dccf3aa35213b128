# worker_race.sh HPO: tune and three workers, three children each, on one
# SQLite study with short trials of which about one in five fails: they
# race for the last slots of the study-wide target again and again, and
# the study must still end with exactly the requested COMPLETE trials
# (failed ones replaced, a trial started for a taken slot not run:
# PRUNED with "skipped_reason").  (Skipped without SQLite.)
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

require_sqlite
URL="sqlite:///$TMP/r.db"
export CHILD_SLEEP=0.02 FAIL_BELOW=-3
for round in 1 2; do
    study=r$round
    "$HPO" tune --storage "$URL" --study $study -q -n 30 -j 3 -p x=float:-5:5 \
        -- sh "$CHILDREN/slow_quadratic.sh" '{x}' >/dev/null 2>tune.err &
    pids=($!)
    deadline=$((SECONDS + 15))
    until "$HPO" trials --storage "$URL" --study $study --format csv \
        2>/dev/null | grep -q '^0,'; do
        ((SECONDS < deadline)) || break
        sleep 0.02
    done
    for w in 1 2 3; do
        "$HPO" worker --storage "$URL" --study $study -q -j 3 >/dev/null 2>w$w.err &
        pids+=($!)
    done
    codes=""
    for p in "${pids[@]}"; do
        wait "$p" && codes+="0 " || codes+="$? "
    done
    expect_eq "round $round: tune and the workers exit 0" "$codes" "0 0 0 0 "
    run "$HPO" trials --storage "$URL" --study $study --format csv
    states=$(tail -n +2 <<<"$OUT" | cut -d, -f2)
    expect_eq "round $round: exactly 30 COMPLETE" "$(grep -c COMPLETE <<<"$states")" 30
    expect_eq "round $round: none RUNNING or WAITING" \
        "$(grep -cE 'RUNNING|WAITING' <<<"$states" || true)" 0
    expect_true "round $round: some trials failed" grep -q FAIL <<<"$states"
    run "$HPO" trials --storage "$URL" --study $study --format json
    expect_eq "round $round: every PRUNED trial is a skipped one, never run" \
        "$(/usr/bin/python3 -c 'import json, sys
t = json.load(sys.stdin)
print(all("skipped_reason" in x["user_attrs"] and not x["params"]
          for x in t if x["state"] == "PRUNED"))' <<<"$OUT")" True
done
finish
