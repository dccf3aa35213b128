/*
 * implicit.h — the implicit-differentiation part of issue 14: the fixed
 * train / validation / test split the learners share, the inner solvers
 * (Cholesky through src/math/linalg.h, conjugate gradients, the Neumann
 * series) and the constructors of the three problems.
 *
 *   split.c     the seeded split, standardized on the training rows
 *   cg.c        conjugate gradients on a symmetric positive definite operator
 *   neumann.c   the truncated Neumann series for H^-1 b
 *   lambda.c    the L2 penalty's lambdas and hypergradient (ridge, logistic)
 *   ridge.c     ridge regression, one lambda or one per feature
 *   logistic.c  L2 logistic regression, one lambda or one per feature
 *   krr.c       kernel ridge regression, RBF kernel: lambda and the width
 */
#ifndef HPO_HG_IMPLICIT_H
#define HPO_HG_IMPLICIT_H

#include <stdint.h>

#include "../ml/ml.h"
#include "hypergrad.h"

/* ---- the split ------------------------------------------------------------ */

enum { HPO__HG_TRAIN = 0, HPO__HG_VAL = 1, HPO__HG_TEST = 2 };

typedef struct hpo__hg_split {
    int n_features;
    int n[3];      /* rows of train, validation, test */
    double *x[3];  /* n[k] x n_features, row-major, standardized with the
                    * training rows' mean and std */
    double *y[3];  /* regression: the targets; classification: 0 or 1 */
    int classification; /* two classes: y is 1 for the larger label */
    char **names;  /* n_features feature names (copies) */
} hpo__hg_split;

/* Shuffle the rows with seed, then the first frac_train of them train, the
 * next frac_val validate, the rest test (each part >= 1 row).  A
 * classification data set must have exactly two classes. */
int hpo__hg_split_make(const hpo__dataset *d, double frac_train,
                       double frac_val, uint64_t seed, hpo__hg_split *s,
                       hpo__msg *m);
void hpo__hg_split_free(hpo__hg_split *s);

/* ---- the inner solvers ---------------------------------------------------- */

typedef enum hpo__hg_solver {
    HPO__HG_EXACT,   /* Cholesky (LAPACK) */
    HPO__HG_CG,      /* conjugate gradients for the fit and for H^-1 g */
    HPO__HG_NEUMANN  /* the fit by CG, H^-1 g by the Neumann series */
} hpo__hg_solver;
int hpo__hg_solver_parse(const char *name, hpo__hg_solver *out, hpo__msg *m);

/* Cholesky of the n x n matrix a (lower triangle, leading dimension n) in
 * place: 0, or 1 when it is singular to working precision (not positive
 * definite, or a pivot's square below 1e-14 of the largest). */
int hpo__hg_chol(double *a, int n);

/* out = A v for a symmetric positive definite A of size n. */
typedef void (*hpo__hg_matvec)(void *ud, const double *v, double *out);

/* Solve A x = b from the x given (a warm start) until the residual is at
 * most tol * |b|, or max_iter steps.  Returns the steps taken, or a
 * negative HPO_E* code (out of memory). */
int hpo__hg_cg(hpo__hg_matvec a, void *ud, int n, const double *b, double *x,
               double tol, int max_iter);

/* x = alpha sum_{k<K} (I - alpha A)^k b, K the first term whose size falls
 * below tol times the sum's, at most max_terms; alpha = 1 / (an upper
 * estimate of A's largest eigenvalue, by power iteration).  Returns the
 * terms used or a negative HPO_E* code. */
int hpo__hg_neumann(hpo__hg_matvec a, void *ud, int n, const double *b,
                    double *x, double tol, int max_terms);

/* ---- the problems ----------------------------------------------------------- */

typedef struct hpo__hg_model_opts {
    int per_feature;        /* one regularization per feature */
    hpo__hg_solver solver;
} hpo__hg_model_opts;

/* Each borrows s, which must outlive the problem. */
int hpo__hg_ridge_new(const hpo__hg_split *s, const hpo__hg_model_opts *o,
                      hpo__hg_problem **out, hpo__msg *m);
int hpo__hg_logistic_new(const hpo__hg_split *s, const hpo__hg_model_opts *o,
                         hpo__hg_problem **out, hpo__msg *m);
int hpo__hg_krr_new(const hpo__hg_split *s, const hpo__hg_model_opts *o,
                    hpo__hg_problem **out, hpo__msg *m);

/* Helpers the problems share (split.c): mean squared error of predictions
 * pred against the part's targets; "lambda" or "lambda_<feature>" names. */
double hpo__hg_mse(const double *pred, const double *y, int n);
char **hpo__hg_lambda_names(const hpo__hg_split *s, int per_feature);
void hpo__hg_names_free(char **names, int n);

/* The L2 penalty's lambdas and hypergradient (lambda.c): lam[j] =
 * exp(h[per_feature ? j : 0]); grad_j = -lam_j w_j q_j (summed into
 * grad[0] for one lambda).  hpo__hg_center: yc = y - mean(y), the mean
 * returned.  hpo__hg_max_rows: the most rows of the three parts. */
void hpo__hg_lambdas(const double *h, int per_feature, int p, double *lam);
void hpo__hg_lambda_grad(const double *lam, const double *w, const double *q,
                         int p, int per_feature, double *grad);
double hpo__hg_center(const double *y, int n, double *yc);
int hpo__hg_max_rows(const hpo__hg_split *s);

#endif
