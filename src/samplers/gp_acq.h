/*
 * gp_acq.h — acquisition functions of the `gp` sampler and their
 * maximization over the unit cube (gp_acq.c).  The model's outputs are to
 * be minimized.
 */
#ifndef HPO_GP_ACQ_H
#define HPO_GP_ACQ_H

#include "gp_model.h"

typedef enum gp_acq_kind { GP_LOG_EI = 0, GP_UCB = 1 } gp_acq_kind;

/* log(z Phi(z) + phi(z)), the log of expected improvement per unit of
 * standard deviation, finite for every finite z; *dz (may be NULL) is its
 * derivative, Phi(z) / (z Phi(z) + phi(z)). */
double gp_log_h(double z, double *dz);

typedef struct gp_acq {
    const gp_model *model;
    gp_acq_kind kind;
    double best;  /* log-EI: the incumbent (lowest standardized output) */
    double kappa; /* UCB: mean - kappa * sd is minimized */
    double *work; /* 2 n doubles for gp_predict */
    double *dmean, *dvar; /* d doubles each */
    /* Optional: coordinates L-BFGS must hold (one-hot blocks), and the
     * projection onto legal points (rounding); see gp_acq_maximize. */
    const unsigned char *fixed;
    void (*snap)(void *data, double *x);
    void *snap_data;
} gp_acq;

/* The acquisition at x (higher is better) and its gradient (may be NULL). */
double gp_acq_value(gp_acq *a, const double *x, double *grad);

/*
 * Maximize the acquisition over [0,1]^d: score the `count` candidate
 * points (m x d row-major: Sobol points, the best trials; already legal),
 * start L-BFGS (NLopt) from the n_starts best of them, at most max_eval
 * evaluations each, holding the fixed coordinates, snap each run's end
 * point to a legal one and score it again; write the best legal point
 * found to out.  0, or -1 when out of memory.
 */
int gp_acq_maximize(gp_acq *a, const double *candidates, int count,
                    int n_starts, int max_eval, double *out);

#endif
