/*
 * tpe.h — what the files of the TPE sampler share: its options, the
 * good/bad split of the history (tpe_split.c) and the Parzen estimators
 * (tpe_parzen.c).  Only tpe.c is seen by the core.
 */
#ifndef HPO_TPE_H
#define HPO_TPE_H

#include "sampler.h"

typedef struct tpe_opts {
    int n_startup_trials;   /* random trials before the model (10) */
    int n_ei_candidates;    /* draws from l(x) scored by l/g (24) */
    double gamma;           /* fraction of trials called good (0.1) */
    int gamma_max;          /* ... but at most this many (25) */
    double prior_weight;    /* weight of the uniform prior component (1) */
    int consider_endpoints; /* the domain's ends count as neighbours */
    int magic_clip;         /* minimum bandwidth 1 / min(100, 1 + n) */
    int multivariate;       /* one joint model over the relative space */
    int group;              /* ... decomposed into always-together groups */
    int constant_liar;      /* RUNNING trials count as the worst ones */
    int consider_failed;    /* FAIL trials join the bad group (hpo's) */
    /* 0: Optuna 3.1's Gaussian kernels, whose density lacks the 1/sigma
     * factor (optuna#5109, fixed in 3.5), so wide kernels weigh more in
     * l/g; on our suite that does better.  1: the normalised mixture. */
    int exact_density;
} tpe_opts;

/* Number of good trials among n: min(ceil(gamma n), gamma_max). */
int tpe_n_below(const tpe_opts *o, int n);
/* ---- the weights (tpe_weights.c) -------------------------------------- */

/* Optuna's default weights for n observations in trial order: 1 for the
 * newest 25, a ramp from 1/n up to 1 for the older ones. */
void tpe_default_weights(int n, double *w);
/* MOTPE's weights of the n good observations from their objective values
 * y (n x m, minimized; non-finite rows for members without values): the
 * hypervolume contribution of each, over the largest.  Default weights
 * for more than TPE_MAX_GOOD members or more than 4 objectives. */
#define TPE_MAX_GOOD 32
void tpe_mo_weights(const double *y, int m, int n, double *w);

/* ---- the split (tpe_split.c) ------------------------------------------- */
/* Is a trial one the model learns from (COMPLETE, PRUNED, and RUNNING
 * under constant liar, never the trial being sampled)? */
int tpe_trial_usable(const tpe_opts *o, const hpo_plugin_ctx *ctx,
                     const hpo__trial_rec *t);
/* Mark the n_below best of trials[0..n) in below[] (1 good, 0 bad):
 * feasible trials first — COMPLETE by value (several objectives: by
 * nondomination rank, ties by hypervolume contribution), then PRUNED by
 * last step and value, then RUNNING — then infeasible ones by violation. */
int tpe_split(hpo_plugin_ctx *ctx, const hpo__trial_rec *const *trials,
              int n, int n_below, unsigned char *below);

/* ---- per-parameter caches (tpe_column.c) ------------------------------- */

/*
 * A cache of one parameter's encoded values by history index, so that the
 * next call reads a number instead of searching each old trial's params
 * by name.  Only finished trials are stored (they never change), each
 * with its id, and an entry is used only when the trial at that index
 * still has that id and the distribution is still equal: cheap to
 * validate, so the sampler stays correct whatever other workers do.
 */
typedef struct tpe_column {
    char *name;
    hpo__dist dist;
    int n, cap;
    int64_t *id; /* -1: not stored */
    double *x;   /* NaN: the trial lacks the parameter (or its domain) */
    /* The stored indices with a value, by (value, index): what the
     * bandwidths need, kept sorted as trials finish so no call sorts the
     * history.  n_order < 0: to rebuild (an entry was replaced). */
    int *order;
    int n_order;
} tpe_column;

typedef struct tpe_columns {
    tpe_column *v;
    int n, cap;
    hpo__name_index by_name; /* of v[].name */
} tpe_columns;

void tpe_columns_free(tpe_columns *cs);
/* The index of the column of (name, dist), emptied if the distribution
 * changed; -1 when memory runs out (then read the trials directly).  An
 * index, not a pointer: adding a column moves the others. */
int tpe_column_index(tpe_columns *cs, const char *name, const hpo__dist *d);
/* Are trial t's values at history index i cached in all n columns (each
 * may be NULL)? */
int tpe_columns_hold(tpe_column *const *col, int n, int i,
                     const hpo__trial_rec *t);
/* Remember a finished trial's encoded value (NaN: it lacks the parameter)
 * at history index i. */
void tpe_column_store(tpe_column *c, int i, int64_t id, double x);
/* The rows r of the bad group (history index ahist[r], value xa[r]) in
 * ascending value, ties by row; NULL if memory runs out. */
int *tpe_sorted_rows(hpo_plugin_ctx *ctx, tpe_column *col, const int *ahist,
                     const double *xa, int nab, int n_trials);

/* ---- Parzen estimators (tpe_parzen.c) ---------------------------------- */

/* One axis of an estimator: a parameter seen through its distribution.
 * Numerical values live on the unit encoding (hpo__dist_to_unit), so log
 * axes are linear in log space and ints/steps cover [low - step/2,
 * high + step/2]; categoricals are choice indices. */
typedef struct tpe_axis {
    const hpo__dist *dist;
    int n_choices; /* > 0: categorical */
    int n_bins;    /* numerical with equal bins (ints, steps): their count */
} tpe_axis;

void tpe_axis_init(tpe_axis *a, const hpo__dist *d);
/* The point value of an internal value on an axis (unit or index). */
double tpe_axis_encode(const tpe_axis *a, double internal);
double tpe_axis_decode(const tpe_axis *a, double x);

typedef struct tpe_parzen {
    int n_axes, n_comp; /* components: the observations, then the prior */
    const tpe_axis *axes;
    double *weight;     /* n_comp, summing to 1 */
    double *cum_weight; /* for drawing a component */
    double *log_weight;
    /* n_comp x n_axes, row by component */
    double *mu;         /* unit value, or the choice (-1: prior) */
    double *sigma, *inv_sigma;
    double *log_norm;   /* -log(sigma sqrt(2 pi) Z); -log Z for bins */
    double *log_hit, *log_miss; /* per axis: categorical kernel's log p */
    double *terms;      /* n_comp, work space of log_pdf */
    /* Univariate continuous: the components by mu and their reach (NULL
     * otherwise; see build_window). */
    int n_window;
    int *win_index;
    double *win_mu, *win_inv_sigma, *win_offset; /* offset: log w + log norm */
    double *win_reach_right, *win_reach_left;
} tpe_parzen;

/* Build from n_obs points (n_obs x n_axes, row by observation) with raw
 * weights w (trial order).  sorted, if not NULL, lists the rows of a
 * univariate numerical estimator by value (ties by row), which spares the
 * sort.  Memory from the call's scratch. */
int tpe_parzen_build(tpe_parzen *pe, hpo_plugin_ctx *ctx,
                     const tpe_axis *axes, int n_axes, const double *obs,
                     const double *w, int n_obs, const int *sorted,
                     const tpe_opts *o);
/* Draw one point (snapped onto legal values). */
void tpe_parzen_sample(const tpe_parzen *pe, hpo__rng *rng, double *x);
double tpe_parzen_log_pdf(const tpe_parzen *pe, const double *x);

/* Draw n_ei_candidates from `below`, return in best the one maximising
 * log l(x) - log g(x); of candidates within TPE_TIE_LOG_RATIO of each
 * other, the first drawn. */
#define TPE_TIE_LOG_RATIO 1e-9
int tpe_pick(hpo_plugin_ctx *ctx, const tpe_parzen *below,
             const tpe_parzen *above, int n_candidates, double *best);

#endif
