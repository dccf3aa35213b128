# tune_basic.sh HPO: the happy path of `hpo tune` with real children —
# a quadratic minimized by the random sampler, placeholders and
# environment variables, `@hpo value`, last-number parsing, escapes.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

# 1. A quadratic read from the last number; the seeded default sampler
#    (auto, which says what it chose) must get within 0.1 of the minimum in
#    60 trials.
run "$HPO" tune --storage memory: --seed 7 -n 60 -p x=float:-5:5 \
    -- sh "$CHILDREN/quadratic.sh" '{x}'
expect_eq "quadratic: exit code" "$RC" 0
expect_match "quadratic: prints the study" "$OUT" '^study tune-[0-9]{8}-[0-9]{6}'
expect_match "quadratic: prints the best trial" "$OUT" \
    $'best trial [0-9]+: value [0-9.e-]+\n  x = '
best=$(sed -n 's/^best trial [0-9]*: value //p' <<<"$OUT")
expect_true "quadratic: best $best < 0.1" awk -v b="$best" 'BEGIN { exit !(b < 0.1) }'
expect_match "quadratic: summary" "$ERR" \
    "hpo: 60 trials in [0-9]+s: 60 complete, 0 pruned, 0 failed; this run's best"
expect_match "quadratic: auto says what it chose" "$ERR" \
    'hpo: auto sampler: chose gp for this study \(1 parameter, 0 categorical, flat, declared\)'

# 2. Placeholders in every argument, {trial}, {{ }} and the environment.
mkdir -p seen
run "$HPO" tune --storage memory: --study placeholders -q --seed 1 -n 3 \
    -p lr=float:1e-5:1e-1:log -p depth=int:1:12 -p units=int:16:256:step=16 \
    -p kernel=cat:rbf,linear,poly \
    -- sh -c 'printf "%s\n" "$@" > seen/args.$HPO_TRIAL_NUMBER;
              env | grep ^HPO_ | sort > seen/env.$HPO_TRIAL_NUMBER; echo 1' \
    sh --lr={lr} '{depth}' 'u{units}' '{kernel}' 'n{trial}' '{{x}}' '}'
expect_eq "placeholders: exit code" "$RC" 0
expect_eq "placeholders: quiet run prints nothing on stderr" "$ERR" ""
for t in 0 1 2; do
    mapfile -t a <"seen/args.$t"
    expect_match "trial $t: --lr={lr}" "${a[0]}" '^--lr=[0-9.e-]+$'
    expect_match "trial $t: {depth}" "${a[1]}" '^([1-9]|1[0-2])$'
    expect_match "trial $t: u{units} on the step grid" "${a[2]}" '^u[0-9]+$'
    (( ${a[2]#u} % 16 == 0 )) && ok "trial $t: units is a multiple of 16" \
        || fail "trial $t: units ${a[2]#u} is not a multiple of 16"
    expect_match "trial $t: {kernel}" "${a[3]}" '^(rbf|linear|poly)$'
    expect_eq "trial $t: {trial}" "${a[4]}" "n$t"
    expect_eq "trial $t: {{x}}" "${a[5]}" "{x}"
    expect_eq "trial $t: a lone }" "${a[6]}" "}"
    env_text=$(<"seen/env.$t")
    expect_match "trial $t: HPO_PARAM_lr" "$env_text" "HPO_PARAM_lr=${a[0]#--lr=}"$'\n'
    expect_match "trial $t: HPO_PARAM_depth" "$env_text" "HPO_PARAM_depth=${a[1]}"$'\n'
    expect_match "trial $t: HPO_PARAM_kernel" "$env_text" "HPO_PARAM_kernel=${a[3]}"$'\n'
    expect_match "trial $t: HPO_STUDY" "$env_text" $'HPO_STUDY=placeholders\n'
    expect_match "trial $t: HPO_TRIAL_NUMBER" "$env_text" "HPO_TRIAL_NUMBER=$t"
done

# 3. `@hpo value` wins over numbers printed after it; otherwise the last
#    line ending in a number counts, whatever comes before on that line.
run "$HPO" tune --storage memory: -q -n 1 -p x=float:0:1 \
    -- sh -c 'echo 5; echo "@hpo value 0.25"; echo "epoch 99"'
expect_match "@hpo value wins" "$OUT" 'best trial 0: value 0.25'
run "$HPO" tune --storage memory: -q -n 1 -p x=float:0:1 \
    -- sh -c 'echo "val 3.5e-2"; echo "done, no number here"'
expect_match "last number" "$OUT" 'best trial 0: value 0.035'
run "$HPO" tune --storage memory: -q -n 1 -p x=float:0:1 \
    -- sh -c 'printf "loss -inf"'
expect_match "-inf without a newline" "$OUT" 'best trial 0: value -inf'

# 4. Maximize, and a space file, and several jobs at once.
cat >space.json <<'JSON'
{"x": "float:0:1", "k": {"type": "categorical", "choices": ["a", "b"]}}
JSON
run "$HPO" tune --storage memory: -q --seed 2 -n 8 -j 4 --space space.json \
    --direction maximize -- sh -c 'echo {x}'
expect_eq "maximize: exit code" "$RC" 0
best=$(sed -n 's/^best trial [0-9]*: value //p' <<<"$OUT")
expect_true "maximize: best $best > 0.5" awk -v b="$best" 'BEGIN { exit !(b > 0.5) }'

# 5. --jobs N runs N children at once: 4 trials sleeping 1 s with -j 4
#    take about 1 s, not 4.
start=$SECONDS
run "$HPO" tune --storage memory: -q -n 4 -j 4 -p x=float:0:1 \
    -- sh -c 'sleep 1; echo {x}'
expect_eq "jobs: exit code" "$RC" 0
expect_true "jobs: 4 x 1 s with -j 4 took $((SECONDS - start)) s" \
    test $((SECONDS - start)) -le 2

finish
