# late_child.sh X: reports X at steps 0 and 1, then prints it as its value.
# Trial 0 sleeps LATE_SLEEP seconds between the reports when that is set;
# other trials, and runs without it, do not wait.
x=$1
echo "@hpo report 0 $x"
if [ "$HPO_TRIAL_NUMBER" = 0 ] && [ -n "${LATE_SLEEP:-}" ]; then
    sleep "$LATE_SLEEP"
fi
echo "@hpo report 1 $x"
echo "@hpo value $x"
