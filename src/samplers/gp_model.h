/*
 * gp_model.h — a Gaussian-process regression model on the unit cube for
 * the `gp` sampler: Matérn-5/2 ARD kernel, a noise term, hyperparameters by
 * maximum a posteriori marginal likelihood (gp_model.c), posterior mean and
 * variance with their gradients (for the acquisition, gp_acq.c).
 *
 * Hyperparameters are kept as theta = (log l_1..log l_d, log s2, log g):
 * length scales, signal variance and noise variance, for outputs that the
 * caller has standardized (mean 0, variance 1).
 */
#ifndef HPO_GP_MODEL_H
#define HPO_GP_MODEL_H

typedef struct gp_model {
    int d;          /* input dimension */
    int n, cap;     /* points held; room for cap */
    double *x;      /* n x d, row i at x + i*d, coordinates in [0, 1] */
    double *y;      /* n standardized outputs */
    double *theta;  /* d + 2; change through gp_model_set_theta */
    double *inv_ls; /* d: exp(-theta[k]), cached */
    double *l;      /* cap x cap column-major, the lower Cholesky factor of
                       K + g I over the n points */
    double *alpha;  /* (K + g I)^-1 y */
    int n_factored; /* rows of l valid for the current theta */
    double jitter;  /* added to the diagonal when K + g I was not
                       numerically positive definite */
} gp_model;

#define GP_N_THETA(d) ((d) + 2)

/* Allocate for d inputs (theta set to defaults); 0 or -1 (no memory). */
int gp_model_init(gp_model *m, int d);
void gp_model_free(gp_model *m);

/* Set theta (and the cached inverse length scales); forgets the factor. */
void gp_model_set_theta(gp_model *m, const double *theta);

/* Make room for cap points; keeps what is there.  0 or -1. */
int gp_model_reserve(gp_model *m, int cap);

/* The kernel between two points (no noise) under m->theta. */
double gp_kernel(const gp_model *m, const double *a, const double *b);

/*
 * Factor K + g I for the n points held, reusing the first n_factored rows
 * when theta has not changed since they were factored, and solve for alpha.
 * Adds jitter and retries when the matrix is not numerically positive
 * definite.  0, or -1 when it cannot be factored.
 */
int gp_model_factor(gp_model *m);
/* Forget the factor (after theta or the points changed). */
void gp_model_invalidate(gp_model *m);

/* Log prior of theta (weak priors) and its gradient (may be NULL). */
double gp_log_prior(int d, const double *theta, double *grad);
/* Log marginal likelihood of y under theta, and its gradient (may be NULL);
 * refactors.  -HUGE_VAL when the kernel matrix cannot be factored. */
double gp_log_marginal(gp_model *m, const double *theta, double *grad);

/* Bounds of theta for d inputs. */
void gp_theta_bounds(int d, double *lower, double *upper);
/* The default starting point of the fit. */
void gp_theta_default(int d, double *theta);

/*
 * Fit theta by L-BFGS (NLopt) on log marginal likelihood + log prior,
 * starting from m->theta (a warm start) and from n_restarts further points
 * (the default, then random ones from urand, a uniform [0,1) source), at
 * most max_eval evaluations each; keeps the best.  Factors the model.
 * 0, or -1 when no start could be factored.
 */
int gp_model_fit(gp_model *m, int n_restarts, int max_eval,
                 double (*urand)(void *), void *urand_data);

/* Posterior of the latent function at x: mean, variance, and (when grads
 * are not NULL) their gradients with respect to x.  work: 2n doubles. */
void gp_predict(const gp_model *m, const double *x, double *mean,
                double *var, double *dmean, double *dvar, double *work);

/* Standardize outputs and warp them towards normality (monotone; see
 * gp_warp.c). */
void gp_warp_outputs(double *y, int n);
/* Standardize only: mean 0, sample variance 1 (constant data: all 0). */
void gp_standardize(double *y, int n);

/* Mean and variance (no gradients) at m points xs (m x d, row-major), in
 * one BLAS-3 pass.  work: n * m doubles. */
void gp_predict_many(const gp_model *m, const double *xs, int count,
                     double *mean, double *var, double *work);

#endif
