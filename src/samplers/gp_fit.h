/*
 * gp_fit.h — a Gaussian-process model kept between trials (gp_fit.c): the
 * `gp` sampler holds one per modelled output (the objective or each of
 * several objectives, and each constraint), and brings it up to date with
 * the training set each trial, refitting the hyperparameters only when due.
 */
#ifndef HPO_GP_FIT_H
#define HPO_GP_FIT_H

#include "gp_model.h"

typedef struct gp_fitted {
    gp_model model; /* d 0 until first used */
    int n_cached;   /* completed points whose rows the model holds */
    int fit_n;      /* points at the last hyperparameter fit */
} gp_fitted;

#define GP_FIT_NOMEM (-1)
#define GP_FIT_FAILED (-2) /* the kernel matrix could not be factored */

/*
 * Hold the n completed points x (n x dim) with standardized outputs y,
 * with room for n_extra more (fantasies).  Rows that are still the first
 * rows of x keep their Cholesky factor; the hyperparameters are refitted
 * every trial up to GP_REFIT_ALWAYS points, then when the data has grown
 * by GP_REFIT_GROWTH since the last fit.  urand: a uniform [0,1) source
 * for the fit's random restarts.  0, GP_FIT_NOMEM or GP_FIT_FAILED.
 */
int gp_fitted_update(gp_fitted *f, const double *x, const double *y, int n,
                     int dim, int n_extra, double (*urand)(void *),
                     void *urand_data);

/* Constant liar, CL-max (Ginsbourger, Le Riche & Carraro 2010, "Kriging
 * is well-suited to parallelize optimization"): add the n_pending points
 * xp (n_pending x dim) as observations at the worst (largest) output the
 * model holds, so the acquisition collapses around each running trial and
 * the next ask goes elsewhere.  0 or GP_FIT_FAILED. */
int gp_fitted_add_fantasies(gp_fitted *f, const double *xp, int n_pending);
/* Drop the fantasies again: the cache holds completed points only. */
void gp_fitted_drop_fantasies(gp_fitted *f);

/* Forget everything cached (after a failure); keeps the allocation. */
void gp_fitted_reset(gp_fitted *f);
void gp_fitted_free(gp_fitted *f);

#endif
