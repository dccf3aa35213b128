# importance.sh HPO: `hpo importance` on SQLite studies hpo tune wrote:
# the parameter that decides the objective comes first (fANOVA and
# PED-ANOVA), --format json is {"param": importance, ...} in descending
# order summing to 1, the text table has bars, and each refusal (no study,
# fewer than 2 COMPLETE trials, one parameter, several objectives without
# --objective, a bad flag) is one clear line.  (Skipped without SQLite.)
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"

require_sqlite
DB="sqlite:///$TMP/imp.db"

# x decides (10 (x - 0.3)^2 spans 0..4.9); y and kernel barely count.
"$HPO" tune --storage "$DB" --study dom -q --sampler random --seed 3 -n 60 \
    -p x=float:0:1 -p y=float:1e-3:1:log -p kernel=cat:rbf,linear \
    -- awk 'BEGIN {{ print 10 * ({x} - 0.3)^2 + 0.01 * log({y}) }}' >/dev/null

# 1. JSON: the exact shape, x first, descending, summing to 1.
run "$HPO" importance --storage "$DB" --study dom --format json --compact
expect_eq "json: exit 0" "$RC" 0
expect_match "json: one object, x first" "$OUT" \
    '^\{"x":[0-9.e-]+,"(y|kernel)":[0-9.e-]+,"(y|kernel)":[0-9.e-]+\}$'
vals=$(sed -E 's/[{}]//g; s/"[a-z]+"://g; s/,/ /g' <<<"$OUT")
expect_true "json: descending, sum 1, x above 0.9 ($vals)" \
    awk -v v="$vals" 'BEGIN { n = split(v, a, " "); s = 0
        for (i = 1; i <= n; i++) { s += a[i]; if (i > 1 && a[i] > a[i-1]) exit 1 }
        exit !(n == 3 && s > 0.999999 && s < 1.000001 && a[1] > 0.9) }'
run "$HPO" importance --storage "$DB" --study dom --format json
expect_match "json: indented by default" "$OUT" $'^\\{\n  "x": '

# 2. PED-ANOVA agrees on what matters.
run "$HPO" importance --storage "$DB" --study dom --method ped-anova \
    --format json --compact
expect_match "ped-anova: x first" "$RC/$OUT" '^0/\{"x":'

# 3. The table: a header, then x with the longest bar.
run "$HPO" importance --storage "$DB" --study dom
expect_match "text: header and bars" "$RC/$OUT" \
    $'^0/parameter  importance\nx +0\\.9[0-9]+  #{36,40}\n'

# 4. Refusals.
expect_usage_error "hpo importance: --study: no study named 'nope' in $DB" \
    importance --storage "$DB" --study nope
expect_usage_error "hpo importance: --method: 'anova' is not fanova or ped-anova" \
    importance --storage "$DB" --study dom --method anova
expect_usage_error "hpo importance: --target-quantile: '2' is not a number in (0, 1]" \
    importance --storage "$DB" --study dom --target-quantile 2

"$HPO" tune --storage "$DB" --study single -q -n 1 -p x=float:0:1 -p y=float:0:1 \
    -- echo 1 >/dev/null
run "$HPO" importance --storage "$DB" --study single
expect_eq "one trial: exit 1 and why" "$RC/$ERR" \
    "1/hpo importance: importance needs at least 2 COMPLETE trials with a finite value; the study has 1"

"$HPO" tune --storage "$DB" --study one -q -n 4 -p x=float:0:1 \
    -- echo '{x}' >/dev/null
run "$HPO" importance --storage "$DB" --study one
expect_eq "one parameter: exit 1 and why" "$RC/$ERR" \
    "1/hpo importance: study 'one' has one parameter (x) in every COMPLETE trial: importance compares two or more"

"$HPO" tune --storage "$DB" --study two -q --sampler random --seed 1 -n 30 \
    -p x=float:0:1 -p y=float:0:1 -d minimize -d minimize \
    -- awk 'BEGIN {{ printf "@hpo value %.6f %.6f\n", {x}, {y} }}' >/dev/null
expect_usage_error "hpo importance: study 'two' has 2 objectives: choose one with --objective K (0 to 1)" \
    importance --storage "$DB" --study two
run "$HPO" importance --storage "$DB" --study two --objective 1 --format json --compact
expect_match "--objective 1: y decides the second objective" "$RC/$OUT" '^0/\{"y":'
run "$HPO" importance --storage "$DB" --study two --objective 2
expect_eq "--objective out of range: exit 1 and why" "$RC/$ERR" \
    "1/hpo importance: objective 2 is out of range: study 'two' has 2"

finish
