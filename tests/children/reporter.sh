# reporter.sh X STEPS: reports X + 1/step at each step, sleeping a little,
# then the final value X.  A trial that the pruner stops never gets to
# write DIR/finished.TRIAL (DIR from the HPO_TEST_DIR variable).
x=$1
steps=$2
i=1
while [ "$i" -le "$steps" ]; do
    awk -v x="$x" -v s="$i" 'BEGIN { printf "@hpo report %d %.10g\n", s, x + 1 / s }'
    sleep 0.05
    i=$((i + 1))
done
echo "@hpo value $x"
touch "$HPO_TEST_DIR/finished.$HPO_TRIAL_NUMBER"
