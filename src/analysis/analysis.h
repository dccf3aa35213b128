/*
 * analysis.h — what the files of src/analysis share: parameter importance
 * over a matrix of encoded trials.
 *
 * The data every method reads (importance_data.c builds it from a study):
 * n rows of dim features, row-major, and one output per row.  A feature is
 * numeric (n_cat[j] == 0) in the rf sampler's unit encoding, [0, 1], log
 * scales linear in log space; or categorical with n_cat[j] >= 1 choices,
 * valued 0 .. n_cat[j]-1.  Outputs are finite and smaller is better.
 */
#ifndef HPO_ANALYSIS_H
#define HPO_ANALYSIS_H

#include "../core/internal.h"
#include "../samplers/rf_forest.h"

typedef struct hpo__imp_data {
    int n, dim;
    double *x;     /* n x dim */
    double *y;     /* n; minimised */
    int *n_cat;    /* dim */
    int *n_grid;   /* dim: PED-ANOVA's grid points (values of a discrete axis) */
    char **names;  /* dim, owned */
} hpo__imp_data;

void hpo__imp_data_free(hpo__imp_data *d);

/* Which trials and how (importance_data.c): the value `objective` of
 * COMPLETE trials, negated when larger is better; a seeded random subset
 * of at most max_trials rows (0: all). */
typedef struct hpo__imp_select {
    int objective, negate, max_trials;
    uint64_t seed;
} hpo__imp_select;

/* The COMPLETE ones of the trials t[0..n-1] as data; HPO_EINVAL with a
 * message in *m when fewer than 2 have a finite value, HPO_ENOMEM. */
int hpo__imp_data_from_trials(hpo__imp_data *d, const hpo__trial_rec *t,
                              int n, const hpo__imp_select *s, hpo__msg *m);

/* qsort's comparison of doubles, ascending. */
int hpo__cmp_double(const void *a, const void *b);

/* ---- leaf boxes of a tree (tree_boxes.c) ---------------------------------- */

/*
 * The leaves of one tree as the hyper-rectangles of the domain they cover:
 * per leaf and numeric feature an interval [lo, hi] of [0, 1]; per leaf
 * and categorical feature a set of choices (mask bytes, 1 = in the leaf).
 */
typedef struct hpo__tree_boxes {
    int n_leaves, dim, mask_len;
    double *value;        /* n_leaves: the leaf's prediction */
    double *lo, *hi;      /* n_leaves x dim (numeric features) */
    unsigned char *mask;  /* n_leaves x mask_len (categorical features) */
    int *mask_at;         /* dim: offset of feature j's choices in a mask */
    /* Every end of a box on numeric feature j, ascending without repeats
     * (0, 1 and the tree's thresholds on j): cuts[cut_at[j] ..
     * cut_at[j + 1] - 1]. */
    double *cuts;
    int *cut_at;          /* dim + 1 */
} hpo__tree_boxes;

/* HPO_OK or HPO_ENOMEM (b is then empty; free it anyway). */
int hpo__tree_boxes_make(hpo__tree_boxes *b, const rf_forest *f,
                         const rf_tree *t);
void hpo__tree_boxes_free(hpo__tree_boxes *b);

/* ---- the methods (fanova.c, ped_anova.c) ---------------------------------- */

typedef struct hpo__fanova_options {
    int n_trees;    /* 64, as Optuna */
    uint64_t seed;
} hpo__fanova_options;

/*
 * fANOVA: imp[j] = the mean over trees of the fraction of the tree's
 * variance its main effect of feature j explains (not normalised).
 * HPO_OK or HPO_ENOMEM.  Every imp[j] is 0 when no tree varies.
 */
int hpo__fanova(const hpo__imp_data *d, const hpo__fanova_options *o,
                double *imp);

/*
 * PED-ANOVA: imp[j] = (|top| / |region|)^2 times the Pearson divergence of
 * the top trials' density of feature j from the region's (not
 * normalised).  0 < target_quantile < region_quantile <= 1.
 * HPO_OK or HPO_ENOMEM.
 */
int hpo__ped_anova(const hpo__imp_data *d, double target_quantile,
                   double region_quantile, double *imp);

#endif
