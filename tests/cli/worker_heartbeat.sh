# worker_heartbeat.sh HPO: `hpo tune` and two `hpo worker`s on one SQLite
# study; one worker is killed with SIGKILL mid-trial.  Its trial is failed
# by heartbeat and retried with the same parameters, and the study ends
# with exactly the requested number of COMPLETE trials
# (tests/children/heartbeat_scenario.sh; skipped without SQLite).
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"
source "$CHILDREN/heartbeat_scenario.sh"

require_sqlite
heartbeat_scenario "sqlite:///$TMP/w.db" w
finish
