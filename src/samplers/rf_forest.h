/*
 * rf_forest.h — the regression forest of the `rf` sampler (rf_forest.c).
 *
 * Points are rows of `dim` features.  A feature is numeric (n_cat[j] == 0)
 * or categorical with n_cat[j] categories (values 0 .. n_cat[j]-1, stored
 * as doubles).  Numeric features live in [0, 1]; a negative value means
 * "inactive" (a conditional parameter whose parent did not choose it): a
 * split between inactive and active values is placed at -0.5, so inactive
 * points are always routed left of every numeric split, whatever the
 * active values are.  A categorical feature carries inactivity as one more
 * category (the caller's encoding).
 *
 * A prediction is the mean of the trees' leaf values and their variance
 * across trees (not the law of total variance, which would add the spread
 * inside each leaf: with leaves of one or two points it adds little).
 */
#ifndef HPO_RF_FOREST_H
#define HPO_RF_FOREST_H

#include "../core/internal.h"

typedef struct rf_options {
    int n_trees;             /* 10 */
    int min_samples_split;   /* a node with fewer points is a leaf: 3 */
    int min_samples_leaf;    /* points each child keeps at least: 1 */
    double feature_fraction; /* features tried per split: 5/6 */
    int bootstrap;           /* draw each tree's points with replacement */
} rf_options;

/* Defaults above. */
void rf_options_default(rf_options *o);

typedef struct rf_node {
    int feature;      /* -1 for a leaf */
    int left;         /* index of the left child; the right one follows */
    int cat;          /* categorical split: offset of its mask in cats */
    double threshold; /* numeric split: x <= threshold goes left */
    double value;     /* leaf: the mean of its points */
} rf_node;

typedef struct rf_tree {
    int n_nodes;
    rf_node *nodes;
    int n_cats, cap_cats;
    unsigned char *cats; /* per categorical split, n_cat bytes: 1 = left */
} rf_tree;

typedef struct rf_forest {
    int dim;
    int *n_cat; /* dim, copied */
    int n_trees;
    rf_tree *trees;
} rf_forest;

/*
 * Fit a forest to n >= 1 points x (n x dim, row-major) with outputs y.
 * Randomness (bootstrap, feature subsets, thresholds) only from rng.
 * Any previous contents of f are released.  0, or -1 when out of memory
 * (f is then empty).
 */
int rf_forest_fit(rf_forest *f, const double *x, const double *y, int n,
                  int dim, const int *n_cat, const rf_options *o,
                  hpo__rng *rng);

/* Mean and across-tree variance of the prediction at x (dim features). */
void rf_forest_predict(const rf_forest *f, const double *x, double *mean,
                       double *var);

void rf_forest_free(rf_forest *f);

#endif
