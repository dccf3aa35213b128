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

#endif
