# late_child.sh X: reports X at steps 0 and 1, then prints it as its value.
# Trial 0 sleeps LATE_SLEEP seconds (default 2) between the reports, the
# others none; with MARK_DIR set it first creates MARK_DIR/started.NUMBER,
# so a test knows when to stop the worker that runs it.
x=$1
if [ -n "${MARK_DIR:-}" ]; then
    : >"$MARK_DIR/started.$HPO_TRIAL_NUMBER"
fi
echo "@hpo report 0 $x"
if [ "$HPO_TRIAL_NUMBER" = 0 ]; then
    sleep "${LATE_SLEEP:-2}"
fi
echo "@hpo report 1 $x"
echo "@hpo value $x"
