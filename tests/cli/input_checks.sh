# input_checks.sh HPO: loose input refused (issue 9).  Every case is one
# exact line on stderr, exit 2, nothing run and no study left behind; the
# widest ranges sample correctly; 100,000 choices parse; a corrupt
# distribution_json in a database is a clear error, not a crash.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

T=(tune --storage memory: -n 1)
RANGE="(ints lie within -9007199254740991..9007199254740991, the integers a double holds exactly)"

# --param
expect_usage_error "hpo tune: --param: parameter 'x': int bound 100000000000000000000 is out of range $RANGE" \
    "${T[@]}" -p x=int:0:99999999999999999999 -- touch ran
expect_usage_error "hpo tune: --param: parameter 'x': int bound -9223372036854775808 is out of range $RANGE" \
    "${T[@]}" -p x=int:-9223372036854775808:9223372036854775807 -- touch ran
expect_usage_error "hpo tune: --param: parameter 'x': step must be positive (got 0; leave it out for a continuous range)" \
    "${T[@]}" -p x=float:0:1:step=0 -- touch ran
expect_usage_error "hpo tune: --param: parameter 'x': step must be positive (got -0.5)" \
    "${T[@]}" -p x=float:0:1:step=-0.5 -- touch ran
expect_usage_error "hpo tune: --param: parameter 'x': int step must be a whole number >= 1 (got 0)" \
    "${T[@]}" -p x=int:0:10:step=0 -- touch ran
expect_usage_error "hpo tune: --param: parameter 'x': bounds must be finite (got nan..1)" \
    "${T[@]}" -p x=float:nan:1 -- touch ran
expect_usage_error "hpo tune: --param: parameter 'x': bounds must be finite (got 0..inf)" \
    "${T[@]}" -p x=float:0:inf -- touch ran
expect_usage_error "hpo tune: --param: 'x=float:0:1e999': high '1e999' is out of range" \
    "${T[@]}" -p x=float:0:1e999 -- touch ran
expect_usage_error "hpo tune: --param: parameter 'x': low 2 is above high 1" \
    "${T[@]}" -p x=float:2:1 -- touch ran
expect_usage_error "hpo tune: --param: parameter 'x': a log scale needs low > 0 (got 0)" \
    "${T[@]}" -p x=float:0:1:log -- touch ran
expect_usage_error "hpo tune: --param: 'x=float:0:1:log:log': log is given twice" \
    "${T[@]}" -p x=float:0:1:log:log -- touch ran
expect_usage_error "hpo tune: --param: 'x=float:0:1:step=0.5:step=0.25': step is given twice" \
    "${T[@]}" -p x=float:0:1:step=0.5:step=0.25 -- touch ran
expect_usage_error "hpo tune: --param: parameter 'x' is given twice" \
    "${T[@]}" -p x=float:0:1 -p x=int:0:3 -- touch ran
expect_usage_error "hpo tune: --sampler: option 'gamma' of 'tpe' is given twice" \
    "${T[@]}" -p x=float:0:1 --sampler tpe:gamma=0.1,gamma=0.2 -- touch ran
expect_usage_error "hpo tune: --param: parameter name 'x\\xff' is not valid UTF-8 (byte 0xff at offset 1)" \
    "${T[@]}" -p $'x\xff=float:0:1' -- touch ran
expect_usage_error "hpo tune: --param: parameter 'k': choice '\\xc0\\xaf' is not valid UTF-8 (byte 0xc0 at offset 0)" \
    "${T[@]}" -p $'k=cat:a,\xc0\xaf' -- touch ran

# --space: a file holding TEXT (written as is) gives REASON after
# "hpo tune: --space: space.json".
expect_space() {
    printf '%s' "$1" >space.json
    expect_usage_error "hpo tune: --space: space.json$2" "${T[@]}" --space space.json -- touch ran
}
expect_space '{"lr": {"type": "float", "low": 0.001, "high": 1, "Log": true}}' \
    ":1: parameter 'lr': unknown key \"Log\" (a float parameter takes type, low, high, step, log, if)"
expect_space $'{"lr": {"type": "float",\n "low": 0.001, "high": 1, "low": 0.5}}' \
    ":1: parameter 'lr': the key \"low\" is given twice"
expect_space '{"x": "float:0:1", "y": "int:0:3", "x": "int:1:2"}' \
    ":1: parameter 'x' is given twice"
expect_space '{"a\u0000b": "float:0:1"}' \
    ":1:4: not valid JSON: the escape \\u0000 (a NUL character would cut the text there), near '\\u0000b\": \"float:0:1\"}'"
expect_space $'{"x\xff": "float:0:1"}' \
    ":1:4: not valid JSON: invalid UTF-8, near '\\xff\": \"float:0:1\"}'"
expect_space '{"x": {"type": "float", "low": 0, "high": 1, "step": 0}}' \
    ":1: parameter 'x': step must be positive (got 0; leave it out for a continuous range)"
expect_space '{"x": {"type": "int", "low": 0, "high": 99999999999999999999}}' \
    ":1: parameter 'x': int bound 100000000000000000000 is out of range $RANGE"
expect_space '{"x": {"type": "float", "low": +1, "high": 2}}' \
    ":1:32: not valid JSON: not a value, near '+1, \"high\": 2}}'"
expect_space $'{"x": "float:0:1"}\x01' \
    ":1:19: not valid JSON: more text after the value, near '\\x01'"
printf '{"x": "float:0:1"}\0{"y": "float:0:1"}' >nulbyte.json
expect_usage_error "hpo tune: --space: nulbyte.json: a NUL byte at offset 18 (not a text file)" \
    "${T[@]}" --space nulbyte.json -- touch ran
echo '{"x": "float:0:1"}' >x.json
expect_usage_error "hpo tune: --param: parameter 'x' is given twice" \
    "${T[@]}" --space x.json -p x=int:0:3 -- touch ran
expect_true "no command ever ran" test ! -e ran

# Names and the command's arguments: refused before the storage is opened,
# so nothing is left behind, not even the database file.
if have_sqlite; then
    DB=sqlite:///$TMP/names.db
    expect_usage_error "hpo tune: --study: study name 'b\\xffd' is not valid UTF-8 (byte 0xff at offset 1)" \
        tune --storage "$DB" --study $'b\xffd' -n 1 -p x=float:0:1 -- touch ran
    expect_usage_error "hpo tune: --param: parameter name 'x\\xff' is not valid UTF-8 (byte 0xff at offset 1)" \
        tune --storage "$DB" --study s -n 1 -p $'x\xff=float:0:1' -- touch ran
    expect_usage_error "hpo tune: argument 2 of the command is not valid UTF-8 (byte 0xff at offset 1): the command is stored with the study as text" \
        tune --storage "$DB" --study s -n 1 -p x=float:0:1 -- touch $'r\xffn'
    expect_usage_error "hpo tune: --study: a study name has 1 to 512 characters (got 600: '$(printf 'L%.0s' {1..56})...')" \
        tune --storage "$DB" --study "$(printf 'L%.0s' {1..600})" -n 1 -p x=float:0:1 -- touch ran
    expect_true "no database file left behind" test ! -e names.db
    "$HPO" tune --storage "$DB" --study s -q -n 1 -p x=float:0:1 -- echo 1 >/dev/null
    run "$HPO" trials --storage "$DB" --study $'b\xffd'
    expect_true "hpo trials: a name no study can have fails" test "$RC" -ne 0
    expect_true "hpo trials: ... with the library's reason" \
        grep -qF "study name 'b\xffd' is not valid UTF-8 (byte 0xff at offset 1)" .err
fi

# The widest ranges: values inside, spread, not one bound every time.
for sampler in random tpe; do
    run "$HPO" tune --storage memory: -n 12 --seed 2 --sampler $sampler \
        -p x=float:-1.7e308:1.7e308 -p n=int:-9007199254740991:9007199254740991 \
        -- sh -c 'echo "$1 $2" >>values.txt; echo 0' sh {x} {n}
    expect_eq "$sampler: 12 trials over the widest ranges" "$RC" 0
    expect_eq "$sampler: 12 distinct x" "$(cut -d' ' -f1 values.txt | sort -u | wc -l)" 12
    expect_eq "$sampler: 12 distinct n" "$(cut -d' ' -f2 values.txt | sort -u | wc -l)" 12
    expect_true "$sampler: x on both sides of 0" grep -q '^-' values.txt
    expect_true "$sampler: every x inside" awk '{ if ($1 + 0 > 1.7e308 || $1 + 0 < -1.7e308) exit 1 }' values.txt
    rm values.txt
done

# A long choice (700 characters) reaches the command whole and can be a
# condition's choice: it was cut to 575 characters, and not found.
long=$(printf 'c%.0s' {1..700})
run "$HPO" tune --storage memory: -n 1 -p "k=cat:$long" -p "x=int:1:1:if=k=$long" \
    -- sh -c 'echo "$(printf %s "$1" | wc -c) $2" >long.txt; echo 1' sh {k} {x}
expect_eq "a 700-character choice: passed whole, its condition met" "$RC/$(cat long.txt 2>/dev/null)" "0/700 1"

# 100,000 choices: the space file parses (n log n, not n^2) and a trial
# runs.
{
    printf '{"c": {"type": "categorical", "choices": ['
    seq -f '"c%.0f",' 1 99999
    printf '"c100000"]}}'
} >many.json
run "$HPO" tune --storage memory: -q -n 2 --sampler random --space many.json -- echo 1
expect_eq "100,000 choices: exit 0" "$RC" 0
expect_match "100,000 choices: trials ran" "$OUT" 'best trial [01]: value 1'

# A distribution_json corrupted by another program is a clear error for
# every command that reads it, never a crash or a sampler on a guessed
# domain.
if have_sqlite && [[ -x /usr/bin/python3 ]]; then
    DB=sqlite:///$TMP/corrupt.db
    "$HPO" tune --storage "$DB" --study s -q -n 2 --sampler random \
        -p x=float:0:1 -p c=cat:a,b -- echo 1 >/dev/null
    corrupt() {
        /usr/bin/python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()' "$TMP/corrupt.db" "$1"
    }
    corrupt "UPDATE trial_params SET distribution_json = '{\"name\": \"FloatDistribution\", \"attributes\": {\"low\": 0, \"high\": 1, \"Log\": true}}' WHERE param_name = 'x'"
    run "$HPO" trials --storage "$DB" --study s
    expect_eq "corrupt distribution_json: hpo trials exits 1" "$RC" 1
    expect_eq "corrupt distribution_json: the message" "$ERR" \
        "hpo trials: sqlite: $TMP/corrupt.db: trial 0, parameter 'x': FloatDistribution has no attribute \"Log\""
    run "$HPO" tune --storage "$DB" --study s -n 1 --sampler tpe -p x=float:0:1 -p c=cat:a,b -- echo 1
    expect_eq "corrupt distribution_json: hpo tune exits 1, no crash" "$RC" 1
    corrupt "UPDATE trial_params SET distribution_json = '{\"name\": \"FloatDistribution\", \"attributes\": {\"low\": 0, \"high\": 1}} x' WHERE param_name = 'x'"
    run "$HPO" trials --storage "$DB" --study s
    expect_eq "trailing text: the message" "$ERR" \
        "hpo trials: sqlite: $TMP/corrupt.db: trial 0, parameter 'x': distribution_json: not valid JSON: more text after the value at offset 67"
    corrupt "UPDATE trial_params SET distribution_json = '{\"name\": \"FloatDistribution\", \"attributes\": {\"low\": 0, \"high\": 1}}' WHERE param_name = 'x'"
    corrupt "UPDATE trial_params SET param_value = 5 WHERE param_name = 'c'"
    run "$HPO" trials --storage "$DB" --study s
    expect_eq "a choice index out of range: the message" "$ERR" \
        "hpo trials: sqlite: $TMP/corrupt.db: trial 0, parameter 'c': value 5 is not a value of its distribution"
    run "$HPO" tune --storage "$DB" --study s -n 1 --sampler tpe -p x=float:0:1 -p c=cat:a,b -- echo 1
    expect_eq "a choice index out of range: hpo tune exits 1, no crash" "$RC" 1

    # The settings hpo tune keeps for hpo worker ("hpo:cli"), damaged.
    "$HPO" tune --storage "$DB" --study w -q -n 1 --sampler random -p x=float:0:1 -- echo 1 >/dev/null
    cli_attr() {
        corrupt "UPDATE study_system_attributes SET value_json = '$1' WHERE key = 'hpo:cli' AND study_id = (SELECT study_id FROM studies WHERE study_name = 'w')"
    }
    cli_attr '{"command": ["echo", "1"], "command": ["rm", "-rf", "x"], "space": {"x": "float:0:1"}}'
    run "$HPO" worker --storage "$DB" --study w -n 1
    expect_eq "hpo:cli with a key twice: hpo worker refuses it" "$RC/$ERR" \
        "1/hpo worker: study w: the stored hpo:cli attribute: the key \"command\" is given twice"
    cli_attr '{"command": ["echo", "1"], "space": {"x": {"type": "float", "low": 0, "high": 1, "Log": true}}}'
    run "$HPO" worker --storage "$DB" --study w -n 1
    expect_eq "hpo:cli with a bad space: hpo worker refuses it" "$RC/$ERR" \
        "1/hpo worker: study w: the stored space:1: parameter 'x': unknown key \"Log\" (a float parameter takes type, low, high, step, log, if)"
fi

finish
