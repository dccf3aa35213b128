# child_extras.sh HPO: a child stores named metrics with `@hpo attr NAME
# VALUE` (user attributes Optuna reads, typed as JSON), gets a per-trial
# seed ({seed} and HPO_SEED, reproducible with --seed) and HPO_WORKER_SLOT
# (0..jobs-1, distinct among the children running at once).
# (Skipped without SQLite.)
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"
PY=/usr/bin/python3

require_sqlite
DB="sqlite:///$TMP/c.db"

# 1. @hpo attr: numbers, JSON, words; the last line for a name wins; a
#    failed trial keeps what it stored before failing.
CHILD='echo "@hpo attr acc 0.93"; echo "@hpo attr acc 0.95"
       echo "@hpo attr epochs 12"; echo "@hpo attr half .5"
       echo "@hpo attr model resnet 18 (wide)"; echo "@hpo attr cfg {{\"a\": [1, true]}}"
       echo "@hpo attr odd nan"
       if [ {trial} = 1 ]; then exit 3; fi; echo {x}'
run "$HPO" tune --storage "$DB" --study a -q -n 2 -p x=float:0:1 -- sh -c "$CHILD"
expect_eq "attr: exit 0" "$RC" 0
expect_eq "attr: Optuna reads them with their JSON types" "$("$PY" -c 'import optuna, sys
s = optuna.load_study(study_name="a", storage=sys.argv[1])
for t in s.trials:
    a = dict(t.user_attrs)
    a.pop("exit_status"); a.pop("fail_reason", None); a.pop("stdout_tail", None)
    print(t.state.name, sorted(a.items()))' "$DB" 2>&1)" \
"COMPLETE [('acc', 0.95), ('cfg', {'a': [1, True]}), ('epochs', 12), ('half', 0.5), ('model', 'resnet 18 (wide)'), ('odd', 'nan')]
FAIL [('acc', 0.95), ('cfg', {'a': [1, True]}), ('epochs', 12), ('half', 0.5), ('model', 'resnet 18 (wide)'), ('odd', 'nan')]"

bad_attr() { # WHAT LINE EXPECTED_REASON
    run "$HPO" tune --storage memory: -n 1 -p x=float:0:1 -- sh -c "echo '$2'; echo {x}"
    expect_match "$1" "$ERR" "trial 0 failed: stdout line 1: bad protocol line '$2': $3"
}
bad_attr "attr without a value" "@hpo attr acc" "expected '@hpo attr NAME VALUE'"
bad_attr "attr without a name" "@hpo attr" "expected '@hpo attr NAME VALUE'"
bad_attr "an attribute hpo writes" "@hpo attr fail_reason mine" "hpo writes that attribute itself"

# 2. {seed} and HPO_SEED: the same per trial, different between trials,
#    the same again for the same --seed, others for another.
SEEDS='echo "{trial} {seed} $HPO_SEED" >>seeds.$HPO_STUDY; echo {x}'
for s in s1 s1b s2; do
    seed=${s%b}; seed=${seed#s}
    "$HPO" tune --storage "$DB" --study "$s" -q -n 4 --seed "$seed" -p x=float:0:1 \
        -- sh -c "$SEEDS" >/dev/null
done
expect_eq "{seed} is HPO_SEED" "$(awk '$2 != $3' seeds.s1 | wc -l)" 0
expect_eq "a seed per trial" "$(cut -d' ' -f2 seeds.s1 | sort -u | wc -l)" 4
expect_true "seeds are whole numbers below 2^31" \
    awk '!($2 ~ /^[0-9]+$/ && $2 < 2147483648) { exit 1 }' seeds.s1
expect_eq "the same --seed, the same seeds" "$(sort seeds.s1)" "$(sort seeds.s1b)"
expect_true "another --seed, other seeds" test "$(sort seeds.s1)" != "$(sort seeds.s2)"
# Without --seed the base is stored with the study: a worker agrees.
"$HPO" tune --storage "$DB" --study w -q -n 2 -p x=float:0:1 -- sh -c "$SEEDS" >/dev/null
"$HPO" tune --storage "$DB" --study w2 -q -n 2 -p x=float:0:1 -- sh -c "$SEEDS" >/dev/null
expect_true "studies without --seed get different seeds" \
    test "$(cut -d' ' -f2 seeds.w)" != "$(cut -d' ' -f2 seeds.w2)"
expect_match "the base is stored with the study" "$("$PY" -W ignore -c 'import optuna, sys
print(optuna.load_study(study_name="w", storage=sys.argv[1]).system_attrs["hpo:trial_seed"])' "$DB")" '^[0-9]+$'

# 3. HPO_WORKER_SLOT: with -j 3 the children running at once hold distinct
#    slots in 0..2.  Each child marks its slot busy while it runs (mkdir is
#    atomic: a second holder would fail).
SLOT='mkdir "busy.$HPO_WORKER_SLOT" || {{ echo "@hpo attr clash 1"; }}
      echo "$HPO_WORKER_SLOT" >>slots; sleep 0.2; rmdir "busy.$HPO_WORKER_SLOT"; echo {x}'
run "$HPO" tune --storage "$DB" --study slots -q -n 9 -j 3 -p x=float:0:1 -- sh -c "$SLOT"
expect_eq "slots: exit 0" "$RC" 0
expect_eq "slots in 0..2" "$(sort -u slots | tr '\n' ' ')" "0 1 2 "
expect_eq "no slot held twice at once" \
    "$("$HPO" trials --storage "$DB" --study slots --format csv | head -1 | grep -c clash || true)" 0
run "$HPO" tune --storage "$DB" --study one -q -n 2 -p x=float:0:1 -- sh -c 'echo "$HPO_WORKER_SLOT" >>one; echo {x}'
expect_eq "-j 1: slot 0" "$(sort -u one)" 0
finish
