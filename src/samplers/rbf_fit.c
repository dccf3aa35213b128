/*
 * rbf_fit.c — fitting the RBF interpolant (rbf_fit.h), after Gutmann
 * (2001), "A radial basis function method for global optimization" (J.
 * Global Optim. 19), and Regis & Shoemaker (2007), "A stochastic radial
 * basis function method for the global optimization of expensive
 * functions" (INFORMS J. Comput. 19).
 *
 * The cubic and thin-plate kernels are conditionally positive definite of
 * order 2: with a linear tail and points that are unisolvent for linear
 * polynomials the augmented system has exactly one solution (Powell 1992).
 * It is symmetric but indefinite, so it is solved by a Bunch-Kaufman
 * factorization (LAPACK dsysv) rather than Cholesky.
 *
 * Deviations: near-duplicate points are merged (the lower value kept)
 * instead of regularizing Phi, so the surrogate stays an interpolant; a
 * system that is singular anyway (points on a hyperplane, so P^T has a
 * null space) falls back to a constant tail, which loses the kernel's
 * uniqueness guarantee but in practice solves.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "math/linalg.h"
#include "rbf_fit.h"

/* How closely the solution must reproduce the data, relative to their
 * spread, before it is trusted (a nearly singular system solves without
 * complaint and returns garbage). */
#define RESIDUAL_TOL 1e-6

static double phi(rbf_kernel k, double r)
{
    if (k == RBF_THIN_PLATE)
        return r > 0 ? r * r * log(r) : 0;
    return r * r * r;
}

static double distance(const double *a, const double *b, int dim)
{
    double s = 0;
    for (int j = 0; j < dim; j++) {
        double d = a[j] - b[j];
        s += d * d;
    }
    return sqrt(s);
}

static double tail(const rbf_model *m, const double *u)
{
    double s = m->c[0];
    for (int k = 0; k + 1 < m->n_tail; k++)
        s += m->c[1 + k] * u[m->tail[k]];
    return s;
}

double rbf_eval(const rbf_model *m, const double *u)
{
    double s = tail(m, u);
    for (int i = 0; i < m->n; i++)
        s += m->lambda[i] *
             phi(m->kernel, distance(u, m->x + (size_t)i * m->dim, m->dim));
    return s;
}

double rbf_eval_d2(const rbf_model *m, const double *u, const double *d2)
{
    double s = tail(m, u);
    const double *w = m->lambda_row;
    if (m->kernel == RBF_CUBIC) {
        for (int i = 0; i < m->n_rows; i++)
            s += w[i] * d2[i] * sqrt(d2[i]);
        return s;
    }
    for (int i = 0; i < m->n_rows; i++)
        s += d2[i] > 0 ? w[i] * 0.5 * d2[i] * log(d2[i]) : 0;
    return s;
}

void rbf_model_free(rbf_model *m)
{
    free(m->x);
    free(m->row);
    free(m->lambda_row);
    free(m->lambda);
    free(m->tail);
    free(m->c);
    memset(m, 0, sizeof *m);
}

/* Copy the points into m->x, merging near-duplicates; their values into
 * v (the lower of a merged pair).  Returns how many were kept. */
static int keep_distinct(rbf_model *m, const double *x, const double *y,
                         int n, double *v)
{
    int kept = 0, dim = m->dim;
    for (int i = 0; i < n; i++) {
        const double *xi = x + (size_t)i * dim;
        int same = -1;
        for (int k = 0; k < kept && same < 0; k++)
            if (distance(xi, m->x + (size_t)k * dim, dim) < RBF_DUPLICATE_DIST)
                same = k;
        if (same >= 0) {
            v[same] = fmin(v[same], y[i]);
            continue;
        }
        memcpy(m->x + (size_t)kept * dim, xi, sizeof(double) * (size_t)dim);
        m->row[kept] = i;
        v[kept++] = y[i];
    }
    return kept;
}

/* The linear coordinates of the tail: allowed and not constant over the
 * centres; none when there are too few centres to determine them. */
static void choose_tail(rbf_model *m, const unsigned char *linear)
{
    m->n_tail = 1;
    for (int j = 0; j < m->dim; j++) {
        if (linear && !linear[j])
            continue;
        int varies = 0;
        for (int i = 1; i < m->n && !varies; i++)
            varies = m->x[(size_t)i * m->dim + j] != m->x[j];
        if (varies)
            m->tail[m->n_tail++ - 1] = j;
    }
    if (m->n < m->n_tail + 1)
        m->n_tail = 1;
}

/* Build and solve the augmented system for the current tail; 0 when the
 * solution interpolates v, 1 if not, -1 out of memory. */
static int solve(rbf_model *m, const double *v)
{
    int n = m->n, t = m->n_tail, size = n + t;
    double *a = calloc((size_t)size * (size_t)size, sizeof(double));
    double *b = calloc((size_t)size, sizeof(double));
    if (!a || !b) {
        free(a);
        free(b);
        return -1;
    }
    /* Column-major, lower triangle: a[col * size + row], row >= col. */
    for (int j = 0; j < n; j++) {
        const double *xj = m->x + (size_t)j * m->dim;
        for (int i = j; i < n; i++)
            a[(size_t)j * size + i] =
                phi(m->kernel, distance(m->x + (size_t)i * m->dim, xj, m->dim));
        for (int k = 0; k < t; k++)
            a[(size_t)j * size + n + k] = k == 0 ? 1 : xj[m->tail[k - 1]];
        b[j] = v[j];
    }
    int info = hpo__sym_solve(a, size, size, b);
    free(a);
    if (info < 0) {
        free(b);
        return -1;
    }
    memcpy(m->lambda, b, sizeof(double) * (size_t)n);
    memcpy(m->c, b + n, sizeof(double) * (size_t)t);
    free(b);
    if (info > 0)
        return 1;
    double lo = HUGE_VAL, hi = -HUGE_VAL, worst = 0;
    for (int i = 0; i < n; i++) {
        lo = fmin(lo, v[i]);
        hi = fmax(hi, v[i]);
    }
    for (int i = 0; i < n; i++) {
        double r = fabs(rbf_eval(m, m->x + (size_t)i * m->dim) - v[i]);
        worst = isnan(r) ? HUGE_VAL : fmax(worst, r);
    }
    return worst <= RESIDUAL_TOL * (hi - lo + fabs(hi) + 1e-300) ? 0 : 1;
}

int rbf_fit(rbf_model *m, rbf_kernel kernel, const double *x,
            const double *y, int n, int dim, const unsigned char *linear)
{
    memset(m, 0, sizeof *m);
    m->kernel = kernel;
    m->dim = dim;
    size_t rows = (size_t)(n > 0 ? n : 1), cols = (size_t)(dim > 0 ? dim : 1);
    m->x = malloc(sizeof(double) * rows * cols);
    m->lambda = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    m->row = malloc(sizeof(int) * (size_t)(n > 0 ? n : 1));
    m->tail = malloc(sizeof(int) * (size_t)(dim + 1));
    m->c = calloc((size_t)dim + 1, sizeof(double));
    double *v = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
    int rc = -1;
    if (m->x && m->row && m->lambda && m->tail && m->c && v) {
        m->n = keep_distinct(m, x, y, n, v);
        choose_tail(m, linear);
        rc = m->n > 0 ? solve(m, v) : 1;
        if (rc == 1 && m->n_tail > 1) {
            m->n_tail = 1; /* the points are not unisolvent: constant tail */
            rc = solve(m, v);
        }
    }
    free(v);
    if (rc == 0) {
        m->n_rows = n;
        m->lambda_row = calloc((size_t)(n > 0 ? n : 1), sizeof(double));
        if (!m->lambda_row)
            rc = -1;
        for (int i = 0; rc == 0 && i < m->n; i++)
            m->lambda_row[m->row[i]] = m->lambda[i];
    }
    if (rc != 0)
        rbf_model_free(m);
    return rc;
}
