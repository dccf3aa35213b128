/*
 * harmonica_lasso.c — the sparse low-degree Fourier fit of Harmonica
 * (Hazan, Klivans & Yuan 2017, "Hyperparameter Optimization: A Spectral
 * Approach", arXiv 1706.00764, algorithm 1 "PSR", step 2): the Lasso of
 * the observed values on the parity functions chi_S(x) = prod_{i in S} x_i
 * of the +-1 bits, for every set S of 1 to d bits.
 *
 * Solved by cyclic coordinate descent with warm starts down a path of
 * lambdas and an active set (Friedman, Hastie & Tibshirani 2010,
 * "Regularization Paths for Generalized Linear Models via Coordinate
 * Descent", J. Stat. Softw. 33(1), sections 2.1-2.6).  Parities are +-1,
 * so every feature has unit mean square and the coordinate update is the
 * soft-threshold of its correlation with the residual, no scaling needed.
 * The intercept is not penalized.  lambda is for y scaled to unit standard
 * deviation; by default it is chosen by k-fold cross-validation over a
 * path of PATH_LEN values from lambda_max (the smallest that keeps every
 * coefficient zero) down to PATH_RATIO of it, as glmnet's cv.glmnet does
 * (the minimum of the cross-validated error, not its one-standard-error
 * rule: the sampler ranks coefficients, it does not need them shrunk).
 *
 * The feature matrix is never stored (degree 3 over 60 bits is 36,050
 * monomials): a parity is a product of at most d columns, computed when
 * it is needed.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harmonica.h"

#define PATH_LEN 20
#define PATH_RATIO 0.01
#define TOLERANCE 1e-7 /* largest coefficient change that ends a sweep */
#define MAX_SWEEPS 1000

/* ---- the monomials ------------------------------------------------------ */

double harmonica_monomials_count(int n_vars, int degree)
{
    double total = 0, c = 1;
    for (int k = 1; k <= degree && k <= n_vars; k++) {
        c = c * (n_vars - k + 1) / k;
        total += c;
    }
    return total;
}

int harmonica_monomials_init(harmonica_monomials *m, int n_vars, int degree,
                             int64_t max_n)
{
    memset(m, 0, sizeof *m);
    double count = harmonica_monomials_count(n_vars, degree);
    if (count > (double)max_n)
        return -1;
    m->degree = degree;
    m->idx = malloc(sizeof(int) * ((size_t)count + 1) * (size_t)degree);
    if (!m->idx)
        return -1;
    int set[16];
    for (int k = 1; k <= degree && k <= n_vars; k++) {
        /* Every k-subset in lexicographic order. */
        for (int j = 0; j < k; j++)
            set[j] = j;
        for (;;) {
            int *row = m->idx + (size_t)m->n * degree;
            for (int j = 0; j < degree; j++)
                row[j] = j < k ? set[j] : -1;
            m->n++;
            int j = k - 1;
            while (j >= 0 && set[j] == n_vars - k + j)
                j--;
            if (j < 0)
                break;
            set[j]++;
            for (int t = j + 1; t < k; t++)
                set[t] = set[t - 1] + 1;
        }
    }
    return 0;
}

void harmonica_monomials_free(harmonica_monomials *m)
{
    free(m->idx);
    memset(m, 0, sizeof *m);
}

/* ---- coordinate descent --------------------------------------------------- */

/* The rows being fitted, columns copied contiguous: x[v * n + k]. */
typedef struct rows {
    int n, n_vars;
    signed char *x;
    double *y;
} rows;

/* One model along a path: coefficients, residuals on its rows, the
 * active set. */
typedef struct model {
    double b0, *beta, *r;
    unsigned char *in;
    int *active, n_active;
} model;

/* The parity of monomial j on every row, into p. */
static void parity(const rows *d, const harmonica_monomials *m, int j,
                   double *p)
{
    const int *v = m->idx + (size_t)j * m->degree;
    const signed char *c0 = d->x + (size_t)v[0] * d->n;
    for (int k = 0; k < d->n; k++)
        p[k] = c0[k];
    for (int t = 1; t < m->degree && v[t] >= 0; t++) {
        const signed char *c = d->x + (size_t)v[t] * d->n;
        for (int k = 0; k < d->n; k++)
            p[k] *= c[k];
    }
}

/* (1/n) <chi_j, r> */
static double correlation(const rows *d, const harmonica_monomials *m,
                          int j, const double *r)
{
    const int *v = m->idx + (size_t)j * m->degree;
    const signed char *a = d->x + (size_t)v[0] * d->n;
    const signed char *b = m->degree > 1 && v[1] >= 0 ? d->x + (size_t)v[1] * d->n : NULL;
    const signed char *c = m->degree > 2 && v[2] >= 0 ? d->x + (size_t)v[2] * d->n : NULL;
    double s = 0;
    if (m->degree > 3 && v[3] >= 0) { /* rare: the general product */
        for (int k = 0; k < d->n; k++) {
            int p = 1;
            for (int t = 0; t < m->degree && v[t] >= 0; t++)
                p *= d->x[(size_t)v[t] * d->n + k];
            s += p * r[k];
        }
    } else if (c) {
        for (int k = 0; k < d->n; k++)
            s += a[k] * b[k] * c[k] * r[k];
    } else if (b) {
        for (int k = 0; k < d->n; k++)
            s += a[k] * b[k] * r[k];
    } else {
        for (int k = 0; k < d->n; k++)
            s += a[k] * r[k];
    }
    return s / d->n;
}

static double soft(double z, double lambda)
{
    return z > lambda ? z - lambda : z < -lambda ? z + lambda : 0;
}

/* Sweeps over the active set until no coefficient moves by TOLERANCE. */
static void sweep_active(const rows *d, const harmonica_monomials *m,
                         model *md, double lambda, double *p)
{
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
        double moved = 0;
        for (int a = 0; a < md->n_active; a++) {
            int j = md->active[a];
            double g = correlation(d, m, j, md->r);
            double b = soft(md->beta[j] + g, lambda), delta = b - md->beta[j];
            if (delta == 0)
                continue;
            parity(d, m, j, p);
            for (int k = 0; k < d->n; k++)
                md->r[k] -= delta * p[k];
            md->beta[j] = b;
            moved = fmax(moved, fabs(delta));
        }
        double mean = 0;
        for (int k = 0; k < d->n; k++)
            mean += md->r[k] / d->n;
        md->b0 += mean;
        for (int k = 0; k < d->n; k++)
            md->r[k] -= mean;
        if (moved < TOLERANCE)
            return;
    }
}

/* Solve at lambda from the model's current (warm) state: sweep the active
 * set, then add every monomial that breaks the optimality conditions,
 * until none does. */
static void solve(const rows *d, const harmonica_monomials *m, model *md,
                  double lambda, double *p)
{
    for (;;) {
        sweep_active(d, m, md, lambda, p);
        int added = 0;
        for (int j = 0; j < m->n; j++)
            if (!md->in[j] && fabs(correlation(d, m, j, md->r)) > lambda) {
                md->in[j] = 1;
                md->active[md->n_active++] = j;
                added++;
            }
        if (!added)
            return;
    }
}

static int model_init(model *md, const rows *d, int n_monomials)
{
    memset(md, 0, sizeof *md);
    md->beta = calloc((size_t)n_monomials + 1, sizeof *md->beta);
    md->r = malloc(sizeof *md->r * ((size_t)d->n + 1));
    md->in = calloc((size_t)n_monomials + 1, 1);
    md->active = malloc(sizeof *md->active * ((size_t)n_monomials + 1));
    if (!md->beta || !md->r || !md->in || !md->active)
        return -1;
    double mean = 0;
    for (int k = 0; k < d->n; k++)
        mean += d->y[k] / d->n;
    md->b0 = mean;
    for (int k = 0; k < d->n; k++)
        md->r[k] = d->y[k] - mean;
    return 0;
}

static void model_free(model *md)
{
    free(md->beta);
    free(md->r);
    free(md->in);
    free(md->active);
}

/* ---- rows, folds and the path ---------------------------------------------- */

/* Copy the rows with keep[i] == want (keep NULL: all). */
static int rows_make(rows *out, const harmonica_data *d, const double *y,
                     const int *fold, int fold_out, int test)
{
    int n = 0;
    for (int i = 0; i < d->n; i++)
        n += !fold || ((fold[i] == fold_out) == test);
    out->n = n;
    out->n_vars = d->n_vars;
    out->x = malloc((size_t)n * (size_t)d->n_vars + 1);
    out->y = malloc(sizeof(double) * ((size_t)n + 1));
    if (!out->x || !out->y)
        return -1;
    for (int i = 0, k = 0; i < d->n; i++) {
        if (fold && (fold[i] == fold_out) != test)
            continue;
        for (int v = 0; v < d->n_vars; v++)
            out->x[(size_t)v * n + k] = d->x[(size_t)v * d->n + i];
        out->y[k++] = y[i];
    }
    return 0;
}

static void rows_free(rows *r)
{
    free(r->x);
    free(r->y);
}

static double lambda_max(const rows *d, const harmonica_monomials *m)
{
    double mean = 0, top = 0;
    double *r = malloc(sizeof *r * ((size_t)d->n + 1));
    if (!r)
        return NAN;
    for (int k = 0; k < d->n; k++)
        mean += d->y[k] / d->n;
    for (int k = 0; k < d->n; k++)
        r[k] = d->y[k] - mean;
    for (int j = 0; j < m->n; j++)
        top = fmax(top, fabs(correlation(d, m, j, r)));
    free(r);
    return top;
}

/* Squared error on test of the model at each lambda of the path, added to
 * err[]. */
static int fold_errors(const rows *train, const rows *test,
                       const harmonica_monomials *m, const double *path,
                       double *err)
{
    model md;
    double *p = malloc(sizeof *p * ((size_t)train->n + test->n + 1));
    int rc = p && model_init(&md, train, m->n) == 0 ? 0 : -1;
    double *q = p ? p + train->n : NULL;
    for (int l = 0; rc == 0 && l < PATH_LEN; l++) {
        solve(train, m, &md, path[l], p);
        for (int k = 0; k < test->n; k++)
            q[k] = md.b0;
        for (int a = 0; a < md.n_active; a++) {
            int j = md.active[a];
            if (md.beta[j] == 0)
                continue;
            double *col = p; /* reuse the train buffer for the test parity */
            parity(test, m, j, col);
            for (int k = 0; k < test->n; k++)
                q[k] += md.beta[j] * col[k];
        }
        for (int k = 0; k < test->n; k++)
            err[l] += (test->y[k] - q[k]) * (test->y[k] - q[k]);
    }
    if (p)
        model_free(&md);
    free(p);
    return rc;
}

/* The lambda of the path with the least k-fold cross-validated error. */
static int cross_validate(const harmonica_data *d, const double *ys,
                          const harmonica_monomials *m, const double *path,
                          int folds, hpo__rng *rng, double *best)
{
    int *fold = malloc(sizeof *fold * ((size_t)d->n + 1));
    double err[PATH_LEN] = {0};
    if (!fold)
        return -1;
    for (int i = 0; i < d->n; i++) /* a random permutation, dealt out */
        fold[i] = i;
    for (int i = d->n - 1; i > 0; i--) {
        int j = (int)hpo__rng_below(rng, (uint64_t)i + 1), t = fold[i];
        fold[i] = fold[j];
        fold[j] = t;
    }
    for (int i = 0; i < d->n; i++)
        fold[i] %= folds;
    int rc = 0;
    for (int f = 0; f < folds && rc == 0; f++) {
        rows train = {0}, test = {0};
        rc = rows_make(&train, d, ys, fold, f, 0) || rows_make(&test, d, ys, fold, f, 1)
                 ? -1
                 : fold_errors(&train, &test, m, path, err);
        rows_free(&train);
        rows_free(&test);
    }
    free(fold);
    int at = 0;
    for (int l = 1; l < PATH_LEN; l++)
        if (err[l] < err[at])
            at = l;
    *best = path[at];
    return rc;
}

int harmonica_lasso(const harmonica_data *d, const harmonica_monomials *m,
                    double lambda, int folds, hpo__rng *rng,
                    harmonica_fit *fit)
{
    memset(fit, 0, sizeof *fit);
    fit->coef = calloc((size_t)m->n + 1, sizeof *fit->coef);
    double *ys = malloc(sizeof *ys * ((size_t)d->n + 1));
    if (!fit->coef || !ys) {
        free(ys);
        return -1;
    }
    double mean = 0, ss = 0;
    for (int i = 0; i < d->n; i++)
        mean += d->y[i] / d->n;
    for (int i = 0; i < d->n; i++)
        ss += (d->y[i] - mean) * (d->y[i] - mean);
    double sd = d->n > 1 ? sqrt(ss / d->n) : 0;
    fit->intercept = mean;
    /* Constant up to rounding (the mean of equal values can differ from
     * them in the last bit): nothing to explain. */
    if (!(sd > 1e-12 * (fabs(mean) + 1)) || m->n == 0) {
        free(ys);
        return 0;
    }
    for (int i = 0; i < d->n; i++)
        ys[i] = (d->y[i] - mean) / sd;
    rows all = {0};
    int rc = rows_make(&all, d, ys, NULL, 0, 0);
    double top = rc == 0 ? lambda_max(&all, m) : NAN;
    double path[PATH_LEN];
    for (int l = 0; l < PATH_LEN; l++)
        path[l] = top * pow(PATH_RATIO, (double)l / (PATH_LEN - 1));
    if (rc == 0 && isnan(top))
        rc = -1;
    if (rc == 0 && isnan(lambda) && folds >= 2 && d->n >= 2 * folds)
        rc = cross_validate(d, ys, m, path, folds, rng, &lambda);
    if (isnan(lambda)) /* too few rows to cross-validate */
        lambda = path[PATH_LEN / 2];
    fit->lambda = lambda;
    model md;
    double *p = rc == 0 ? malloc(sizeof *p * ((size_t)all.n + 1)) : NULL;
    if (p && model_init(&md, &all, m->n) == 0) {
        /* Down the path to lambda, warm-starting each solve. */
        for (int l = 0; l < PATH_LEN && path[l] > lambda; l++)
            solve(&all, m, &md, path[l], p);
        solve(&all, m, &md, lambda, p);
        fit->intercept = mean + sd * md.b0;
        for (int j = 0; j < m->n; j++)
            fit->coef[j] = sd * md.beta[j];
    } else {
        rc = -1;
    }
    if (p)
        model_free(&md);
    free(p);
    rows_free(&all);
    free(ys);
    return rc;
}
