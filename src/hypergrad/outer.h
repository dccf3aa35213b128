/*
 * outer.h — what the outer loop's files share (outer.c, outer_lbfgs.c,
 * step_trial.c): one evaluation of the problem at log-hyperparameters h,
 * with the HOAG tolerance of that step, stored as a trial and tracked as
 * the best so far.
 */
#ifndef HPO_HG_OUTER_H
#define HPO_HG_OUTER_H

#include "hypergrad.h"

typedef struct hpo__hg_walk {
    hpo__hg_problem *p;
    const hpo__hg_outer_opts *o;
    hpo_study *study;   /* NULL: nothing stored */
    hpo__hg_result *res;
    hpo__msg *m;
    double *lo, *hi;    /* bounds of h (logs of the problem's bounds) */
    double *best_h;     /* n_hyper: the best point seen */
    double *best_g;     /* n_hyper: the hypergradient there */
    int evals;          /* evaluations so far (the step index) */
    int rc;             /* the first error (L-BFGS's callback cannot return it) */
} hpo__hg_walk;

/* Evaluate at h (inside the bounds): value and gradient at the step's
 * inner tolerance tol0 * tol_decay^step, the step stored as a trial and
 * shown through progress, the best point kept.  HPO_OK (the value may be
 * non-finite) or the problem's / the storage's error. */
int hpo__hg_walk_eval(hpo__hg_walk *w, const double *h, double *val,
                      double *grad);

/* A one-line note through the options' note callback (printf format). */
void hpo__hg_note(const hpo__hg_outer_opts *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Store one outer step as a COMPLETE trial of study: the hyperparameters
 * exp(h) as float-log parameters named by hyper_name, the validation loss
 * as the value, user attributes test_loss, grad_norm (and val_metric when
 * the problem has one). */
int hpo__hg_store_step(hpo_study *study, const hpo__hg_problem *p,
                       const double *h, double val_loss, double grad_norm,
                       hpo__msg *m);

/* The pieces of such a trial (step_trial.c), for the comparison's trials
 * too: suggest every hyperparameter as float-log in its bounds (h, when
 * not NULL, gets the logs of the values); set test_loss, grad_norm
 * (unless NaN) and val_metric (when the problem has one); tell the trial
 * COMPLETE with val_loss, or FAIL when rc is an error (its message
 * already in m), and free it.  Each returns HPO_OK or the error. */
int hpo__hg_trial_hypers(hpo_trial *t, const hpo__hg_problem *p, double *h);
int hpo__hg_trial_attrs(hpo_trial *t, const hpo__hg_problem *p,
                        double grad_norm);
int hpo__hg_trial_finish(hpo_study *study, hpo_trial *t, int rc,
                         double val_loss, hpo__msg *m);

/* L-BFGS-B through NLopt (outer_lbfgs.c): up to o->steps evaluations. */
int hpo__hg_lbfgs(hpo__hg_walk *w, double *h);

#endif
