/*
 * logistic.c — L2-regularized logistic regression's validation log-loss
 * and its hypergradient with respect to the regularization, one lambda or
 * one per feature.
 *
 * Model: weights w (p) and an unpenalized bias b on the standardized
 * training rows, minimizing sum_i [log(1 + e^z_i) - y_i z_i] +
 * 1/2 sum_j lambda_j w_j^2 with z = X w + b, y in {0, 1} (the sum over
 * rows, as liblinear's C = 1 / lambda).  The validation loss is the mean
 * log-loss on the validation rows; the validation error rate is its
 * second metric; the test loss is the test log-loss.
 *
 * Hypergradient (implicit function theorem at the fitted weights;
 * Pedregosa, "Hyperparameter optimization with approximate gradient",
 * ICML 2016 (HOAG), whose experiments are this model; Lorraine, Vicol &
 * Duvenaud, AISTATS 2020): with H the training objective's Hessian
 * X~' D X~ + diag(lambda, 0) (X~ = [X 1], D = diag(s (1 - s))) and g the
 * validation loss's gradient in (w, b),
 *     dL_val / dlog lambda_j = -lambda_j w_j (H^-1 g)_j.
 *
 * The inner solve is Newton's method with a backtracking (Armijo) line
 * search, warm-started from the last outer step's weights, stopped when
 * |grad| <= tol |grad at w = 0| (HOAG's tolerance; tol 0 asks for 1e-12).
 *   exact    Newton steps and H^-1 g by Cholesky of H (p+1 square)
 *   cg       Newton-CG (Hessian-vector products) and H^-1 g by CG
 *   neumann  Newton-CG, H^-1 g by the truncated Neumann series
 * A Hessian that Cholesky cannot factor is an error naming lambda.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "../math/linalg.h"
#include "implicit.h"

typedef struct logistic {
    hpo__hg_problem base;
    const hpo__hg_split *s;
    hpo__hg_solver solver;
    int per_feature, n, p, d;  /* d = p + 1 (the bias last) */
    char **names;
    double grad0;  /* |training gradient at w = 0|: the tolerance's scale */
    double *lam;   /* d: lambda per coordinate, 0 for the bias */
    double *w, *q, *g, *step, *grad, *wtry; /* d each */
    double *hess;  /* d x d (exact) */
    double *z, *dz; /* max rows: margins, curvatures */
    double test, val_err;
} logistic;

static const char *hyper_name(const hpo__hg_problem *p, int i)
{
    return ((const logistic *)p)->names[i];
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
    return ((const logistic *)p)->test;
}

static double val_metric(const hpo__hg_problem *p)
{
    return ((const logistic *)p)->val_err;
}

/* log(1 + e^z) without overflow. */
static double softplus(double z)
{
    return z > 0 ? z + log1p(exp(-z)) : log1p(exp(z));
}

static double sigmoid(double z)
{
    return z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z));
}

/* z = X w + b over part k. */
static void margins(const logistic *l, int k, const double *w, double *z)
{
    const hpo__hg_split *s = l->s;
    cblas_dgemv(CblasRowMajor, CblasNoTrans, s->n[k], l->p, 1, s->x[k], l->p,
                w, 1, 0, z, 1);
    for (int i = 0; i < s->n[k]; i++)
        z[i] += w[l->p];
}

/* Sum of the log-losses of part k at weights w (z left in l->z). */
static double part_loss(logistic *l, int k, const double *w)
{
    margins(l, k, w, l->z);
    double sum = 0;
    for (int i = 0; i < l->s->n[k]; i++)
        sum += softplus(l->z[i]) - l->s->y[k][i] * l->z[i];
    return sum;
}

static double objective(logistic *l, const double *w)
{
    double f = part_loss(l, HPO__HG_TRAIN, w);
    for (int j = 0; j < l->p; j++)
        f += 0.5 * l->lam[j] * w[j] * w[j];
    return f;
}

/* out = X~' v over part k (d entries). */
static void xt_times(const logistic *l, int k, const double *v, double *out)
{
    const hpo__hg_split *s = l->s;
    cblas_dgemv(CblasRowMajor, CblasTrans, s->n[k], l->p, 1, s->x[k], l->p,
                v, 1, 0, out, 1);
    double b = 0;
    for (int i = 0; i < s->n[k]; i++)
        b += v[i];
    out[l->p] = b;
}

/* Training gradient at l->w into l->grad, curvatures s(1-s) into l->dz;
 * returns |grad|. */
static double train_gradient(logistic *l)
{
    int n = l->n;
    margins(l, HPO__HG_TRAIN, l->w, l->z);
    for (int i = 0; i < n; i++) {
        double s = sigmoid(l->z[i]);
        l->dz[i] = s * (1 - s);
        l->z[i] = s - l->s->y[0][i];
    }
    xt_times(l, HPO__HG_TRAIN, l->z, l->grad);
    double nn = 0;
    for (int j = 0; j < l->d; j++) {
        l->grad[j] += l->lam[j] * l->w[j];
        nn += l->grad[j] * l->grad[j];
    }
    return sqrt(nn);
}

/* H v = X~' D X~ v + lambda v, D from the last train_gradient. */
static void hess_mul(void *ud, const double *v, double *out)
{
    logistic *l = ud;
    double *t = l->z; /* free between gradient evaluations */
    margins(l, HPO__HG_TRAIN, v, t);
    for (int i = 0; i < l->n; i++)
        t[i] *= l->dz[i];
    xt_times(l, HPO__HG_TRAIN, t, out);
    for (int j = 0; j < l->d; j++)
        out[j] += l->lam[j] * v[j];
}

static int singular(const logistic *l, hpo__msg *m)
{
    double lo = l->lam[0];
    for (int j = 1; j < l->p; j++)
        lo = l->lam[j] < lo ? l->lam[j] : lo;
    return hpo__fail(m, HPO_EINVAL, "logistic: the Hessian is singular to "
                     "working precision (smallest lambda %.3g); raise "
                     "lambda's lower bound", lo);
}

/* The Hessian, formed and factored (exact solver). */
static int factor_hessian(logistic *l, hpo__msg *m)
{
    int d = l->d, n = l->n, p = l->p;
    const double *x = l->s->x[0];
    memset(l->hess, 0, sizeof(double) * (size_t)d * (size_t)d);
    for (int i = 0; i < n; i++) {
        const double *xi = x + (size_t)i * p;
        double c = l->dz[i];
        for (int a = 0; a < d; a++) {
            double xa = a < p ? xi[a] : 1;
            if (xa == 0)
                continue;
            for (int b = a; b < d; b++) /* column a, rows >= a: lower */
                l->hess[(size_t)a * d + b] += c * xa * (b < p ? xi[b] : 1);
        }
    }
    for (int j = 0; j < d; j++)
        l->hess[(size_t)j * d + j] += l->lam[j];
    return hpo__hg_chol(l->hess, d) == 0 ? HPO_OK : singular(l, m);
}

/* Solve H x = b: Cholesky (factor first), or CG from x. */
static int hess_solve(logistic *l, const double *b, double *x, double tol,
                      int factored, hpo__msg *m)
{
    if (l->solver == HPO__HG_EXACT) {
        int rc = factored ? HPO_OK : factor_hessian(l, m);
        if (rc == HPO_OK) {
            memcpy(x, b, sizeof(double) * (size_t)l->d);
            hpo__chol_solve(l->hess, l->d, l->d, x, 1, l->d);
        }
        return rc;
    }
    int k = hpo__hg_cg(hess_mul, l, l->d, b, x, tol, 20 * l->d + 100);
    return k < 0 ? hpo__oom(m) : HPO_OK;
}

/* Backtracking along -step from w until the Armijo condition holds. */
static void line_search(logistic *l, double f0, double slope)
{
    double t = 1;
    for (int k = 0; k < 40; k++, t *= 0.5) {
        for (int j = 0; j < l->d; j++)
            l->wtry[j] = l->w[j] - t * l->step[j];
        if (objective(l, l->wtry) <= f0 - 1e-4 * t * slope)
            break;
    }
    memcpy(l->w, l->wtry, sizeof(double) * (size_t)l->d);
}

static int newton(logistic *l, double tol, hpo__msg *m)
{
    double stop = (tol > 0 ? tol : 1e-12) * l->grad0;
    for (int it = 0; it < 100; it++) {
        double gn = train_gradient(l);
        if (!isfinite(gn))
            return hpo__fail(m, HPO_EINVAL, "logistic: the fit diverged "
                             "(a non-finite gradient)");
        if (gn <= stop)
            return HPO_OK;
        memset(l->step, 0, sizeof(double) * (size_t)l->d);
        /* Newton-CG solves the step only as well as the gradient is small
         * (Nocedal & Wright, Numerical Optimization, section 7.1). */
        double ctol = fmin(0.5, sqrt(gn / l->grad0));
        int rc = hess_solve(l, l->grad, l->step, ctol, 0, m);
        if (rc != HPO_OK)
            return rc;
        double slope = hpo__dot(l->grad, l->step, l->d);
        if (!(slope > 0))
            return HPO_OK; /* no descent left at working precision */
        line_search(l, objective(l, l->w), slope);
    }
    return HPO_OK;
}

/* Mean log-loss of part k and its error rate; the validation gradient
 * g = X~' (s - y) / n into out when not NULL. */
static double part_scores(logistic *l, int k, double *err, double *out)
{
    const hpo__hg_split *s = l->s;
    double sum = part_loss(l, k, l->w);
    int wrong = 0;
    for (int i = 0; i < s->n[k]; i++) {
        wrong += (l->z[i] > 0) != (s->y[k][i] > 0.5);
        l->z[i] = (sigmoid(l->z[i]) - s->y[k][i]) / s->n[k];
    }
    if (out)
        xt_times(l, k, l->z, out);
    *err = (double)wrong / s->n[k];
    return sum / s->n[k];
}

static int value_grad(hpo__hg_problem *pb, const double *h, double tol,
                      double *val, double *grad, hpo__msg *m)
{
    logistic *l = (logistic *)pb;
    hpo__hg_lambdas(h, l->per_feature, l->p, l->lam);
    int rc = newton(l, tol, m);
    if (rc != HPO_OK)
        return rc;
    pb->fits++;
    double test_err;
    l->test = part_scores(l, HPO__HG_TEST, &test_err, NULL);
    *val = part_scores(l, HPO__HG_VAL, &l->val_err, l->g);
    if (!grad)
        return HPO_OK;
    train_gradient(l); /* curvatures at the final weights */
    double qtol = tol > 0 ? tol : 1e-12;
    if (l->solver == HPO__HG_NEUMANN) {
        int k = hpo__hg_neumann(hess_mul, l, l->d, l->g, l->q, qtol, 20000);
        rc = k < 0 ? hpo__oom(m) : HPO_OK;
    } else {
        rc = hess_solve(l, l->g, l->q, qtol, 0, m);
    }
    if (rc != HPO_OK)
        return rc;
    hpo__hg_lambda_grad(l->lam, l->w, l->q, l->p, l->per_feature, grad);
    return HPO_OK;
}

static void destroy(hpo__hg_problem *pb)
{
    logistic *l = (logistic *)pb;
    if (!l)
        return;
    hpo__hg_names_free(l->names, l->base.n_hyper);
    free(l->lam);
    free(l->w);
    free(l->hess);
    free(l->z);
    free(l);
}

static int allocate(logistic *l)
{
    size_t d = (size_t)l->d, rows = (size_t)hpo__hg_max_rows(l->s);
    l->lam = calloc(d, sizeof(double));
    l->w = calloc(6 * d, sizeof(double));
    l->z = malloc(sizeof(double) * 2 * rows);
    if (l->solver == HPO__HG_EXACT)
        l->hess = malloc(sizeof(double) * d * d);
    if (!l->lam || !l->w || !l->z ||
        (l->solver == HPO__HG_EXACT && !l->hess))
        return 0;
    l->q = l->w + d;
    l->g = l->q + d;
    l->step = l->g + d;
    l->grad = l->step + d;
    l->wtry = l->grad + d;
    l->dz = l->z + rows;
    return 1;
}

int hpo__hg_logistic_new(const hpo__hg_split *s, const hpo__hg_model_opts *o,
                         hpo__hg_problem **out, hpo__msg *m)
{
    *out = NULL;
    if (!s->classification)
        return hpo__fail(m, HPO_EINVAL, "logistic: the target must have two "
                         "classes (use ridge or krr for a regression target)");
    hpo__linalg_init();
    logistic *l = calloc(1, sizeof *l);
    if (!l)
        return hpo__oom(m);
    l->s = s;
    l->solver = o->solver;
    l->per_feature = o->per_feature;
    l->n = s->n[0];
    l->p = s->n_features;
    l->d = l->p + 1;
    l->base = (hpo__hg_problem){"logistic", o->per_feature ? l->p : 1,
                                hyper_name, hyper_bounds, value_grad,
                                test_loss, val_metric, 0, destroy};
    l->names = hpo__hg_lambda_names(s, o->per_feature);
    if (!l->names || !allocate(l)) {
        destroy(&l->base);
        return hpo__oom(m);
    }
    l->val_err = l->test = NAN;
    l->grad0 = train_gradient(l); /* at w = 0, lambda = 0 */
    if (!(l->grad0 > 0))
        l->grad0 = 1;
    *out = &l->base;
    return HPO_OK;
}
