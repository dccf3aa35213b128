# resource_bounds.sh HPO: hpo's memory and descriptors stay bounded
#   1. however much a child prints: 100 MB of lines, or 100 MB in one line
#      without a newline, on stdout and on stderr: hpo's peak RSS grows by
#      less than 16 MB (it keeps a 64 KiB line and 4 KiB tails), and the
#      stored tails are bounded;
#   2. over 5,000 trials with children (hpo worker on an SQLite study, -j
#      2): between trial 500 and trial 4,900 hpo's RSS grows by less than
#      4 MB (under 1 KB a trial: the storage's cache, no per-trial leak)
#      and its open descriptors by at most 7 (a second child starting at
#      that moment), read by the child from /proc/$PPID.
# Under AddressSanitizer a fork costs ~40 ms (its shadow memory) and its
# allocator keeps freed memory in quarantine: 500 trials (sampled at 100
# and 450), descriptors checked, RSS only printed.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

if grep -q __asan_init "$HPO"; then
    N=500 FIRST=100 LAST=450 RSS_BOUNDED=0
else
    N=5000 FIRST=500 LAST=4900 RSS_BOUNDED=1
fi
if ! have_sqlite; then
    echo "note: no SQLite in this build; skipped"
    finish
    exit 0
fi
DB="sqlite:///$TMP/rb.db"

# kb FILE: the number of kB in a /proc status line saved in FILE.
kb() { awk '{ print $2 }' "$1"; }

# 1. Endless output.  The child notes hpo's peak RSS before and after.
cat >flood.sh <<'SH'
grep VmHWM /proc/$PPID/status >hwm.before.$HPO_TRIAL_NUMBER
case $HPO_TRIAL_NUMBER in
0) yes 0123456789 | head -c 100000000 ;;
1) head -c 100000000 /dev/zero | tr '\0' 7 ;;
2) yes 0123456789 | head -c 100000000 >&2 ;;
3) head -c 100000000 /dev/zero | tr '\0' 7 >&2 ;;
esac
grep VmHWM /proc/$PPID/status >hwm.after.$HPO_TRIAL_NUMBER
exit 3
SH
run "$HPO" tune --storage "$DB" --study flood -n 4 -p x=float:0:1 -- sh flood.sh
expect_eq "flood: every trial fails (exit 3) -> exit 1" "$RC" 1
for n in 0 1 2 3; do
    grow=$(($(kb hwm.after.$n) - $(kb hwm.before.$n)))
    echo "flood $n: hpo's peak RSS grew by $grow kB"
    expect_true "flood $n: peak RSS grew by < 16 MB ($grow kB)" test "$grow" -lt 16384
done
"$HPO" trials --storage "$DB" --study flood --format json >flood.json
python3 - flood.json <<'PY' || fail "flood: stored tails missing or not bounded"
import json, sys
doc = json.load(open(sys.argv[1]))
trials = doc["trials"] if isinstance(doc, dict) else doc
for t in trials:
    attrs = t["user_attrs"]
    for key in ("stdout_tail", "stderr_tail"):
        if key in attrs:
            assert len(attrs[key].encode()) <= 4096, (key, len(attrs[key]))
    assert "stdout_tail" in attrs or "stderr_tail" in attrs, attrs
print("ok: stored tails are at most 4 KiB")
PY

# 2. Thousands of trials with children.
cat >probe.sh <<SH
case \$HPO_TRIAL_NUMBER in
$FIRST|$LAST)
    grep VmRSS /proc/\$PPID/status >rss.\$HPO_TRIAL_NUMBER
    ls /proc/\$PPID/fd | wc -l >fds.\$HPO_TRIAL_NUMBER ;;
esac
echo 1
SH
run "$HPO" tune --storage "$DB" --study long -n 1 --sampler random \
    -p x=float:0:1 -- sh probe.sh
expect_eq "long: study made" "$RC" 0
run "$HPO" worker --storage "$DB" --study long -n $N -j 2 -q
expect_eq "long: $N trials run" "$RC" 0
if [[ -e rss.$FIRST && -e rss.$LAST ]]; then
    grow=$(($(kb rss.$LAST) - $(kb rss.$FIRST)))
    fds=$(($(<fds.$LAST) - $(<fds.$FIRST)))
    echo "long: RSS $(kb rss.$FIRST) kB at trial $FIRST, $(kb rss.$LAST) kB at trial $LAST ($grow kB); descriptors $(<fds.$FIRST), $(<fds.$LAST)"
    if ((RSS_BOUNDED)); then
        expect_true "long: RSS grew by < 4 MB from trial $FIRST to $LAST ($grow kB)" \
            test "$grow" -lt 4096
    fi
    expect_true "long: descriptors grew by <= 7 ($fds)" test "$fds" -le 7
else
    fail "long: the child did not record hpo's RSS"
fi
finish
