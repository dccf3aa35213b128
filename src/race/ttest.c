/*
 * ttest.c — irace's elimination by paired t-tests ("t-test" and
 * "t-test-holm"; López-Ibáñez et al. 2016, §3.2): every configuration
 * against the one of best mean, dropped when the two-sided p-value (Holm-
 * adjusted if asked) is below 1 - confidence.  As irace: a configuration
 * whose mean equals the best's is kept (p = 1); one the best is no worse
 * than on every instance, or whose column or the best's is constant (t
 * undefined), is dropped without a test (p = 0).
 */
#include "race_stats.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

static double column_var(const double *y, int ld, int n, int c)
{
    double m = 0, s = 0;
    for (int i = 0; i < n; i++)
        m += y[(size_t)i * ld + c];
    m /= n;
    for (int i = 0; i < n; i++) {
        double d = y[(size_t)i * ld + c] - m;
        s += d * d;
    }
    return n > 1 ? s / (n - 1) : 0;
}

/* The paired t-test's two-sided p-value of columns a and b. */
static double paired_p(const double *y, int ld, int n, int a, int b)
{
    double m = 0, s = 0;
    for (int i = 0; i < n; i++)
        m += y[(size_t)i * ld + a] - y[(size_t)i * ld + b];
    m /= n;
    for (int i = 0; i < n; i++) {
        double d = y[(size_t)i * ld + a] - y[(size_t)i * ld + b] - m;
        s += d * d;
    }
    double se = sqrt(s / (n - 1) / n);
    if (!(se > 0))
        return m == 0 ? 1 : 0;
    return hpo__t_p2(m / se, n - 1);
}

/* Holm's step-down adjustment, as R's p.adjust(method = "holm"). */
static void holm_adjust(double *p, int k)
{
    int *o = malloc((size_t)k * sizeof *o);
    if (!o)
        return;
    for (int i = 0; i < k; i++)
        o[i] = i;
    for (int i = 1; i < k; i++) /* insertion sort: k is small */
        for (int j = i; j > 0 && p[o[j]] < p[o[j - 1]]; j--) {
            int t = o[j];
            o[j] = o[j - 1];
            o[j - 1] = t;
        }
    double run = 0;
    for (int i = 0; i < k; i++) {
        double v = fmin(1, (k - i) * p[o[i]]);
        run = fmax(run, v);
        p[o[i]] = run;
    }
    free(o);
}

int hpo__race_ttest(const double *y, int ld, int n, const int *cols, int k,
                    double confidence, int holm, int *keep, int *any_dropped)
{
    double *mean = malloc(2 * (size_t)k * sizeof *mean);
    *any_dropped = 0;
    for (int j = 0; j < k; j++)
        keep[j] = 1;
    if (!mean)
        return 0;
    double *p = mean + k;
    int best = 0;
    for (int j = 0; j < k; j++) {
        mean[j] = 0;
        for (int i = 0; i < n; i++)
            mean[j] += y[(size_t)i * ld + cols[j]];
        mean[j] /= n;
        if (mean[j] < mean[best])
            best = j;
    }
    double vb = column_var(y, ld, n, cols[best]);
    for (int j = 0; j < k; j++) {
        p[j] = 1;
        if (fabs(mean[j] - mean[best]) <= 1.5e-8 * fmax(1, fabs(mean[best])))
            continue; /* irace: all.equal() to the best */
        p[j] = 0;
        if (fmin(vb, column_var(y, ld, n, cols[j])) < 10 * DBL_EPSILON)
            continue;
        int best_le = 1;
        for (int i = 0; i < n; i++)
            best_le &= y[(size_t)i * ld + cols[best]] <= y[(size_t)i * ld + cols[j]];
        if (best_le)
            continue;
        p[j] = paired_p(y, ld, n, cols[best], cols[j]);
    }
    if (holm)
        holm_adjust(p, k);
    for (int j = 0; j < k; j++)
        if (p[j] < 1 - confidence) {
            keep[j] = 0;
            *any_dropped = 1;
        }
    free(mean);
    return best;
}
