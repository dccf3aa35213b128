/*
 * race_stats.h — the statistics iterated racing decides with (dist.c,
 * friedman.c, wilcoxon.c, ttest.c).
 *
 * Results are a blocks x configurations matrix, row-major: y[b * ld + c]
 * is configuration c's score on instance block b (lower is better: a
 * maximised score is negated by the caller).  A test looks at the columns
 * `cols[0..k-1]` of the first `n` rows and writes, for each of them,
 * keep[j] = 1 (still in the race) or 0 (dropped); it returns the index j
 * (into cols) of the best configuration.
 */
#ifndef HPO_RACE_STATS_H
#define HPO_RACE_STATS_H

#include "../math/ranks.h" /* hpo__midranks, hpo__norm_sf */

/* Upper tail of the chi-square distribution with df degrees of freedom. */
double hpo__chisq_sf(double x, double df);
/* Two-sided p-value of Student's t statistic with df degrees of freedom:
 * P(|T| >= |t|). */
double hpo__t_p2(double t, double df);
/* The quantile q with P(T <= q) = p (p in (0.5, 1)), as R's qt(p, df). */
double hpo__t_quantile(double p, double df);

typedef struct hpo__friedman {
    double statistic; /* Friedman's chi-square, corrected for ties */
    double p_value;
    int df;
} hpo__friedman;

/* Friedman's test on the n x k table (columns cols), as R's
 * friedman.test(); rank_sums[j] (k entries) gets each column's rank sum.
 * Needs n >= 1 and k >= 2. */
void hpo__friedman_test(const double *y, int ld, int n, const int *cols,
                        int k, double *rank_sums, hpo__friedman *out);

/* irace's elimination by Friedman's test: with k >= 3 columns, if the
 * test rejects at 1 - confidence, Conover's post-hoc comparison of rank
 * sums against the best drops every configuration whose rank sum exceeds
 * the best one's by more than t_{1-a/2,(n-1)(k-1)} * sqrt(2 (n A - sum
 * R^2) / ((n-1)(k-1))); with k == 2, the paired Wilcoxon test as irace.
 * Returns the best column's index j; *any_dropped says if keep has a 0. */
int hpo__race_friedman(const double *y, int ld, int n, const int *cols,
                       int k, double confidence, int *keep, int *any_dropped);

/* Paired Wilcoxon signed-rank test of x against y (n pairs), two-sided,
 * as R's wilcox.test(x, y, paired = TRUE): exact below 50 pairs without
 * ties or zeros, else the normal approximation with continuity correction.
 * *estimate gets the Hodges-Lehmann estimate of the median of x - y. */
double hpo__wilcoxon_paired(const double *x, const double *y, int n,
                            double *estimate);

/* irace's t-test elimination: each configuration against the one of best
 * mean by a paired t-test; p-values adjusted by Holm's method when holm is
 * set; those below 1 - confidence are dropped. */
int hpo__race_ttest(const double *y, int ld, int n, const int *cols, int k,
                    double confidence, int holm, int *keep,
                    int *any_dropped);

#endif
