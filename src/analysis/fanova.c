/*
 * fanova.c — functional ANOVA of a random forest: Hutter, Hoos &
 * Leyton-Brown 2014, "An Efficient Approach for Assessing Hyperparameter
 * Importance" (ICML).
 *
 * A tree is a function constant on each leaf's box (tree_boxes.c).  Under
 * the uniform measure on the domain, its variance is
 *     V = sum_L vol_L (v_L - mean)^2,
 * and the main effect of feature j is its marginal
 *     f_j(x_j) = sum over leaves L whose box holds x_j of v_L * prod_{k != j} |L_k|,
 * a step function of x_j whose variance V_j is the share of V that j alone
 * explains (the paper's equations 2-4 for one feature).  Each tree gives
 * V_j / V; the importance is the mean over the trees that vary.
 *
 * The forest is the rf sampler's (rf_forest.c) with Optuna 3.1's settings:
 * 64 trees, bootstrap samples, every feature tried at each split, grown
 * until leaves are pure (min_samples_split 2, min_samples_leaf 1).
 * Deviations from Optuna 3.1's FanovaImportanceEvaluator:
 *   1. a categorical is one feature split on sets of choices and measured
 *      uniformly over its choices (the paper's and pyrfr's treatment), not
 *      a block of one-hot columns each measured on [0, 1];
 *   2. log-scaled and stepped parameters are measured in the samplers'
 *      unit encoding (uniform in log space, one cell per integer), where
 *      Optuna 3.1 measures them on their raw scale;
 *   3. thresholds are drawn between neighbouring values (rf_forest.c)
 *      instead of at their midpoint, and the depth is not capped;
 *   4. a study of more than HPO_IMPORTANCE_MAX_TRIALS trials is fitted on a
 *      seeded random subset of that many (importance_data.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"

/* Working memory of one tree, sized by its leaves. */
typedef struct tree_work {
    double *size;   /* leaves x dim: |L_j| as a fraction of the domain */
    double *pre;    /* leaves x (dim + 1): prod_{k < j} |L_k| */
    double *suf;    /* leaves x (dim + 1): prod_{k >= j} |L_k| */
    double *others; /* leaves: prod_{k != j} |L_k| for the current j */
    double *diff;   /* per cut on j: the marginal's steps as differences */
} tree_work;

static void work_free(tree_work *w)
{
    free(w->size);
    free(w->pre);
    free(w->suf);
    free(w->others);
    free(w->diff);
}

static int work_alloc(tree_work *w, int n_leaves, int dim)
{
    size_t n = (size_t)n_leaves;
    w->size = malloc(sizeof(double) * n * (size_t)(dim ? dim : 1));
    w->pre = malloc(sizeof(double) * n * (size_t)(dim + 1));
    w->suf = malloc(sizeof(double) * n * (size_t)(dim + 1));
    w->others = malloc(sizeof(double) * n);
    w->diff = malloc(sizeof(double) * (2 * n + 2 * (size_t)dim));
    return w->size && w->pre && w->suf && w->others && w->diff ? HPO_OK : HPO_ENOMEM;
}

static void box_sizes(const hpo__tree_boxes *b, const int *n_cat,
                      double *size)
{
    for (int k = 0; k < b->n_leaves; k++)
        for (int j = 0; j < b->dim; j++) {
            double *s = &size[(size_t)k * b->dim + j];
            if (n_cat[j] == 0) {
                *s = b->hi[(size_t)k * b->dim + j] - b->lo[(size_t)k * b->dim + j];
                continue;
            }
            const unsigned char *m =
                b->mask + (size_t)k * b->mask_len + b->mask_at[j];
            int in = 0;
            for (int q = 0; q < n_cat[j]; q++)
                in += m[q];
            *s = (double)in / n_cat[j];
        }
}

/* Prefix and suffix products of each leaf's sizes, so that the product
 * over every feature but j costs one multiplication (no division: a box
 * may be thinner than any ratio of doubles keeps). */
static void size_products(const hpo__tree_boxes *b, tree_work *w)
{
    size_t d1 = (size_t)b->dim + 1;
    for (int k = 0; k < b->n_leaves; k++) {
        const double *s = w->size + (size_t)k * b->dim;
        double *pre = w->pre + k * d1, *suf = w->suf + k * d1;
        pre[0] = 1;
        suf[b->dim] = 1;
        for (int j = 0; j < b->dim; j++)
            pre[j + 1] = pre[j] * s[j];
        for (int j = b->dim - 1; j >= 0; j--)
            suf[j] = suf[j + 1] * s[j];
    }
}

static void others_product(const hpo__tree_boxes *b, tree_work *w, int j)
{
    size_t d1 = (size_t)b->dim + 1;
    for (int k = 0; k < b->n_leaves; k++)
        w->others[k] = w->pre[k * d1 + j] * w->suf[k * d1 + j + 1];
}

static int find_cut(const double *cuts, int n, double x)
{
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (cuts[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Variance of the marginal of numeric feature j: a step function over the
 * intervals between the tree's cuts on j. */
static double numeric_marginal_var(const hpo__tree_boxes *b, int j,
                                   double mean, tree_work *w)
{
    const double *cuts = b->cuts + b->cut_at[j];
    int u = b->cut_at[j + 1] - b->cut_at[j];
    memset(w->diff, 0, sizeof(double) * (size_t)u);
    for (int k = 0; k < b->n_leaves; k++) {
        double c = b->value[k] * w->others[k];
        w->diff[find_cut(cuts, u, b->lo[(size_t)k * b->dim + j])] += c;
        w->diff[find_cut(cuts, u, b->hi[(size_t)k * b->dim + j])] -= c;
    }
    double m = 0, var = 0;
    for (int i = 0; i + 1 < u; i++) {
        m += w->diff[i];
        double width = cuts[i + 1] - cuts[i];
        var += width * (m - mean) * (m - mean);
    }
    return var;
}

static double categorical_marginal_var(const hpo__tree_boxes *b, int j,
                                       int n_cat, double mean,
                                       const tree_work *w)
{
    double var = 0;
    for (int q = 0; q < n_cat; q++) {
        double m = 0;
        for (int k = 0; k < b->n_leaves; k++)
            if (b->mask[(size_t)k * b->mask_len + b->mask_at[j] + q])
                m += b->value[k] * w->others[k];
        var += (m - mean) * (m - mean) / n_cat;
    }
    return var;
}

/* Add V_j / V of one tree to sum[j]; 1 if the tree varies, else 0. */
static int tree_fractions(const hpo__tree_boxes *b, const int *n_cat,
                          tree_work *w, double *sum)
{
    box_sizes(b, n_cat, w->size);
    size_products(b, w);
    double mean = 0, var = 0;
    for (int k = 0; k < b->n_leaves; k++) {
        w->others[k] = w->suf[(size_t)k * (b->dim + 1)]; /* the volume */
        mean += w->others[k] * b->value[k];
    }
    for (int k = 0; k < b->n_leaves; k++)
        var += w->others[k] * (b->value[k] - mean) * (b->value[k] - mean);
    if (!(var > 0))
        return 0;
    for (int j = 0; j < b->dim; j++) {
        others_product(b, w, j);
        double vj = n_cat[j] > 0
                        ? categorical_marginal_var(b, j, n_cat[j], mean, w)
                        : numeric_marginal_var(b, j, mean, w);
        sum[j] += vj / var;
    }
    return 1;
}

static int fit_forest(rf_forest *f, const hpo__imp_data *d,
                      const hpo__fanova_options *o)
{
    rf_options ro;
    rf_options_default(&ro);
    ro.n_trees = o->n_trees;
    ro.min_samples_split = 2;
    ro.min_samples_leaf = 1;
    ro.feature_fraction = 1.0;
    ro.bootstrap = 1;
    hpo__rng rng;
    hpo__rng_seed(&rng, o->seed);
    return rf_forest_fit(f, d->x, d->y, d->n, d->dim, d->n_cat, &ro, &rng)
               ? HPO_ENOMEM
               : HPO_OK;
}

int hpo__fanova(const hpo__imp_data *d, const hpo__fanova_options *o,
                double *imp)
{
    for (int j = 0; j < d->dim; j++)
        imp[j] = 0;
    rf_forest f = {0};
    int rc = fit_forest(&f, d, o), varying = 0;
    for (int t = 0; rc == HPO_OK && t < f.n_trees; t++) {
        hpo__tree_boxes b;
        tree_work w = {0};
        rc = hpo__tree_boxes_make(&b, &f, &f.trees[t]);
        if (rc == HPO_OK)
            rc = work_alloc(&w, b.n_leaves, b.dim);
        if (rc == HPO_OK)
            varying += tree_fractions(&b, d->n_cat, &w, imp);
        work_free(&w);
        hpo__tree_boxes_free(&b);
    }
    rf_forest_free(&f);
    for (int j = 0; j < d->dim && varying > 0; j++)
        imp[j] /= varying;
    return rc;
}
