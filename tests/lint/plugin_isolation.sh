# plugin_isolation.sh SOURCE_DIR: samplers and pruners see their study only
# through the plug-in context (include/hpo_plugin.h, src/core/plugin.h).
# No file in src/samplers or src/pruners includes core/study.h (the study's
# internals, its lock) or reads ctx->core (the study handle the context
# keeps for the core): either would let a plug-in take the lock the core
# already holds around each call and deadlock.
set -euo pipefail
SRC=${1:?usage: bash plugin_isolation.sh SOURCE_DIR}
status=0
for dir in "$SRC/src/samplers" "$SRC/src/pruners"; do
    [[ -d $dir ]] || { echo "FAIL: no directory $dir" >&2; exit 1; }
    if grep -n -E '#[[:space:]]*include[[:space:]]*[<"]([^">]*/)?study\.h[">]' \
        "$dir"/*.[ch] >&2; then
        echo "FAIL: a plug-in in $dir includes study.h" >&2
        status=1
    fi
    if grep -n -E '(->|\.)core\b' "$dir"/*.[ch] >&2; then
        echo "FAIL: a plug-in in $dir uses ctx->core" >&2
        status=1
    fi
done
[[ $status -eq 0 ]] && echo "ok: plug-ins use the context only"
exit $status
