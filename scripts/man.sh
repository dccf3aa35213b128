#!/bin/bash
# man.sh HPO OUT: write the man page hpo(1) to OUT from hpo's own help
# text (hpo --help, then hpo COMMAND --help for each command it lists), so
# the page says what the tool says.  Run by the build (target hpo_man);
# needs only bash and sed.
set -euo pipefail
HPO=${1:?usage: man.sh HPO OUT}
OUT=${2:?usage: man.sh HPO OUT}

# Help text as roff: kept as it is (no filling), backslashes escaped, and
# a line that starts with . or ' guarded so roff does not take it for a
# request.
as_roff() {
    sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/"
}

commands=$("$HPO" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
version=$("$HPO" --version | sed -n '1s/^hpo \([^ ]*\).*/\1/p')
{
    printf '.TH HPO 1 "" "hpo %s" "User Commands"\n' "$version"
    printf '.SH NAME\nhpo \\- hyperparameter optimization of any program, with studies in Optuna'"'"'s storage\n'
    printf '.SH SYNOPSIS\n.B hpo\n.I COMMAND\n[\\fIoptions\\fR]\n'
    printf '.SH DESCRIPTION\n.nf\n'
    "$HPO" --help | as_roff
    printf '.fi\n.SH COMMANDS\n'
    for c in $commands; do
        printf '.SS "hpo %s"\n.nf\n' "$c"
        "$HPO" "$c" --help | as_roff
        printf '.fi\n'
    done
    printf '.SH ENVIRONMENT\n.TP\n.B HPO_STORAGE\nthe storage URL of every command that takes \\fB\\-\\-storage\\fR, when that is not given.\n'
    printf '.SH SEE ALSO\nThe documentation in docs/cli.md of the hpo sources; \\fBoptuna\\fR(1).\n'
} >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
