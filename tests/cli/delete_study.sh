# delete_study.sh HPO: `hpo delete-study` removes a study and its trials
# and keeps the others; it refuses without --yes when stdin is not a
# terminal, asks on a terminal (y deletes; anything else, or end of input,
# keeps), and a study that is not there is one clear line and exit 2
# (skipped without SQLite).
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

require_sqlite
DB="sqlite:///$TMP/d.db"
PY=/usr/bin/python3

for s in a b c; do
    run "$HPO" tune --storage "$DB" --study $s -q -n 2 -p x=float:0:1 -- echo {x}
    expect_eq "tune $s: exit 0" "$RC" 0
done
names() { "$HPO" studies --storage "$DB" --format csv | tail -n +2 | cut -d, -f1 | tr '\n' ' '; }

# Not a terminal, no --yes: refused, nothing deleted.
run "$HPO" delete-study --storage "$DB" --study a </dev/null
expect_eq "no --yes off a terminal: refused" "$RC/$ERR" \
    "2/hpo delete-study: not deleting 'a' without --yes (standard input is not a terminal to ask on)"
expect_eq "no --yes: nothing deleted" "$(names)" "a b c "

# --yes deletes that study and its trials only.
run "$HPO" delete-study --storage "$DB" --study a --yes </dev/null
expect_eq "--yes: deleted" "$RC/$OUT" "0/deleted study 'a' (2 trials)"
expect_eq "--yes: the others stay" "$(names)" "b c "
run "$HPO" trials --storage "$DB" --study a
expect_eq "deleted: trials has no such study" "$RC/$ERR" \
    "2/hpo trials: --study: no study named 'a' in $DB"
run "$HPO" trials --storage "$DB" --study b --format csv
expect_eq "the others keep their trials" "$(tail -n +2 <<<"$OUT" | cut -d, -f1,2 | tr '\n' ' ')" \
    "0,COMPLETE 1,COMPLETE "
# The name is free again: a new study 'a' starts at trial 0.
run "$HPO" tune --storage "$DB" --study a -q -n 1 -p x=float:0:1 -- echo {x}
expect_match "name reused: trial 0" "$OUT" $'^study a\nbest trial 0: value '
run "$HPO" studies --storage "$DB" --format csv
expect_eq "name reused: a new study of 1 trial, last" "$(tail -n +2 <<<"$OUT" | tr '\n' ' ')" \
    "b,minimize,2 c,minimize,2 a,minimize,1 "

# A study that is not there, with and without --yes.
run "$HPO" delete-study --storage "$DB" --study nope --yes
expect_eq "no such study" "$RC/$ERR" "2/hpo delete-study: --study: no study named 'nope' in $DB"
run "$HPO" delete-study --storage "$DB" --study nope </dev/null
expect_eq "no such study, no --yes" "$RC/$ERR" "2/hpo delete-study: --study: no study named 'nope' in $DB"
run "$HPO" delete-study --storage "sqlite:///$TMP/none.db" --study a --yes
expect_eq "no such file" "$RC/$ERR" \
    "2/hpo delete-study: --storage 'sqlite:///$TMP/none.db': No such file or directory"
expect_true "no such file: not created" test ! -e none.db
run "$HPO" delete-study --storage "$DB" --yes
expect_eq "--study is required" "$RC/$ERR" "2/hpo delete-study: --study is required"

# On a terminal: hpo asks on stderr and reads the answer from stdin.
on_tty() { # ANSWER ARGS...: run hpo with a pty as stdin, type ANSWER
    $PY - "$@" <<'PYEOF'
import os, subprocess, sys
answer, args = sys.argv[1], sys.argv[2:]
master, slave = os.openpty()
p = subprocess.Popen(args, stdin=slave, stdout=subprocess.PIPE,
                     stderr=subprocess.PIPE)
os.close(slave)
os.write(master, b"\x04" if answer == "EOF" else answer.encode() + b"\n")
out, err = p.communicate(timeout=10)
os.close(master)
print("%d|%s|%s" % (p.returncode, out.decode().strip(), err.decode().strip()))
PYEOF
}
expect_eq "tty, answer n: kept" "$(on_tty n "$HPO" delete-study --storage "$DB" --study b)" \
    "1||delete study 'b' and its 2 trials from $DB? [y/N] hpo delete-study: study 'b' not deleted"
expect_eq "tty, end of input: kept" "$(on_tty EOF "$HPO" delete-study --storage "$DB" --study b)" \
    "1||delete study 'b' and its 2 trials from $DB? [y/N] hpo delete-study: study 'b' not deleted"
expect_eq "tty: still there" "$(names)" "b c a "
expect_eq "tty, answer yes: deleted" "$(on_tty yes "$HPO" delete-study --storage "$DB" --study b)" \
    "0|deleted study 'b' (2 trials)|delete study 'b' and its 2 trials from $DB? [y/N]"
expect_eq "tty: deleted" "$(names)" "c a "

finish
