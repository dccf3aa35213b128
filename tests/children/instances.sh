# instances.sh X N: a racing-like target.  Evaluates instances 0..N-1 in
# order, reporting each score as `@hpo report INSTANCE SCORE` (the step is
# the instance id, what the wilcoxon pruner pairs trials on), then prints
# the mean.  Score: (X - 0.3)^2 plus the instance's hardness plus a little
# instance noise, so configurations differ consistently across instances.
awk -v x="$1" -v n="$2" 'BEGIN {
    for (i = 0; i < n; i++) {
        s = (x - 0.3) ^ 2 + (i % 4) * 0.5 + 0.02 * sin(7 * i + 10 * x)
        printf "@hpo report %d %.10g\n", i, s
        sum += s
    }
    printf "@hpo value %.10g\n", sum / n
}'
