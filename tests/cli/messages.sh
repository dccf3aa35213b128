# messages.sh HPO: what error and progress messages say.
#   - A very long study name is shortened with "..." and the reason after
#     it is printed whole (a fixed buffer used to cut it off).
#   - A trial is named by its number, as `hpo trials` shows it, never by
#     its internal id (here the second study of a file, whose trial 0 has
#     id 4).
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

require_sqlite
url="sqlite:///$TMP/m.db"

long=$(printf 'n%.0s' {1..1200})
run "$HPO" tune --storage "$url" --study "$long" -n 1 -p x=float:0:1 \
    -- /bin/echo 1
expect_eq "a 1,200-character name: usage error" "$RC" 2
expect_match "... the reason is printed whole" "$ERR" \
    "--study: a study name has 1 to 512 characters \(got 1200: 'n*\.\.\.'\)$"
expect_true "... on one line, shorter than the name" \
    test "$(wc -l <<<"$ERR")" -eq 1 -a "${#ERR}" -lt 400

name500=$(printf 'm%.0s' {1..500})
run "$HPO" tune --storage "$url" --study other -n 1 -p x=float:0:1 \
    -- /bin/echo 1 # the database exists; the study does not
run "$HPO" worker --storage "$url" --study "$name500"
expect_match "a 500-character name that is not there: the storage is named" \
    "$ERR" "no study named 'mmmmmmmm[m]*\.\.\.mmmm[m]*' in sqlite:///.*/m\.db$"

# Trial ids 1-3 go to a first study, so the second study's trial 0 has id 4.
"$HPO" tune --storage "$url" --study first -q -n 3 -p x=float:0:1 \
    -- /bin/echo 1 >/dev/null
mkdir -p hang
HANG_DIR=$PWD/hang "$HPO" tune --storage "$url" --study second -n 2 \
    --heartbeat 0.5 -p x=float:0:1 \
    -- sh "$CHILDREN/slow_quadratic.sh" '{x}' >/dev/null 2>tune.err &
tune_pid=$!
if wait_for_files 1 "$PWD/hang/hung.*" 10; then
    kill -9 $tune_pid
    wait $tune_pid 2>/dev/null || true
    kill "$(<hang/hung.0)" 2>/dev/null || true
    sleep 1.2 # > the grace period (1 s) since the last beat
    run "$HPO" worker --storage "$url" --study second -n 1
    expect_match "the worker names the stale trial by its number" "$ERR" \
        "hpo: failed trial 0: its worker stopped sending heartbeats"
    expect_true "... never by its id" \
        bash -c '! grep -q "id 4\|trial 4" <<<"$1"' _ "$ERR"
else
    fail "tune started no trial: $(<tune.err)"
    kill -9 $tune_pid 2>/dev/null || true
fi
finish
