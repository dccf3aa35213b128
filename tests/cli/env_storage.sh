# env_storage.sh HPO: the storage URL from HPO_STORAGE in every command
# that takes --storage; --storage wins; tune's children do not get it
# (it may hold a password).  (Skipped without SQLite.)
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

require_sqlite
export HPO_STORAGE="sqlite:///$TMP/env.db"
OTHER="sqlite:///$TMP/flag.db"

run "$HPO" tune --study e -q -n 2 -p x=float:0:1 -- sh -c 'echo "[$HPO_STORAGE]" >>env.txt; echo {x}'
expect_eq "tune: exit 0" "$RC" 0
expect_true "tune wrote to HPO_STORAGE's database" test -s env.db
expect_eq "the children do not see HPO_STORAGE" "$(sort -u env.txt)" "[]"
run "$HPO" studies
expect_match "studies reads HPO_STORAGE" "$RC/$OUT" "^0/name.*"$'\n'"e +minimize +2"
run "$HPO" trials --study e --format csv
expect_match "trials reads it" "$RC/$OUT" "^0/number,"
run "$HPO" best --study e
expect_match "best reads it" "$RC/$OUT" "^0/best trial "
run "$HPO" enqueue --study e -p x=0.5
expect_eq "enqueue reads it" "$RC/$OUT" "0/enqueued 1 trial in study e (1 waiting)"
run "$HPO" worker --study e -q -n 1
expect_eq "worker reads it" "$RC" 0
run "$HPO" create-study --study c -p y=int:1:2
expect_eq "create-study reads it" "$RC/$OUT" "0/c"
run "$HPO" ask --study c
expect_match "ask reads it" "$RC/$OUT" '^0/\{"number":0,'
run "$HPO" tell --study c --trial 0 --value 1
expect_eq "tell reads it" "$RC/$OUT" "0/trial 0 COMPLETE 1"

# The flag wins.
run "$HPO" tune --storage "$OTHER" --study f -q -n 1 -p x=float:0:1 -- echo 1
expect_true "tune --storage: the flag's database" test -s flag.db
run "$HPO" studies
expect_eq "... and not HPO_STORAGE's" "$(grep -c '^f ' <<<"$OUT" || true)" 0
run "$HPO" studies --storage "$OTHER"
expect_match "studies --storage: the flag's" "$OUT" $'\n'"f +minimize +1"
run "$HPO" delete-study --study c --yes
expect_eq "delete-study reads it" "$RC" 0

# Empty is unset: the default storage.  (Not run here: it would write
# hpo.db; the message names the default instead.)
HPO_STORAGE= run "$HPO" studies
expect_eq "an empty HPO_STORAGE is the default" "$ERR" \
    "hpo studies: --storage 'sqlite:///hpo.db': No such file or directory"
finish
