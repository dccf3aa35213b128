/*
 * krr.c — kernel ridge regression with an RBF kernel: the validation loss
 * and its hypergradient with respect to the regularization lambda and the
 * kernel width sigma.
 *
 * Model: on the standardized training rows, K_ab = exp(-|x_a - x_b|^2 /
 * (2 sigma^2)), dual weights a = (K + lambda I)^-1 (y - ybar), predictions
 * f(x) = sum_b k(x, x_b) a_b + ybar (Saunders, Gammerman & Vovk, "Ridge
 * regression learning algorithm in dual variables", ICML 1998).  The
 * validation loss is the mean squared error on the validation rows.
 *
 * Hypergradient: a solves A a = y with A = K + lambda I, so da = -A^-1
 * (dA) a (the implicit function theorem of Pedregosa 2016, HOAG, and
 * Lorraine et al. 2020, for a linear inner problem; Chapelle, Vapnik,
 * Bousquet & Mukherjee, "Choosing multiple parameters for support vector
 * machines", Machine Learning 2002, differentiate kernel widths so).  With
 * r = dL/df_val and u = K_val' r, q = A^-1 u:
 *     dL / dlog lambda = -lambda q'a
 *     dL / dlog sigma  = r' (K_val o S_val) a - q' (K o S) a,
 * S = D / sigma^2 the squared distances scaled (dK / dlog sigma = K o S).
 *
 * Solvers: exact (Cholesky of A), cg (CG for a and q), neumann (a by CG,
 * q by the Neumann series).  Memory is O(n_train^2): the squared distances
 * are computed once.  --per-feature is refused (one width for all
 * features; the features are standardized).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "../math/linalg.h"
#include "implicit.h"

typedef struct krr {
    hpo__hg_problem base;
    const hpo__hg_split *s;
    hpo__hg_solver solver;
    int n;
    double ybar, lambda, sigma;
    double *dist[3]; /* n[k] x n squared distances to the training rows */
    double *kern[3]; /* n[k] x n kernel values */
    double *fac;     /* n x n: A's Cholesky factor (exact) */
    double *yc, *a, *q, *u, *r, *t; /* vectors */
    double test;
} krr;

static const char *const names[2] = {"lambda", "width"};

static const char *hyper_name(const hpo__hg_problem *p, int i)
{
    (void)p;
    return names[i];
}

static void hyper_bounds(const hpo__hg_problem *p, int i, double *lo,
                         double *hi)
{
    (void)p;
    *lo = i == 0 ? 1e-6 : 1e-2;
    *hi = i == 0 ? 1e3 : 1e3;
}

static double test_loss(const hpo__hg_problem *p)
{
    return ((const krr *)p)->test;
}

/* A v = K v + lambda v. */
static void a_mul(void *ud, const double *v, double *out)
{
    krr *k = ud;
    cblas_dgemv(CblasRowMajor, CblasNoTrans, k->n, k->n, 1, k->kern[0], k->n,
                v, 1, 0, out, 1);
    for (int i = 0; i < k->n; i++)
        out[i] += k->lambda * v[i];
}

static void fill_kernels(krr *k)
{
    double c = -0.5 / (k->sigma * k->sigma);
    for (int part = 0; part < 3; part++) {
        size_t len = (size_t)k->s->n[part] * (size_t)k->n;
        for (size_t i = 0; i < len; i++)
            k->kern[part][i] = exp(c * k->dist[part][i]);
    }
}

static int solve(krr *k, const double *b, double *x, double tol,
                 int neumann, hpo__msg *m)
{
    int n = k->n, it = 0;
    if (k->solver == HPO__HG_EXACT) {
        memcpy(x, b, sizeof(double) * (size_t)n);
        hpo__chol_solve(k->fac, n, n, x, 1, n);
    } else if (neumann) {
        it = hpo__hg_neumann(a_mul, k, n, b, x, tol > 0 ? tol : 1e-12, 20000);
    } else {
        it = hpo__hg_cg(a_mul, k, n, b, x, tol > 0 ? tol : 1e-12,
                        20 * n + 100);
    }
    return it < 0 ? hpo__oom(m) : HPO_OK;
}

static int factor(krr *k, hpo__msg *m)
{
    int n = k->n;
    for (int a = 0; a < n; a++)
        for (int b = 0; b < n; b++) /* symmetric: either order */
            k->fac[(size_t)a * n + b] = k->kern[0][(size_t)a * n + b] +
                                        (a == b ? k->lambda : 0);
    if (hpo__hg_chol(k->fac, n) == 0)
        return HPO_OK;
    return hpo__fail(m, HPO_EINVAL, "krr: K + lambda I is singular to "
                     "working precision (lambda %.3g, width %.3g); raise "
                     "lambda's lower bound", k->lambda, k->sigma);
}

/* Predictions of part p into pred; their mean squared error. */
static double part_mse(krr *k, int part, double *pred)
{
    const hpo__hg_split *s = k->s;
    cblas_dgemv(CblasRowMajor, CblasNoTrans, s->n[part], k->n, 1,
                k->kern[part], k->n, k->a, 1, 0, pred, 1);
    for (int i = 0; i < s->n[part]; i++)
        pred[i] += k->ybar;
    return hpo__hg_mse(pred, s->y[part], s->n[part]);
}

/* v' (K o S) a over part p's rows, S = D / sigma^2. */
static double width_term(const krr *k, int part, const double *v)
{
    double s2 = k->sigma * k->sigma, sum = 0;
    for (int i = 0; i < k->s->n[part]; i++) {
        const double *kr = k->kern[part] + (size_t)i * k->n;
        const double *dr = k->dist[part] + (size_t)i * k->n;
        double row = 0;
        for (int b = 0; b < k->n; b++)
            row += kr[b] * dr[b] * k->a[b];
        sum += v[i] * row / s2;
    }
    return sum;
}

static int value_grad(hpo__hg_problem *pb, const double *h, double tol,
                      double *val, double *grad, hpo__msg *m)
{
    krr *k = (krr *)pb;
    const hpo__hg_split *s = k->s;
    k->lambda = exp(h[0]);
    k->sigma = exp(h[1]);
    fill_kernels(k);
    int rc = k->solver == HPO__HG_EXACT ? factor(k, m) : HPO_OK;
    if (rc == HPO_OK)
        rc = solve(k, k->yc, k->a, tol, 0, m);
    if (rc != HPO_OK)
        return rc;
    pb->fits++;
    k->test = part_mse(k, HPO__HG_TEST, k->t);
    *val = part_mse(k, HPO__HG_VAL, k->r);
    if (!grad)
        return HPO_OK;
    for (int i = 0; i < s->n[1]; i++)
        k->r[i] = 2.0 / s->n[1] * (k->r[i] - s->y[1][i]);
    cblas_dgemv(CblasRowMajor, CblasTrans, s->n[1], k->n, 1, k->kern[1],
                k->n, k->r, 1, 0, k->u, 1);
    rc = solve(k, k->u, k->q, tol, k->solver == HPO__HG_NEUMANN, m);
    if (rc != HPO_OK)
        return rc;
    grad[0] = -k->lambda * hpo__dot(k->q, k->a, k->n);
    grad[1] = width_term(k, HPO__HG_VAL, k->r) -
              width_term(k, HPO__HG_TRAIN, k->q);
    return HPO_OK;
}

static void destroy(hpo__hg_problem *pb)
{
    krr *k = (krr *)pb;
    if (!k)
        return;
    for (int p = 0; p < 3; p++) {
        free(k->dist[p]);
        free(k->kern[p]);
    }
    free(k->fac);
    free(k->yc);
    free(k);
}

static void distances(krr *k, int part)
{
    const hpo__hg_split *s = k->s;
    int p = s->n_features;
    for (int i = 0; i < s->n[part]; i++)
        for (int b = 0; b < k->n; b++) {
            const double *xi = s->x[part] + (size_t)i * p;
            const double *xb = s->x[0] + (size_t)b * p;
            double d = 0;
            for (int j = 0; j < p; j++)
                d += (xi[j] - xb[j]) * (xi[j] - xb[j]);
            k->dist[part][(size_t)i * k->n + b] = d;
        }
}

static int allocate(krr *k)
{
    size_t n = (size_t)k->n, rows = (size_t)hpo__hg_max_rows(k->s);
    for (int p = 0; p < 3; p++) {
        size_t len = (size_t)k->s->n[p] * n;
        k->dist[p] = malloc(sizeof(double) * len);
        k->kern[p] = malloc(sizeof(double) * len);
        if (!k->dist[p] || !k->kern[p])
            return 0;
    }
    if (k->solver == HPO__HG_EXACT && !(k->fac = malloc(sizeof(double) * n * n)))
        return 0;
    k->yc = calloc(4 * n + 2 * rows, sizeof(double));
    if (!k->yc)
        return 0;
    k->a = k->yc + n;
    k->q = k->a + n;
    k->u = k->q + n;
    k->r = k->u + n;
    k->t = k->r + rows;
    return 1;
}

int hpo__hg_krr_new(const hpo__hg_split *s, const hpo__hg_model_opts *o,
                    hpo__hg_problem **out, hpo__msg *m)
{
    *out = NULL;
    if (o->per_feature)
        return hpo__fail(m, HPO_EINVAL, "krr: --per-feature is not "
                         "supported (one lambda and one kernel width)");
    if (s->n[0] > 20000)
        return hpo__fail(m, HPO_EINVAL, "krr: %d training rows need an "
                         "n x n kernel matrix; at most 20000", s->n[0]);
    hpo__linalg_init();
    krr *k = calloc(1, sizeof *k);
    if (!k)
        return hpo__oom(m);
    k->s = s;
    k->solver = o->solver;
    k->n = s->n[0];
    k->base = (hpo__hg_problem){"krr", 2, hyper_name, hyper_bounds,
                                value_grad, test_loss, NULL, 0, destroy};
    if (!allocate(k)) {
        destroy(&k->base);
        return hpo__oom(m);
    }
    for (int p = 0; p < 3; p++)
        distances(k, p);
    k->ybar = hpo__hg_center(s->y[0], k->n, k->yc);
    k->test = NAN;
    *out = &k->base;
    return HPO_OK;
}
