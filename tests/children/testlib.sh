# testlib.sh — sourced by the shell tests in tests/cli/.
#
# Usage in a test:   source "$(dirname "$0")/../children/testlib.sh" "$1"
# It checks the hpo binary, makes a scratch directory (removed at exit),
# cds into it and gives small assertion helpers.  Tests write only there.  A failed check is
# counted and printed; `finish` exits 1 if any failed.

HPO=${1:?usage: bash TEST.sh /path/to/hpo}
if [[ ! -x $HPO ]]; then
    echo "not an executable: $HPO" >&2
    exit 1
fi
HPO=$(cd "$(dirname "$HPO")" && pwd)/$(basename "$HPO")
CHILDREN=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/hpo-cli.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
cd "$TMP"
N_FAILED=0

fail() {
    echo "FAIL: $*" >&2
    N_FAILED=$((N_FAILED + 1))
}

ok() {
    echo "ok: $*"
}

# run CMD ARGS...: sets OUT, ERR (stdout, stderr text) and RC.
run() {
    set +e
    "$@" >"$TMP/.out" 2>"$TMP/.err"
    RC=$?
    set -e
    OUT=$(<"$TMP/.out")
    ERR=$(<"$TMP/.err")
}

# expect_eq WHAT ACTUAL EXPECTED
expect_eq() {
    if [[ "$2" == "$3" ]]; then
        ok "$1"
    else
        fail "$1: expected [$3], got [$2]"
    fi
}

# expect_match WHAT TEXT PATTERN (an extended regular expression)
expect_match() {
    if [[ "$2" =~ $3 ]]; then
        ok "$1"
    else
        fail "$1: [$2] does not match /$3/"
    fi
}

# expect_true WHAT CMD ARGS...
expect_true() {
    local what=$1
    shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}

# Is SQLite storage compiled in?  (The read-only commands want an existing
# file; an empty file is an empty SQLite database.)
have_sqlite() {
    local err
    : >"$TMP/.probe.db"
    err=$("$HPO" studies --storage "sqlite:///$TMP/.probe.db" 2>&1 || true)
    [[ $err != *"not supported"* && $err != *"not compiled"* ]]
}

# require_sqlite: end the test as skipped (exit 0) in a build without SQLite.
require_sqlite() {
    if ! have_sqlite; then
        echo "SKIP: no SQLite in this build"
        exit 0
    fi
}

# Is process PID gone?  A zombie counts as gone: an orphan killed with
# its group waits for init to reap it, which may take a moment.  Retries
# for up to a second, since the kernel finishes a kill asynchronously.
process_gone() {
    local state i
    for ((i = 0; i < 20; i++)); do
        state=$(ps -o stat= -p "$1" 2>/dev/null || true)
        [[ -z $state || $state == Z* ]] && return 0
        sleep 0.05
    done
    echo "process $1 is still there: $(ps -o pid=,stat=,args= -p "$1")" >&2
    return 1
}

# wait_for_files N GLOB TIMEOUT_S: until N files match GLOB.
wait_for_files() {
    local n=$1 glob=$2 deadline=$((SECONDS + $3))
    while ((SECONDS < deadline)); do
        local files=($glob)
        if [[ -e ${files[0]} ]] && ((${#files[@]} >= n)); then
            return 0
        fi
        sleep 0.05
    done
    return 1
}

# expect_usage_error 'EXPECTED LINE' ARGS...: hpo ARGS prints exactly that
# line on stderr, nothing on stdout, and exits 2 (bad usage).
expect_usage_error() {
    local want=$1
    shift
    run "$HPO" "$@"
    if [[ $RC == 2 && $ERR == "$want" && -z $OUT ]]; then
        ok "hpo $*"
    else
        fail "hpo $*: exit $RC, stderr [$ERR], stdout [$OUT]; wanted exit 2 and [$want]"
    fi
}

finish() {
    # Every command of a test names its --storage: the default would write
    # hpo.db into the working directory, which outside a test is the
    # user's.
    if [[ -e $TMP/hpo.db ]]; then
        fail "a command used the default storage (pass --storage)"
    fi
    if ((N_FAILED > 0)); then
        echo "$N_FAILED check(s) failed" >&2
        exit 1
    fi
    echo "all checks passed"
}
