# child_junk.sh HPO: binary junk on a child's stdout never becomes a
# value.  Only text lines count (valid UTF-8, no NUL or control bytes but
# tab, CR, backspace, escape); once a line is not text (or was too long
# to keep whole) the "last number" rule is off and only '@hpo value'
# gives a value; a protocol line with junk in it is malformed.  Numbers
# too large for a double are not numbers.  What a failed child printed is
# stored (stdout_tail), bounded and readable as JSON.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

if ! have_sqlite; then
    echo "note: no SQLite in this build; skipped"
    finish
    exit 0
fi
DB="sqlite:///$TMP/junk.db"

# one STUDY CHILD-ARGS...: one trial of the child, in its own study.
one() {
    local study=$1
    shift
    run "$HPO" tune --storage "$DB" --study "$study" -n 1 -p x=float:0:1 -- "$@"
}
# state_value STUDY: "STATE VALUE" of trial 0.
state_value() {
    "$HPO" trials --storage "$DB" --study "$1" --format csv |
        awk -F, 'NR == 2 { print $2, $3 }'
}
# fails STUDY REASON-PATTERN CHILD-ARGS...
fails() {
    local study=$1 pattern=$2
    shift 2
    one "$study" "$@"
    expect_eq "$study: exit 1" "$RC" 1
    expect_match "$study: FAIL" "$(state_value "$study")" '^FAIL '
    expect_match "$study: reason" "$ERR" "trial 0 failed: $pattern"
}
# completes STUDY VALUE CHILD-ARGS...
completes() {
    local study=$1 value=$2
    shift 2
    one "$study" "$@"
    expect_eq "$study: exit 0" "$RC" 0
    expect_eq "$study: COMPLETE $value" "$(state_value "$study")" "COMPLETE $value"
}

# 1. The probe: megabytes of random bytes (before: COMPLETE with a digit
#    that happened to stand alone on a line).
run "$HPO" tune --storage "$DB" --study urandom -n 3 -p x=float:0:1 \
    -- sh -c 'head -c 2000000 /dev/urandom'
expect_eq "urandom: every trial failed -> exit 1" "$RC" 1
expect_match "urandom: reason counts the lines" "$ERR" \
    "printed no objective value; [0-9]+ of its [0-9]+ stdout lines were not text, so only '@hpo value' counts"
expect_eq "urandom: no COMPLETE trial" \
    "$("$HPO" trials --storage "$DB" --study urandom --format csv | grep -c ,COMPLETE, || true)" 0

# 2. The same, made deterministic: a lone "4" between junk lines.
fails lone_digit "printed no objective value; 2 of its 3 stdout lines were not text" \
    sh -c 'printf "\223\377 x\n4\n\376\376\n"'
# ... and a text line with a NUL in it: "loss 3\0 7" is not "loss 3".
fails nul_in_line "printed no objective value; 1 of its 1 stdout lines was not text" \
    sh -c 'printf "loss 3\000 7\n"'

# 3. A protocol line with junk in it is malformed, quoted printably.
fails nul_protocol "stdout line 1: bad protocol line '@hpo value 0.5\\\\x00junk': the line is not text" \
    sh -c 'printf "@hpo value 0.5\000junk\n"'
fails bad_utf8_protocol "stdout line 1: bad protocol line '@hpo value 1\\\\xFF': the line is not text" \
    sh -c 'printf "@hpo value 1\377\n"'
# ... but junk around an @hpo value line does not hide it.
completes value_then_junk 2 sh -c 'echo "@hpo value 2"; head -c 100000 /dev/urandom'

# 4. Lines longer than hpo keeps (64 KiB): their start does not count.
fails long_line "printed no objective value; 1 of its 1 stdout lines was not text" \
    sh -c 'printf "loss 0.5"; head -c 70000 /dev/zero | tr "\0" " "; echo x'
fails long_protocol "stdout line 1: bad protocol line '@hpo value 1': the line is too long" \
    sh -c 'printf "@hpo value 1"; head -c 70000 /dev/zero | tr "\0" " "; echo 2'
# ... and one endless line costs no more than 64 KiB (no newline at all).
fails endless_line "printed no objective value; 1 of its 1 stdout lines was not text" \
    sh -c 'head -c 20000000 /dev/zero | tr "\0" 7'

# 5. Numbers: hex floats are C numbers; an overflow is not a number; a
#    NaN with a payload is NaN.
completes hexfloat 8 sh -c 'echo "@hpo value 0x1p3"'
fails overflow "stdout line 1: bad protocol line '@hpo value 1e999': '1e999' is not a number" sh -c 'echo "@hpo value 1e999"'
fails overflow_last $'printed no objective value\n' sh -c 'echo "loss 1e999"'
fails nan_payload "objective value is nan" sh -c 'echo "@hpo value nan(123)"'

# 6. Text with terminal colours, carriage returns and tabs is still text.
completes colours 0.25 sh -c 'printf "\033[32mepoch 1\033[0m\r\tloss 0.25\n"'

# 7. What a failed child printed is kept: bounded, readable JSON (Python's
#    json module, as Optuna reads it).
"$HPO" trials --storage "$DB" --study urandom --format json >urandom.json
expect_true "urandom: stdout_tail stored" grep -q '"stdout_tail"' urandom.json
python3 - urandom.json <<'PY' || fail "urandom: stored attributes are not valid bounded JSON"
import json, sys
trials = json.load(open(sys.argv[1]))
trials = trials["trials"] if isinstance(trials, dict) else trials
for t in trials:
    attrs = t.get("user_attrs", t)
    tail = attrs["stdout_tail"]
    assert 0 < len(tail.encode()) <= 3 * 4096, len(tail)
print("ok: stored tails are JSON of bounded size")
PY
finish
