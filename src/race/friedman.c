/*
 * friedman.c — Friedman's test and the post-hoc comparison irace drops
 * configurations with (López-Ibáñez et al. 2016, "The irace package:
 * Iterated racing for automatic algorithm configuration", §3.2; Conover,
 * "Practical Nonparametric Statistics", 3rd ed. 1999, pp. 369-371).
 *
 * Each instance is a block: the configurations' scores on it are ranked
 * (ties get mid-ranks), the ranks summed per configuration.  The statistic
 * is corrected for ties as R's friedman.test() computes it.  Deviation: as
 * irace, with two configurations left the paired Wilcoxon test decides
 * (wilcoxon.c), since Friedman's test on two columns is a weak sign test.
 */
#include "race_stats.h"

#include <math.h>
#include <stdlib.h>

void hpo__friedman_test(const double *y, int ld, int n, const int *cols,
                        int k, double *rank_sums, hpo__friedman *out)
{
    double row[64], rk[64];
    double *x = k <= 64 ? row : malloc(2 * (size_t)k * sizeof *x);
    double *rr = k <= 64 ? rk : x ? x + k : NULL;
    for (int j = 0; j < k; j++)
        rank_sums[j] = 0;
    out->df = k - 1;
    if (!x) {
        out->statistic = 0, out->p_value = 1;
        return;
    }
    double ties = 0;
    for (int b = 0; b < n; b++) {
        for (int j = 0; j < k; j++)
            x[j] = y[(size_t)b * ld + cols[j]];
        ties += hpo__midranks(x, k, rr);
        for (int j = 0; j < k; j++)
            rank_sums[j] += rr[j];
    }
    if (x != row)
        free(x);
    double ss = 0, center = n * (k + 1) / 2.0;
    for (int j = 0; j < k; j++)
        ss += (rank_sums[j] - center) * (rank_sums[j] - center);
    double denom = (double)n * k * (k + 1) - ties / (k - 1);
    /* Every block all tied: no information, as R's NaN; never reject. */
    out->statistic = denom > 0 ? 12 * ss / denom : 0;
    out->p_value = denom > 0 ? hpo__chisq_sf(out->statistic, k - 1) : 1;
}

/* Two left: irace's rule.  A configuration no worse on every instance
 * drops the other without a test; else the Wilcoxon test does. */
static int two_left(const double *y, int ld, int n, const int *cols,
                    double confidence, int *keep, int *any_dropped)
{
    double *a = malloc(2 * (size_t)n * sizeof *a);
    keep[0] = keep[1] = 1;
    *any_dropped = 0;
    if (!a)
        return 0;
    double *b = a + n;
    int a_le = 1, b_le = 1;
    for (int i = 0; i < n; i++) {
        a[i] = y[(size_t)i * ld + cols[0]];
        b[i] = y[(size_t)i * ld + cols[1]];
        a_le &= a[i] <= b[i];
        b_le &= b[i] <= a[i];
    }
    int best, drop = 1;
    if (a_le)
        best = 0;
    else if (b_le)
        best = 1;
    else {
        double est, p = hpo__wilcoxon_paired(a, b, n, &est);
        drop = p < 1 - confidence;
        best = est <= 0 ? 0 : 1;
    }
    free(a);
    if (drop) {
        keep[1 - best] = 0;
        *any_dropped = 1;
    }
    return best;
}

int hpo__race_friedman(const double *y, int ld, int n, const int *cols,
                       int k, double confidence, int *keep, int *any_dropped)
{
    if (k == 2)
        return two_left(y, ld, n, cols, confidence, keep, any_dropped);
    double *r = malloc((size_t)k * sizeof *r);
    for (int j = 0; j < k; j++)
        keep[j] = 1;
    *any_dropped = 0;
    if (!r)
        return 0;
    hpo__friedman f;
    hpo__friedman_test(y, ld, n, cols, k, r, &f);
    int best = 0;
    for (int j = 1; j < k; j++)
        if (r[j] < r[best])
            best = j;
    double alpha = 1 - confidence;
    if (k > 1 && n > 1 && f.p_value < alpha) {
        /* A = the sum of all squared ranks, recomputed from the blocks. */
        double A = 0, sum_r2 = 0, row[64], rk[64];
        int small = k <= 64;
        double *x = small ? row : malloc(2 * (size_t)k * sizeof *x);
        if (x) {
            double *rr = small ? rk : x + k;
            for (int b = 0; b < n; b++) {
                for (int j = 0; j < k; j++)
                    x[j] = y[(size_t)b * ld + cols[j]];
                hpo__midranks(x, k, rr);
                for (int j = 0; j < k; j++)
                    A += rr[j] * rr[j];
            }
            if (!small)
                free(x);
            for (int j = 0; j < k; j++)
                sum_r2 += r[j] * r[j];
            double dfe = (double)(n - 1) * (k - 1);
            double t = hpo__t_quantile(1 - alpha / 2, dfe) *
                       sqrt(2 * (n * A - sum_r2) / dfe);
            for (int j = 0; j < k; j++)
                if (fabs(r[j] - r[best]) > t) {
                    keep[j] = 0;
                    *any_dropped = 1;
                }
        }
    }
    free(r);
    return best;
}
