# worker_heartbeat_pg.sh HPO: the heartbeat scenarios of worker_heartbeat.sh
# and worker_late_result.sh on PostgreSQL, the storage several machines
# share: a throw-away server from tests/pg/pg_server.sh (its binaries
# missing is a failure: CI installs them), reached with a password in the
# URL (the server trusts every connection) so that every line the tool
# prints can be checked for it.  Skipped when the build has no PostgreSQL storage.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"
source "$CHILDREN/heartbeat_scenario.sh"
source "$CHILDREN/late_result_scenario.sh"
source "$CHILDREN/pg_scratch.sh"
url=$PG_URL                                 # postgresql://postgres@HOST:PORT/postgres
url=${url/postgres@/postgres:Sup3rSecret@}  # trust ignores the password

heartbeat_scenario "$url" pgw
late_result_scenario "$url" pglate

# The password is never printed: progress lines, errors, the question of
# delete-study.
"$HPO" tune --storage "$url" --study shown -n 1 -p x=float:0:1 -- echo 1 \
    >out.txt 2>err.txt || true
"$HPO" worker --storage "$url" --study nope >>out.txt 2>>err.txt || true
"$HPO" delete-study --storage "$url" --study nope >>out.txt 2>>err.txt </dev/null || true
expect_match "tune names the storage without its password" "$(<err.txt)" \
    "hpo: study shown in postgresql://postgres:\*\*\*@127\.0\.0\.1:[0-9]+/postgres"
expect_match "worker: no such study, without the password" "$(<err.txt)" \
    "hpo worker: --study: no study named 'nope' in postgresql://postgres:\*\*\*@"
expect_true "the password appears nowhere" \
    bash -c '! grep -q Sup3rSecret out.txt err.txt tune.err b.err a.err'
finish
