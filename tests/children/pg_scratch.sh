# pg_scratch.sh — sourced by the CLI tests on PostgreSQL after testlib.sh:
# ends the test as skipped when the build has no PostgreSQL storage, else
# starts a throw-away server from tests/pg/pg_server.sh (its binaries
# missing is a failure: CI installs them), stopped at exit, and sets
# PG_URL (postgresql://postgres@HOST:PORT/postgres; the server trusts every
# connection).
PG_SERVER=$CHILDREN/../pg/pg_server.sh

if "$HPO" studies --storage postgresql://u@127.0.0.1:1/db 2>&1 |
    grep -q "not supported\|not compiled"; then
    echo "SKIP: no PostgreSQL storage in this build"
    exit 0
fi
# From /: the server's commands run as user postgres, who may not enter $TMP.
if ! started=$(cd / && PG_SERVER_WATCH=$$ bash "$PG_SERVER" start); then
    fail "pg_server.sh start failed"
    finish
fi
PG_DIR=$(sed -n 2p <<<"$started")
trap '(cd / && bash "$PG_SERVER" stop "$PG_DIR" >/dev/null 2>&1); rm -rf "$TMP"' EXIT
PG_URL=$(sed -n 1p <<<"$started")
