# worker_late_result.sh HPO: a live `hpo tune` whose trial was failed by a
# heartbeat check (it was stopped past the grace period) keeps its child's
# late result as a new trial and goes on to the study's target
# (tests/children/late_result_scenario.sh; skipped without SQLite).
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"
source "$CHILDREN/late_result_scenario.sh"

require_sqlite
late_result_scenario "sqlite:///$TMP/late.db" late
finish
