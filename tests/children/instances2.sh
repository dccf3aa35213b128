# instances2.sh X Y N: a racing-like target with two parameters, for
# bench/wilcoxon_race.sh (whose Optuna side computes the same scores).
# Instances 0..N-1 in order, each reported as `@hpo report INSTANCE
# SCORE`, then the mean.  Score: a quadratic bowl at (0.3, 0.6), the
# instance's hardness (0 to 3.5, uneven), and instance noise of about 0.05
# that depends on the configuration.
awk -v x="$1" -v y="$2" -v n="$3" 'BEGIN {
    for (i = 0; i < n; i++) {
        s = (x - 0.3) ^ 2 + 0.5 * (y - 0.6) ^ 2 + ((i * 7) % 8) * 0.5 \
            + 0.05 * sin(13 * i + 17 * x + 11 * y)
        printf "@hpo report %d %.10g\n", i, s
        sum += s
    }
    printf "@hpo value %.10g\n", sum / n
}'
