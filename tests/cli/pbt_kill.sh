# pbt_kill.sh HPO: two `hpo pbt` workers share one population on SQLite;
# one is killed with SIGKILL mid-interval and the other resumes its member
# from its last checkpoint (tests/children/pbt_kill_scenario.sh; skipped
# without SQLite).
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"
source "$CHILDREN/pbt_kill_scenario.sh"
require_sqlite
pbt_kill_scenario "sqlite:///$TMP/k.db" k
finish
