# pbt_kill_pg.sh HPO: pbt_kill.sh's scenario on PostgreSQL, the storage
# several machines share (a throw-away server: pg_scratch.sh).  Skipped
# when the build has no PostgreSQL storage.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"
source "$CHILDREN/pbt_kill_scenario.sh"
source "$CHILDREN/pg_scratch.sh"
pbt_kill_scenario "$PG_URL" pgk
finish
