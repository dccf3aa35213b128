/*
 * wilcoxon.c — the paired Wilcoxon signed-rank test, as R's
 * wilcox.test(x, y, paired = TRUE) computes it (race_stats.h); irace
 * decides between the last two configurations of a race with it.
 *
 * The test itself is src/math/signed_rank.c's, by R's rule: exact below
 * 50 pairs when no difference is zero or tied, else the normal
 * approximation with the tie correction and a continuity correction of
 * 0.5, zeros dropped.  Here: the two-sided p-value and R's estimate.
 */
#include "race_stats.h"

#include <math.h>
#include <stdlib.h>

#include "hpo.h"
#include "math/signed_rank.h"

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The Hodges-Lehmann estimate: the median of the Walsh averages. */
static double walsh_median(const double *d, int n)
{
    size_t m = (size_t)n * (n + 1) / 2, k = 0;
    double *w = malloc(m * sizeof *w);
    if (!w)
        return 0;
    for (int i = 0; i < n; i++)
        for (int j = i; j < n; j++)
            w[k++] = (d[i] + d[j]) / 2;
    qsort(w, m, sizeof *w, cmp_double);
    double med = m % 2 ? w[m / 2] : (w[m / 2 - 1] + w[m / 2]) / 2;
    free(w);
    return med;
}

double hpo__wilcoxon_paired(const double *x, const double *y, int n,
                            double *estimate)
{
    double *d = malloc((size_t)(n > 0 ? n : 1) * sizeof *d);
    *estimate = 0;
    if (!d || n < 1) {
        free(d);
        return 1;
    }
    for (int i = 0; i < n; i++)
        d[i] = x[i] - y[i];
    *estimate = walsh_median(d, n);
    hpo__signed_rank r;
    int rc = hpo__signed_rank_test(d, n, &hpo__signed_rank_r, &r);
    free(d);
    /* Two-sided: twice the smaller tail, as R's wilcox.test. */
    return rc == HPO_OK ? fmin(1, 2 * fmin(r.p_greater, r.p_less)) : 1;
}
