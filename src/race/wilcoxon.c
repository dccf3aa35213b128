/*
 * wilcoxon.c — the paired Wilcoxon signed-rank test, as R's
 * wilcox.test(x, y, paired = TRUE) computes it (race_stats.h); irace
 * decides between the last two configurations of a race with it.
 *
 * Exact null distribution (by counting subsets of ranks) below 50 pairs
 * when no difference is zero or tied; else the normal approximation with
 * the tie correction and a continuity correction of 0.5, zeros dropped.
 */
#include "race_stats.h"

#include <math.h>
#include <stdlib.h>

#define EXACT_MAX 50

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

/* P(V <= v) for the signed-rank statistic of n pairs without ties: the
 * number of subsets of {1..n} with sum <= v, over 2^n. */
static double exact_cdf(int n, double v)
{
    int max = n * (n + 1) / 2;
    double *c = calloc((size_t)max + 1, sizeof *c);
    if (!c)
        return NAN;
    c[0] = 1;
    for (int r = 1; r <= n; r++)
        for (int s = max; s >= r; s--)
            c[s] += c[s - r];
    double below = 0;
    for (int s = 0; s <= max && s <= v; s++)
        below += c[s];
    free(c);
    return below / ldexp(1.0, n);
}

double hpo__wilcoxon_paired(const double *x, const double *y, int n,
                            double *estimate)
{
    double *d = malloc(2 * (size_t)n * sizeof *d);
    *estimate = 0;
    if (!d || n < 1) {
        free(d);
        return 1;
    }
    double *r = d + n;
    for (int i = 0; i < n; i++)
        d[i] = x[i] - y[i];
    *estimate = walsh_median(d, n);
    int m = 0, zeros = 0;
    for (int i = 0; i < n; i++) {
        if (d[i] == 0)
            zeros = 1;
        else
            d[m++] = d[i];
    }
    if (m == 0) {
        free(d);
        return 1;
    }
    double *absd = malloc((size_t)m * sizeof *absd);
    if (!absd) {
        free(d);
        return 1;
    }
    for (int i = 0; i < m; i++)
        absd[i] = fabs(d[i]);
    double ties = hpo__midranks(absd, m, r);
    double v = 0;
    for (int i = 0; i < m; i++)
        if (d[i] > 0)
            v += r[i];
    free(absd);
    double p;
    if (m < EXACT_MAX && !zeros && ties == 0) {
        double half = m * (m + 1) / 4.0;
        p = v > half ? 1 - exact_cdf(m, v - 1) : exact_cdf(m, v);
        p = fmin(1, 2 * p);
    } else {
        double mean = m * (m + 1) / 4.0;
        double var = m * (m + 1) * (2 * m + 1) / 24.0 - ties / 48.0;
        double z = v - mean;
        double corr = z > 0 ? 0.5 : z < 0 ? -0.5 : 0;
        p = var > 0 ? 2 * fmin(hpo__norm_sf((z - corr) / sqrt(var)),
                               1 - hpo__norm_sf((z - corr) / sqrt(var)))
                    : 1;
    }
    free(d);
    return p;
}
