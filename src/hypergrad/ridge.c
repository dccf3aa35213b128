/*
 * ridge.c — ridge regression's validation loss and its hypergradient with
 * respect to the regularization, one lambda or one per feature.
 *
 * Model: on the standardized training rows X (n x p) and centered targets
 * y - ybar, w = argmin 1/2 |X w - y|^2 + 1/2 sum_j lambda_j w_j^2 (the sum
 * over rows, as scikit-learn's Ridge, so lambda in [1e-6, 1e3] is the
 * useful range of ridge_diabetes); predictions X w + ybar.  The validation
 * loss is the mean squared error on the validation rows.
 *
 * Hypergradient (implicit function theorem; Bengio, "Gradient-based
 * optimization of hyperparameters", Neural Computation 2000; Pedregosa,
 * "Hyperparameter optimization with approximate gradient", ICML 2016,
 * HOAG; Lorraine, Vicol & Duvenaud, AISTATS 2020): with H = X'X +
 * diag(lambda) and g = dL_val/dw, dw/dlambda_j = -H^-1 e_j w_j, so
 *     dL_val / dlog lambda_j = -lambda_j w_j (H^-1 g)_j
 * and for one lambda the sum of those over j.
 *
 * Solvers (hpo__hg_solver):
 *   exact    Cholesky of H (p x p); with more features than rows, of the
 *            dual n x n matrix I + X diag(1/lambda) X' and Woodbury's
 *            identity, so the system stays solvable for every lambda > 0
 *   cg       conjugate gradients for w and for H^-1 g, H applied as
 *            X'(X v) + lambda v, to HOAG's tolerance of the step
 *   neumann  w by CG, H^-1 g by the truncated Neumann series (Lorraine 2020)
 * A Cholesky that fails (H singular to working precision) is an error
 * naming the smallest lambda, never a silent wrong gradient.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "../math/linalg.h"
#include "implicit.h"

typedef struct ridge {
    hpo__hg_problem base;
    const hpo__hg_split *s;
    hpo__hg_solver solver;
    int per_feature, n, p, dual;
    char **names;
    double ybar;
    double *yc;    /* n: centered training targets */
    double *xty;   /* p: X' yc */
    double *gram;  /* p x p: X'X (exact primal only) */
    double *fac;   /* the Cholesky factor: p x p, or n x n (dual) */
    double *lam;   /* p: lambda per coordinate */
    double *w, *q, *g; /* p: weights, H^-1 g, g = dL_val/dw */
    double *buf;   /* max(n, rows of any part, p) x 2 */
    double test;
} ridge;

static const char *hyper_name(const hpo__hg_problem *p, int i)
{
    return ((const ridge *)p)->names[i];
}

static void hyper_bounds(const hpo__hg_problem *p, int i, double *lo,
                         double *hi)
{
    (void)p;
    (void)i;
    *lo = 1e-6;
    *hi = 1e3;
}

static double test_loss(const hpo__hg_problem *p)
{
    return ((const ridge *)p)->test;
}

/* H v = X'(X v) + lambda v. */
static void hess_mul(void *ud, const double *v, double *out)
{
    ridge *r = ud;
    double *xv = r->buf;
    cblas_dgemv(CblasRowMajor, CblasNoTrans, r->n, r->p, 1, r->s->x[0], r->p,
                v, 1, 0, xv, 1);
    cblas_dgemv(CblasRowMajor, CblasTrans, r->n, r->p, 1, r->s->x[0], r->p,
                xv, 1, 0, out, 1);
    for (int j = 0; j < r->p; j++)
        out[j] += r->lam[j] * v[j];
}

static int singular(ridge *r, hpo__msg *m)
{
    double lo = r->lam[0];
    for (int j = 1; j < r->p; j++)
        lo = r->lam[j] < lo ? r->lam[j] : lo;
    return hpo__fail(m, HPO_EINVAL, "ridge: the system X'X + diag(lambda) "
                     "is singular to working precision (smallest lambda "
                     "%.3g); raise lambda's lower bound", lo);
}

/* Factor H (primal) or I + X diag(1/lambda) X' (dual). */
static int factor(ridge *r, hpo__msg *m)
{
    if (!r->dual) {
        memcpy(r->fac, r->gram, sizeof(double) * (size_t)r->p * (size_t)r->p);
        for (int j = 0; j < r->p; j++)
            r->fac[(size_t)j * (size_t)r->p + (size_t)j] += r->lam[j];
        return hpo__hg_chol(r->fac, r->p) == 0 ? HPO_OK : singular(r, m);
    }
    int n = r->n, p = r->p;
    const double *x = r->s->x[0];
    for (int a = 0; a < n; a++)
        for (int b = 0; b <= a; b++) {
            double s = a == b ? 1 : 0;
            for (int j = 0; j < p; j++)
                s += x[(size_t)a * p + j] * x[(size_t)b * p + j] / r->lam[j];
            r->fac[(size_t)b * n + a] = s; /* lower triangle, column-major */
        }
    return hpo__hg_chol(r->fac, n) == 0 ? HPO_OK : singular(r, m);
}

/* out = H^-1 b through the factor (Woodbury's identity when dual:
 * H^-1 = L^-1 - L^-1 X' (I + X L^-1 X')^-1 X L^-1, L = diag(lambda)). */
static void exact_solve(ridge *r, const double *b, double *out)
{
    if (!r->dual) {
        memcpy(out, b, sizeof(double) * (size_t)r->p);
        hpo__chol_solve(r->fac, r->p, r->p, out, 1, r->p);
        return;
    }
    double *t = r->buf;
    for (int j = 0; j < r->p; j++)
        out[j] = b[j] / r->lam[j];
    cblas_dgemv(CblasRowMajor, CblasNoTrans, r->n, r->p, 1, r->s->x[0], r->p,
                out, 1, 0, t, 1);
    hpo__chol_solve(r->fac, r->n, r->n, t, 1, r->n);
    double *xt = r->buf + r->n;
    cblas_dgemv(CblasRowMajor, CblasTrans, r->n, r->p, 1, r->s->x[0], r->p,
                t, 1, 0, xt, 1);
    for (int j = 0; j < r->p; j++)
        out[j] -= xt[j] / r->lam[j];
}

static double tight(double tol)
{
    return tol > 0 ? tol : 1e-12;
}

/* w, then q = H^-1 g by the chosen solver. */
static int solve_w(ridge *r, double tol, hpo__msg *m)
{
    if (r->solver == HPO__HG_EXACT) {
        int rc = factor(r, m);
        if (rc == HPO_OK)
            exact_solve(r, r->xty, r->w);
        return rc;
    }
    int k = hpo__hg_cg(hess_mul, r, r->p, r->xty, r->w, tight(tol),
                       20 * r->p + 100);
    return k < 0 ? hpo__oom(m) : HPO_OK;
}

static int solve_q(ridge *r, double tol, hpo__msg *m)
{
    int k = 0;
    if (r->solver == HPO__HG_EXACT)
        exact_solve(r, r->g, r->q);
    else if (r->solver == HPO__HG_CG)
        k = hpo__hg_cg(hess_mul, r, r->p, r->g, r->q, tight(tol),
                       20 * r->p + 100);
    else
        k = hpo__hg_neumann(hess_mul, r, r->p, r->g, r->q, tight(tol), 20000);
    return k < 0 ? hpo__oom(m) : HPO_OK;
}

/* Predictions of part k into pred; its mean squared error. */
static double part_mse(ridge *r, int k, double *pred)
{
    const hpo__hg_split *s = r->s;
    cblas_dgemv(CblasRowMajor, CblasNoTrans, s->n[k], r->p, 1, s->x[k], r->p,
                r->w, 1, 0, pred, 1);
    for (int i = 0; i < s->n[k]; i++)
        pred[i] += r->ybar;
    return hpo__hg_mse(pred, s->y[k], s->n[k]);
}

static int value_grad(hpo__hg_problem *pb, const double *h, double tol,
                      double *val, double *grad, hpo__msg *m)
{
    ridge *r = (ridge *)pb;
    const hpo__hg_split *s = r->s;
    hpo__hg_lambdas(h, r->per_feature, r->p, r->lam);
    int rc = solve_w(r, tol, m);
    if (rc != HPO_OK)
        return rc;
    pb->fits++;
    double *pred = r->buf;
    *val = part_mse(r, HPO__HG_VAL, pred);
    r->test = part_mse(r, HPO__HG_TEST, r->buf + s->n[1]);
    if (!grad)
        return HPO_OK;
    /* g = dL_val/dw = 2/n_val X_val' (pred - y_val) */
    for (int i = 0; i < s->n[1]; i++)
        pred[i] = 2.0 / s->n[1] * (pred[i] - s->y[1][i]);
    cblas_dgemv(CblasRowMajor, CblasTrans, s->n[1], r->p, 1, s->x[1], r->p,
                pred, 1, 0, r->g, 1);
    if ((rc = solve_q(r, tol, m)) != HPO_OK)
        return rc;
    hpo__hg_lambda_grad(r->lam, r->w, r->q, r->p, r->per_feature, grad);
    return HPO_OK;
}

static void destroy(hpo__hg_problem *pb)
{
    ridge *r = (ridge *)pb;
    if (!r)
        return;
    hpo__hg_names_free(r->names, r->base.n_hyper);
    free(r->yc);
    free(r->xty);
    free(r->gram);
    free(r->fac);
    free(r->lam);
    free(r->w);
    free(r->q);
    free(r->g);
    free(r->buf);
    free(r);
}

static int allocate(ridge *r)
{
    size_t n = (size_t)r->n, p = (size_t)r->p;
    size_t rows = (size_t)hpo__hg_max_rows(r->s);
    rows = rows > p ? rows : p;
    r->yc = malloc(sizeof(double) * n);
    r->xty = malloc(sizeof(double) * p);
    r->lam = malloc(sizeof(double) * p);
    r->w = calloc(p, sizeof(double));
    r->q = calloc(p, sizeof(double));
    r->g = calloc(p, sizeof(double));
    r->buf = malloc(sizeof(double) * 2 * rows);
    if (r->solver == HPO__HG_EXACT && !r->dual) {
        r->gram = malloc(sizeof(double) * p * p);
        r->fac = malloc(sizeof(double) * p * p);
    } else if (r->solver == HPO__HG_EXACT) {
        r->fac = malloc(sizeof(double) * n * n);
    }
    int need_fac = r->solver == HPO__HG_EXACT;
    return r->yc && r->xty && r->lam && r->w && r->q && r->g && r->buf &&
           (!need_fac || r->fac) && (!need_fac || r->dual || r->gram);
}

int hpo__hg_ridge_new(const hpo__hg_split *s, const hpo__hg_model_opts *o,
                      hpo__hg_problem **out, hpo__msg *m)
{
    *out = NULL;
    hpo__linalg_init();
    ridge *r = calloc(1, sizeof *r);
    if (!r)
        return hpo__oom(m);
    r->s = s;
    r->solver = o->solver;
    r->per_feature = o->per_feature;
    r->n = s->n[0];
    r->p = s->n_features;
    r->dual = r->p > r->n;
    r->base = (hpo__hg_problem){"ridge", o->per_feature ? r->p : 1,
                                hyper_name, hyper_bounds, value_grad,
                                test_loss, NULL, 0, destroy};
    r->names = hpo__hg_lambda_names(s, o->per_feature);
    if (!r->names || !allocate(r)) {
        destroy(&r->base);
        return hpo__oom(m);
    }
    r->ybar = hpo__hg_center(s->y[0], r->n, r->yc);
    cblas_dgemv(CblasRowMajor, CblasTrans, r->n, r->p, 1, s->x[0], r->p,
                r->yc, 1, 0, r->xty, 1);
    if (r->gram) /* X'X: symmetric, so row- and column-major agree */
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, r->p, r->p,
                    r->n, 1, s->x[0], r->p, s->x[0], r->p, 0, r->gram, r->p);
    *out = &r->base;
    return HPO_OK;
}
