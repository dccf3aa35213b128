/*
 * gp_acq.h — acquisition functions of the `gp` sampler and their
 * maximization over the unit cube (gp_acq.c).  The models' outputs are to
 * be minimized (objectives) or kept below a threshold (constraints).
 */
#ifndef HPO_GP_ACQ_H
#define HPO_GP_ACQ_H

#include "gp_model.h"

typedef enum gp_acq_kind {
    GP_LOG_EI = 0,
    GP_UCB = 1,
    GP_LOG_EHVI = 2,     /* two objectives: log expected hypervolume
                            improvement over a front (gp_ehvi.c) */
    GP_FEASIBILITY = 3   /* no objective term: the constraints' log
                            probability of feasibility alone */
} gp_acq_kind;

/* Constraint models an acquisition can weigh. */
#define GP_ACQ_MAX_CONSTRAINTS 14

/* log(z Phi(z) + phi(z)), the log of expected improvement per unit of
 * standard deviation, finite for every finite z; *dz (may be NULL) is its
 * derivative, Phi(z) / (z Phi(z) + phi(z)). */
double gp_log_h(double z, double *dz);
/* log Phi(z), finite for every finite z; *dz (may be NULL) is its
 * derivative phi(z) / Phi(z). */
double gp_log_cdf(double z, double *dz);

struct gp_front2;

typedef struct gp_acq {
    /* The objective's model (log-EI, UCB), the first objective's (EHVI);
     * every model of the acquisition shares its dimension d, also in
     * GP_FEASIBILITY where it is not otherwise used. */
    const gp_model *model;
    gp_acq_kind kind;
    double best;  /* log-EI: the incumbent (lowest standardized output) */
    double kappa; /* UCB: mean - kappa * sd is minimized */
    double *work; /* 2 (n + 1) doubles for gp_predict, n the most points of
                     any of its models */
    double *dmean, *dvar; /* d doubles each per model (gp_acq_n_models) */
    /* Optional: coordinates L-BFGS must hold (one-hot blocks), and the
     * projection onto legal points (rounding); see gp_acq_maximize. */
    const unsigned char *fixed;
    void (*snap)(void *data, double *x);
    void *snap_data;
    /* EHVI: the second objective's model and the front the improvement is
     * measured over, in the models' standardized outputs. */
    const gp_model *model2;
    const struct gp_front2 *front;
    /* Constraints (Gardner et al. 2014): model k's output must stay at or
     * below thresholds[k]; the log of that probability is added to the
     * acquisition (for UCB, a soft penalty in its units).  At most
     * GP_ACQ_MAX_CONSTRAINTS. */
    int n_constraints;
    const gp_model *const *constraints;
    const double *thresholds;
} gp_acq;

/* How many models the acquisition reads (objectives, then constraints). */
int gp_acq_n_models(const gp_acq *a);

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
