# tune_library_errors.sh HPO: when the library stops a run with an error,
# `hpo tune` prints the library's own reason (not a generic line) and
# exits 1: the grid sampler without a declared space, and a database that
# another process keeps locked in the middle of the run (that part skipped
# without SQLite).
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"
PY=/usr/bin/python3

GRID_MSG="hpo tune: the grid sampler needs a declared search space (--param or --space)"
for jobs in 1 2; do
    run "$HPO" tune --storage memory: --sampler grid -j $jobs -- true
    expect_eq "grid without --param, -j $jobs: exit 1" "$RC" 1
    expect_eq "grid without --param, -j $jobs: the grid's reason, last" \
        "$(tail -1 <<<"$ERR")" "$GRID_MSG"
    expect_eq "grid without --param, -j $jobs: no trial ran" \
        "$(grep -c '^hpo: 0 trials' <<<"$ERR")" 1
done
run "$HPO" tune --storage memory: --sampler grid -q -- true
expect_eq "grid without --param, -q: only the reason" "$RC/$ERR" "1/$GRID_MSG"

if ! have_sqlite; then
    echo "SKIP: the storage part (no SQLite in this build)"
    finish
    exit 0
fi

# Trial 0 completes.  Trial 1's command starts a process that takes the
# database's write lock (and keeps it 10 s, or until killed), waits until
# it has it, and prints its value: hpo cannot record the result within
# ?timeout=0.3 and stops with the database's own text.  (--force: the
# second command is not the first.)
DB="sqlite:///$TMP/l.db"
run "$HPO" tune --storage "$DB" --study l -q -n 1 -p x=float:0:1 -- echo 1
expect_eq "first trial: exit 0" "$RC" 0
cat >locker.py <<'PYEOF'
import os, sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
with open(sys.argv[2] + ".tmp", "w") as f:
    f.write(str(os.getpid()))
os.rename(sys.argv[2] + ".tmp", sys.argv[2])
time.sleep(10)
PYEOF
run "$HPO" tune --storage "$DB?timeout=0.3" --study l -q -n 3 -p x=float:0:1 \
    --force -- sh -c "setsid $PY locker.py l.db locked </dev/null >/dev/null 2>&1 &
              while [ ! -e locked ]; do sleep 0.02; done; echo 2"
[[ -e locked ]] && kill "$(<locked)" 2>/dev/null || true
expect_eq "locked database: exit 1" "$RC" 1
expect_match "locked database: the database's own text" "$ERR" \
    "^hpo tune: .*sqlite: $TMP/l.db: database is locked"
run "$HPO" trials --storage "$DB" --study l --format csv
expect_eq "locked database: the finished trial is kept" "$(sed -n 2p <<<"$OUT" | cut -d, -f1-3)" "0,COMPLETE,1"

finish
