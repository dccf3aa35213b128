# plugin_options_doc.sh HPO: options are documented only in the plug-ins'
# option tables.  docs/plugin-options.md is what `hpo help-plugins
# --markdown` generates from them (regenerate it with
#   build/hpo help-plugins --markdown > docs/plugin-options.md
# after changing a table), and `hpo tune --help` / `hpo tune-model --help`
# list every sampler and pruner with every option, from the same tables.
set -euo pipefail
source "$(dirname "$0")/../children/testlib.sh" "$1"
DOC=${HPO_SOURCE_DIR:?}/docs/plugin-options.md

"$HPO" help-plugins --markdown >generated.md
if diff -u "$DOC" generated.md >doc.diff; then
    ok "docs/plugin-options.md is what the build generates"
else
    fail "docs/plugin-options.md differs from 'hpo help-plugins --markdown' (regenerate it):
$(head -40 doc.diff)"
fi

# Every line describing a plug-in or an option is in both --help texts.
"$HPO" help-plugins | grep -v ':$' >plugins.txt
expect_true "help-plugins lists options" grep -q '^        n_startup_trials=' plugins.txt
for cmd in tune tune-model; do
    "$HPO" "$cmd" --help >help.txt
    missing=$(grep -v -x -F -f help.txt plugins.txt || true)
    expect_eq "hpo $cmd --help lists every plug-in and option" "$missing" ""
done

# Every option of the page is refused when out of range or mistyped by
# the same table: one example per type, the message names the option.
run "$HPO" tune --storage memory: -n 1 -p x=float:0:1 \
    --sampler tpe:gamma=2 -- echo 1
expect_eq "out of range: exit 2" "$RC" 2
expect_match "out of range: names the option" "$ERR" "gamma=2 is outside \(0, 1\]"
finish
