/*
 * hypergrad.h — gradient-based hyperparameter optimization (issue 14).
 *
 * A hypergradient problem is a learner on fixed train / validation / test
 * rows whose validation loss is a differentiable function of n continuous
 * hyperparameters.  Two kinds implement it:
 *
 *   implicit  ridge, L2 logistic regression, kernel ridge (RBF kernel):
 *             the trained weights solve grad_w L_train(w, h) = 0, so by the
 *             implicit function theorem dL_val/dh = -(d2L/dh dw) H^-1 g_val
 *             (Pedregosa 2016; Lorraine et al. 2020)
 *   unrolled  a linear model or the project's MLP trained by SGD with
 *             momentum: forward-mode accumulation of dw_t/dh through the
 *             steps (Maclaurin et al. 2015; Franceschi et al. 2017)
 *
 * Hyperparameters are handled in log space (h = log of the positive
 * quantity) with bounds; the outer loop (Adam or L-BFGS) descends the
 * validation loss and stores each outer step as a trial of a study, the
 * hyperparameters as float-log parameters named by hyper_name().
 *
 * "Fits" count the learner trainings a method spent, so black-box samplers
 * can be compared at an equal number of fits.
 */
#ifndef HPO_HYPERGRAD_H
#define HPO_HYPERGRAD_H

#include <stddef.h>
#include <stdint.h>

#include "../core/internal.h"

typedef struct hpo__hg_problem hpo__hg_problem;

struct hpo__hg_problem {
    const char *model;       /* "ridge", "logistic", "krr", "mlp", "linear" */
    int n_hyper;
    /* The i-th hyperparameter's name (a parameter name of the study) and
     * its bounds as the positive quantity (not its log). */
    const char *(*hyper_name)(const hpo__hg_problem *p, int i);
    void (*hyper_bounds)(const hpo__hg_problem *p, int i, double *lo,
                         double *hi);
    /* Train at log-hyperparameters h (n_hyper of them); give the validation
     * loss and, when grad is not NULL, its gradient with respect to h.  tol
     * is the inner solve's relative tolerance (HOAG's decreasing sequence;
     * 0 asks for the exact / tightest solve).  Returns 0 or an HPO_E* code
     * with the message in m. */
    int (*value_grad)(hpo__hg_problem *p, const double *h, double tol,
                      double *val_loss, double *grad, hpo__msg *m);
    /* Losses of the model last trained by value_grad: the test loss, and a
     * second validation metric where the loss is a surrogate (the error
     * rate for a classifier; NaN when there is none). */
    double (*test_loss)(const hpo__hg_problem *p);
    double (*val_metric)(const hpo__hg_problem *p);
    long fits;               /* trainings done so far */
    void (*destroy)(hpo__hg_problem *p);
};

/* ---- the outer loop (outer.c, owned by the implicit part) --------------- */

typedef enum hpo__hg_method { HPO__HG_ADAM, HPO__HG_LBFGS } hpo__hg_method;

typedef struct hpo__hg_outer_opts {
    int steps;              /* outer steps; each is one fit + hypergradient */
    hpo__hg_method method;
    double step_size;       /* Adam's step in log space (halved on divergence) */
    double tol0, tol_decay; /* HOAG: inner tolerance tol0 * tol_decay^k */
    /* Called after each outer step (NULL: nothing); the CLI prints progress. */
    void (*progress)(void *ud, int step, double val_loss, double test_loss,
                     const double *h);
    void *progress_ud;
    /* Added by the implicit part: called with a one-line note when the
     * loop changes course (the step halved on a divergent or non-finite
     * validation loss; L-BFGS stopped early); NULL: nothing.  Same ud. */
    void (*note)(void *ud, const char *text);
} hpo__hg_outer_opts;

/* Defaults for every field (Adam, step 0.1, tol0 1e-6, tol_decay 0.9). */
void hpo__hg_outer_defaults(hpo__hg_outer_opts *o, int steps);

typedef struct hpo__hg_result {
    int steps_done;
    double best_val_loss, best_test_loss, best_val_metric;
    long fits;
    int halvings;           /* times the step size was halved (Adam) */
} hpo__hg_result;

/* Descend the validation loss from h (n_hyper log-hyperparameters, kept in
 * bounds); on return h holds the best point seen.  When study is not NULL
 * every outer step is stored as a COMPLETE trial (value: validation loss;
 * params: the hyperparameters; user attrs: test_loss, and grad_norm). */
int hpo__hg_descend(hpo__hg_problem *p, double *h,
                    const hpo__hg_outer_opts *o, hpo_study *study,
                    hpo__hg_result *res, hpo__msg *m);

/* Added by the implicit part (blackbox.c): tune p by a black-box method at
 * `fits` fits for the side-by-side comparison, every fit a trial of a new
 * study `study_name` (NULL: a default name) in storage (NULL: in memory),
 * seeded with seed.  sampler "grid" is a log-spaced grid (the full grid
 * for one or two hyperparameters, else one value shared by all); any
 * other name is a registered sampler ("random", "tpe", "gp").  res gets
 * the best validation loss and the test loss of that fit. */
int hpo__hg_blackbox(hpo__hg_problem *p, const char *sampler, int fits,
                     uint64_t seed, hpo_storage *storage,
                     const char *study_name, hpo__hg_result *res,
                     hpo__msg *m);

#endif
