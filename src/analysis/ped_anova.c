/*
 * ped_anova.c — PED-ANOVA: Watanabe, Bansal & Hutter 2023, "PED-ANOVA:
 * Efficiently Quantifying Hyperparameter Importance in Arbitrary
 * Subspaces" (IJCAI).
 *
 * The trials whose output is within the best target_quantile (gamma') are
 * the "top" set; those within the best region_quantile (gamma >= gamma',
 * 1 = every trial) the region.  The local importance of a parameter is
 *     (gamma' / gamma)^2 * D(p_top || p_region),
 * D the Pearson divergence sum_g p_region(g) (p_top(g) / p_region(g) - 1)^2
 * of the two sets' one-dimensional densities (the paper's Theorem 1: this
 * equals the variance that feature explains of the indicator "in the
 * top set" over the region, so no model is fitted).
 *
 * Densities are Parzen estimators on a grid, as Optuna's
 * PedAnovaImportanceEvaluator builds them: a numeric axis is cut into at
 * most HPO_PED_GRID equal cells of its unit encoding (a discrete axis with
 * fewer values gets one cell per value); each occupied cell is a discrete
 * Gaussian kernel weighted by its count, with Scott's rule for the
 * bandwidth (at least HPO_PED_MIN_BANDWIDTH cells), plus one broad prior
 * kernel of weight 1 over the whole axis.  A categorical's density is its
 * choices' counts plus the prior's weight spread evenly.
 * Deviations: conditional parameters are left out (importance_data.c)
 * rather than split into regimes, and ties at a cut-off are kept in the
 * top set, as Optuna's quantile filter does.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"

/* The largest output among the best ceil(q n) (ties all count as in). */
static double cutoff(const double *sorted, int n, double q)
{
    int k = (int)ceil(q * n) - 1;
    k = k < 0 ? 0 : k >= n ? n - 1 : k;
    return sorted[k];
}

static int cell_of(const hpo__imp_data *d, int i, int j, int g)
{
    double v = d->x[(size_t)i * d->dim + j];
    if (d->n_cat[j] > 0)
        return (int)v;
    int c = (int)floor(v * g);
    return c < 0 ? 0 : c >= g ? g - 1 : c;
}

/* Scott's rule on the counts' cells, in cells. */
static double bandwidth(const double *count, int g)
{
    double n = 0, mean = 0, ss = 0;
    for (int c = 0; c < g; c++) {
        n += count[c];
        mean += c * count[c];
    }
    mean /= n;
    for (int c = 0; c < g; c++)
        ss += count[c] * (c - mean) * (c - mean);
    double sigma = sqrt(ss / (n > 1 ? n - 1 : 1));
    double q1 = -1, q3 = -1, cum = 0;
    for (int c = 0; c < g; c++) {
        cum += count[c];
        if (q1 < 0 && cum >= n / 4)
            q1 = c;
        if (q3 < 0 && cum >= 3 * n / 4)
            q3 = c;
    }
    double spread = q3 > q1 && (q3 - q1) / 1.34 < sigma ? (q3 - q1) / 1.34 : sigma;
    double h = 1.059 * spread * pow(n, -0.2);
    return h > HPO_PED_MIN_BANDWIDTH ? h : HPO_PED_MIN_BANDWIDTH;
}

/* Add weight w times a discrete Gaussian (centre mu, width h) normalised
 * over the g cells. */
static void add_kernel(double *pdf, int g, double mu, double h, double w)
{
    double z = 0;
    for (int c = 0; c < g; c++)
        z += exp(-0.5 * (c - mu) * (c - mu) / (h * h));
    for (int c = 0; c < g; c++)
        pdf[c] += w * exp(-0.5 * (c - mu) * (c - mu) / (h * h)) / z;
}

/* The Parzen density of the counts on g cells (prior weight 1). */
static void density(const double *count, int g, int categorical, double *pdf)
{
    double n = 0;
    for (int c = 0; c < g; c++) {
        n += count[c];
        pdf[c] = 0;
    }
    if (categorical) {
        for (int c = 0; c < g; c++)
            pdf[c] = count[c] + 1.0 / g;
    } else {
        double h = n > 0 ? bandwidth(count, g) : 1;
        for (int c = 0; c < g; c++)
            if (count[c] > 0)
                add_kernel(pdf, g, c, h, count[c]);
        add_kernel(pdf, g, 0.5 * (g - 1), g, 1);
    }
    for (int c = 0; c < g; c++)
        pdf[c] /= n + 1;
}

static double pearson(const double *top, const double *region, int g)
{
    double div = 0;
    for (int c = 0; c < g; c++) {
        double pt = top[c] + 1e-12, pr = region[c] + 1e-12;
        div += pr * (pt / pr - 1) * (pt / pr - 1);
    }
    return div;
}

static double feature_divergence(const hpo__imp_data *d, int j, double top_cut,
                                 double region_cut, double *buf)
{
    int g = d->n_cat[j] > 0 ? d->n_cat[j] : d->n_grid[j];
    double *ct = buf, *cr = buf + g, *pt = buf + 2 * g, *pr = buf + 3 * g;
    memset(buf, 0, sizeof(double) * 2 * (size_t)g);
    for (int i = 0; i < d->n; i++) {
        int c = cell_of(d, i, j, g);
        ct[c] += d->y[i] <= top_cut;
        cr[c] += d->y[i] <= region_cut;
    }
    density(ct, g, d->n_cat[j] > 0, pt);
    density(cr, g, d->n_cat[j] > 0, pr);
    return pearson(pt, pr, g);
}

int hpo__ped_anova(const hpo__imp_data *d, double target_quantile,
                   double region_quantile, double *imp)
{
    int gmax = 1;
    for (int j = 0; j < d->dim; j++) {
        int g = d->n_cat[j] > 0 ? d->n_cat[j] : d->n_grid[j];
        gmax = g > gmax ? g : gmax;
    }
    double *sorted = malloc(sizeof(double) * (size_t)(d->n ? d->n : 1));
    double *buf = malloc(sizeof(double) * 4 * (size_t)gmax);
    if (!sorted || !buf) {
        free(sorted);
        free(buf);
        return HPO_ENOMEM;
    }
    memcpy(sorted, d->y, sizeof(double) * (size_t)d->n);
    qsort(sorted, (size_t)d->n, sizeof(double), hpo__cmp_double);
    double top_cut = cutoff(sorted, d->n, target_quantile);
    double region_cut = cutoff(sorted, d->n, region_quantile);
    int n_top = 0, n_region = 0;
    for (int i = 0; i < d->n; i++) {
        n_top += d->y[i] <= top_cut;
        n_region += d->y[i] <= region_cut;
    }
    double share = (double)n_top / n_region;
    for (int j = 0; j < d->dim; j++)
        imp[j] = share * share *
                 feature_divergence(d, j, top_cut, region_cut, buf);
    free(sorted);
    free(buf);
    return HPO_OK;
}
