# run_config.sh HPO: `hpo tune --config FILE` takes every option from a
# file (NAME = VALUE, --NAME VALUE, flags alone, the command split as a
# shell would); the command line wins; a bad line is one error naming the
# file and the line, exit 2.  (Skipped without SQLite.)
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

require_sqlite
DB="sqlite:///$TMP/c.db"
cat >run.conf <<CONF
# a run of three trials
study = conf
storage = $DB
trials = 3
seed = 4
param = x=float:0:1
--param y=int:1:3
--sampler=random
quiet
force = false
command = sh -c 'echo "{x} {y} \$0" >>seen; echo {y}' "a b"
CONF

run "$HPO" tune --config run.conf
expect_eq "tune --config: exit 0" "$RC" 0
expect_eq "three trials ran" "$(wc -l <seen)" 3
expect_match "the command's words as a shell splits them" "$(head -1 seen)" \
    '^0\.[0-9]+ [123] a b$'
run /usr/bin/python3 -c 'import json, optuna, sys
s = optuna.load_study(study_name="conf", storage=sys.argv[1])
print(s.system_attrs["hpo:cli"]["sampler"])' "$DB"
expect_eq "the file's sampler was stored" "$OUT" random

# The command line wins: its --study, --trials and command.
: >seen
run "$HPO" tune --config run.conf --study other -n 1 -- sh -c 'echo cmdline >>seen; echo 1'
expect_eq "the command line's options and command win" "$RC/$(cat seen)" "0/cmdline"
run "$HPO" studies --storage "$DB"
expect_match "the command line's --study" "$OUT" $'\n'"other +minimize +1"
# ... and its --param replaces every --param line of the file.
: >seen
run "$HPO" tune --config run.conf --study p -n 1 -p z=int:7:7 -- sh -c 'echo {z} >>seen; echo 1'
expect_eq "-p replaces the file's params" "$RC/$(cat seen)" "0/7"

bad() { # WHAT FILE_TEXT EXPECTED
    printf '%s\n' "$2" >bad.conf
    run "$HPO" tune --config bad.conf --storage "$DB" -- true
    expect_eq "$1" "$RC/$ERR" "2/hpo tune: bad.conf:$3"
}
bad "an unknown option" $'# x\n\nfoo = 1' "3: unknown option 'foo'"
bad "a value that is wrong" "trials = x" "1: --trials: 'x' is not a whole number"
bad "a missing value" "trials" "1: 'trials' needs a value (trials = VALUE)"
bad "a flag with a value" "quiet = yes" \
    "1: 'quiet' is a flag: give its name alone, or = true or = false, not 'yes'"
bad "a bad space" $'trials = 2\nparam = x=float:1:0' \
    "2: --param: parameter 'x': low 1 is above high 0"
bad "not a line of options" "%%" "1: not NAME = VALUE: '%%'"
bad "an open quote" "command = sh -c 'echo" "1: a quote is not closed in the command"
bad "--config in the file" "config = other.conf" "1: unknown option 'config'"
bad "the command twice" $'command = a\ncommand = b' \
    "2: the command is given twice (also on line 1)"
run "$HPO" tune --config nope.conf -- true
expect_eq "a missing file" "$RC/$ERR" \
    "2/hpo tune: --config 'nope.conf': No such file or directory"
printf 'trials = 1\n' >nocmd.conf
run "$HPO" tune --config nocmd.conf --storage "$DB"
expect_eq "no command anywhere" "$RC/$ERR" \
    "2/hpo tune: no command to run (-- COMMAND ARGS..., or command = ... in nocmd.conf)"
finish
