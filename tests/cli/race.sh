# race.sh HPO: `hpo race` end to end with a shell child over 10 instances:
# the budget is kept, every experiment is a trial with its instance and
# seed, no configuration runs twice on one instance and seed (elitism),
# the test instances are run, `hpo best` shows the final elite; bad input
# gives one clear line.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

for i in 0 1 2 3 4 5 6 7 8 9; do echo "train$i"; done >train.txt
printf '# test instances\ntest1\ntest2\n\ntest3\n' >test.txt
T="$CHILDREN/race_target.sh"

# 1. A race of 120 experiments, 2 at a time.
run "$HPO" race --storage sqlite:///r.db --study r1 --seed 5 -j 2 \
    --instances train.txt --test-instances test.txt --budget 120 \
    -p x=float:-10:10 -p k=cat:good,bad -- sh "$T" '{instance}' '{seed}' '{x}' '{k}'
expect_eq "race: exit code" "$RC" 0
expect_match "race: progress per race" "$ERR" \
    'hpo race: race 1/3 done: [0-9]+ of [0-9]+ configurations alive after [0-9]+ instances, [0-9]+/120 experiments'
expect_match "race: the final elites with test means" "$OUT" \
    $'final elites of study r1 \\(best first\\):\nrank +config +trial +mean\\(train\\) +instances +mean\\(test\\)'
train_runs=$(grep -c '^train' runs.log)
test_runs=$(grep -c '^test' runs.log)
expect_true "race: $train_runs training experiments <= 120" test "$train_runs" -le 120
expect_true "race: $train_runs training experiments > 100 (budget spent)" test "$train_runs" -gt 100
n_elites=$(grep -cE '^[0-9]+ +[0-9]+ +[0-9]+ ' <<<"$OUT")
expect_eq "race: each elite on each of the 3 test instances" "$test_runs" $((3 * n_elites))
dups=$(grep '^train' runs.log | sort | uniq -d | wc -l)
expect_eq "race: no configuration ran twice on an instance and seed" "$dups" 0
expect_match "race: the best elite has k = good" "$OUT" $'\n1 +[0-9]+ +[0-9]+ .* k=good\n' 

# The study: every experiment a trial with its instance, the best elite
# as `hpo best` (not the luckiest single experiment).
elite_trial=$(awk '$1 == 1 && NF >= 6 { print $3 }' <<<"$OUT")
run "$HPO" trials --storage sqlite:///r.db --study r1 --format json
expect_eq "trials: exit code" "$RC" 0
expect_match "trials: instance attribute" "$OUT" '"instance": *"train[0-9]"'
for key in instance_index seed configuration race_iteration; do
    expect_match "trials: $key attribute" "$OUT" "\"$key\": *[0-9]+"
done
run "$HPO" best --storage sqlite:///r.db --study r1
expect_eq "best: exit code" "$RC" 0
expect_match "best: the final elite's summary trial" "$OUT" \
    "^best trial $elite_trial: value"

# 2. A failing experiment counts as the worst score, with a warning.
printf 'train1\nbroken\ntrain2\ntrain3\n' >some.txt
run "$HPO" race --storage memory: --seed 1 --instances some.txt --budget 60 \
    -p x=float:-10:10 -- sh "$T" '{instance}' '{seed}' '{x}' good
expect_eq "failure: exit code" "$RC" 0
expect_match "failure: warned" "$ERR" \
    'hpo race: trial [0-9]+ \(instance broken\) failed: exited with status 3; it counts as the worst score'

# 3. irace's parameters.txt: each switch and value appended to the command.
cat >parameters.txt <<'P'
# name  switch   type  domain
x       "--x "   r     (-10, 10)
k       "--k="   c     (good, bad)
P
cat >switches.sh <<'SH'
inst=$1 seed=$2; shift 2
echo "$*" >>switches.log
[ "$1" = --x ] && case $3 in --k=good|--k=bad) ;; *) exit 9 ;; esac || exit 9
sh "$0.target" "$inst" "$seed" "$2" "${3#--k=}"
SH
cp "$T" switches.sh.target
run "$HPO" race --storage memory: --seed 2 --instances train.txt --budget 100 \
    --parameters parameters.txt -- sh switches.sh '{instance}' '{seed}'
expect_eq "parameters.txt: exit code" "$RC" 0
expect_match "parameters.txt: the switches" "$(head -1 switches.log)" \
    '^--x -?[0-9.e-]+ --k=(good|bad)$'
expect_true "parameters.txt: no failed experiment" \
    bash -c "! grep -q 'failed' <<<\"\$0\"" "$ERR"

# 4. Bad input: one line each, exit 2, nothing stored.
: >empty.txt
expect_usage_error "hpo race: --instances: empty.txt: empty: no instance in it (blank lines and '#' comments are skipped)" \
    race --storage memory: --instances empty.txt --budget 60 -p x=float:0:1 -- true
expect_usage_error "hpo race: --instances: missing.txt: No such file or directory" \
    race --storage memory: --instances missing.txt --budget 60 -p x=float:0:1 -- true
expect_usage_error "hpo race: --budget 10 is too small: 1 parameter(s) need at least 42 experiments (irace's minimum)" \
    race --storage memory: --instances train.txt --budget 10 -p x=float:0:1 -- true
expect_usage_error "hpo race: --instances FILE is needed (the training instances, one a line)" \
    race --storage memory: --budget 60 -p x=float:0:1 -- true
expect_usage_error "hpo race: in '{nope}': unknown placeholder '{nope}' (a parameter name, {trial}, {seed}, {instance}; write {{ and }} for literal braces)" \
    race --storage memory: --instances train.txt --budget 60 -p x=float:0:1 -- echo '{nope}'
expect_usage_error "hpo race: --study 'r1' exists: a race starts a new study (choose another name, or hpo delete-study it)" \
    race --storage sqlite:///r.db --study r1 --instances train.txt --budget 60 -p x=float:0:1 -- true
expect_usage_error "hpo: cannot run './nothing-here': No such file or directory" \
    race --storage memory: --instances train.txt --budget 60 -p x=float:0:1 -- ./nothing-here

finish
