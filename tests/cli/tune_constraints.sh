# tune_constraints.sh HPO: a child reports constraints with
# `@hpo constraints C...`; they are stored where Optuna reads them, the
# sampler prefers the feasible side, and `hpo best` shows only feasible
# trials.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

# 1. Minimize x^2 subject to x >= 1 (constraint 1 - x <= 0).  The
#    unconstrained optimum 0 is infeasible; the best feasible is near 1.
run "$HPO" tune --storage sqlite:///c.db --study c --seed 3 -n 40 -q \
    --sampler tpe -p x=float:-4:4 \
    -- sh -c 'awk "BEGIN {{ printf \"@hpo constraints %.17g\\n@hpo value %.17g\\n\", 1 - ({x}), ({x})^2 }}"'
expect_eq "constraints: exit 0" "$RC" 0
run "$HPO" best --storage sqlite:///c.db --study c
expect_match "best shows its constraint" "$OUT" \
    '^best trial [0-9]+: value [0-9.e+-]+ \(constraints -[0-9.e+-]+\)'
x=$(sed -n 's/^  x = //p' <<<"$OUT")
expect_true "best x=$x is feasible (>= 1)" awk -v x="$x" 'BEGIN { exit !(x >= 1) }'
expect_true "best x=$x is near the constrained optimum" \
    awk -v x="$x" 'BEGIN { exit !(x < 1.6) }'
run "$HPO" trials --storage sqlite:///c.db --study c --format json
expect_match "trials json has constraints" "$OUT" '"constraints":[[:space:]]*\['
# The sampler prefers the feasible side: after the 10 start-up trials, more
# trials have x >= 1 than in the same run without the constraint (where TPE
# crowds around 0).
late_feasible() {
    "$HPO" trials --storage sqlite:///c.db --study "$1" --format csv |
        awk -F, 'NR > 11 && $5 >= 1 { n++ } END { print n + 0 }'
}
run "$HPO" tune --storage sqlite:///c.db --study free --seed 3 -n 40 -q \
    --sampler tpe -p x=float:-4:4 \
    -- sh -c 'awk "BEGIN {{ printf \"@hpo value %.17g\\n\", ({x})^2 }}"'
with=$(late_feasible c)
without=$(late_feasible free)
expect_true "feasible late trials: $with with constraints, $without without" \
    test "$with" -ge $((without + 6))

# 2. Nothing feasible: best says so.
run "$HPO" tune --storage sqlite:///c.db --study none -n 3 -q \
    -p x=float:0:1 -- sh -c 'echo "@hpo constraints 1 2"; echo "@hpo value {x}"'
expect_eq "infeasible: exit 0" "$RC" 0
run "$HPO" best --storage sqlite:///c.db --study none
expect_match "best: no feasible trial" "$ERR" "no feasible trial yet \(3 COMPLETE"

# 3. Malformed constraint lines fail the trial with the reason.
run "$HPO" tune --storage memory: -n 1 -p x=float:0:1 \
    -- sh -c 'echo "@hpo constraints abc"; echo "@hpo value 1"'
expect_eq "bad constraint -> exit 1" "$RC" 1
expect_match "bad constraint reason" "$ERR" \
    "bad protocol line '@hpo constraints abc': 'abc' is not a number"
run "$HPO" tune --storage memory: -n 1 -p x=float:0:1 \
    -- sh -c 'echo "@hpo constraints"; echo "@hpo value 1"'
expect_match "empty constraint reason" "$ERR" \
    "expected 1 to 64 constraint values, got 0"
run "$HPO" tune --storage memory: -n 1 -p x=float:0:1 \
    -- sh -c 'echo "@hpo constraints nan"; echo "@hpo value 1"'
expect_match "nan constraint reason" "$ERR" "a constraint value is nan"

# 4. Python Optuna reads the same constraints.
if /usr/bin/python3 -c 'import optuna' 2>/dev/null; then
    run /usr/bin/python3 -c '
import optuna
s = optuna.load_study(study_name="c", storage="sqlite:///c.db")
t = s.trials[0]
print(len(t.system_attrs["constraints"]), t.system_attrs["constraints"][0] == 1 - t.params["x"])'
    expect_eq "optuna reads constraints" "$OUT" "1 True"
fi
finish
