/*
 * hypergrad_check.h — what the hypergradient tests share: small synthetic
 * data sets (CSV text through the project's loader), the split, and the
 * check of a hypergradient against central finite differences.
 */
#ifndef HPO_TEST_HYPERGRAD_CHECK_H
#define HPO_TEST_HYPERGRAD_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hypergrad/implicit.h"

/* A CSV of n rows and p features x1..xp and a target y: regression y =
 * sum_j b_j x_j + noise (b_j decaying), or two classes from its sign. */
static char *synthetic_csv(int n, int p, int classes, unsigned seed)
{
    size_t cap = (size_t)n * (size_t)(p + 1) * 24 + (size_t)p * 8 + 64;
    char *t = malloc(cap);
    size_t len = 0;
    for (int j = 0; j < p; j++)
        len += (size_t)snprintf(t + len, cap - len, "x%d,", j + 1);
    len += (size_t)snprintf(t + len, cap - len, "y\n");
    hpo__rng r;
    hpo__rng_seed(&r, seed);
    for (int i = 0; i < n; i++) {
        double y = 0;
        for (int j = 0; j < p; j++) {
            double x = hpo__rng_normal(&r);
            y += x * (j % 3 == 0 ? 1.0 / (j + 1) : 0.0);
            len += (size_t)snprintf(t + len, cap - len, "%.6f,", x);
        }
        y += 0.5 * hpo__rng_normal(&r);
        if (classes)
            len += (size_t)snprintf(t + len, cap - len, "%d\n", y > 0);
        else
            len += (size_t)snprintf(t + len, cap - len, "%.6f\n", y + 0.25);
    }
    return t;
}

/* The 60/20/20 split of a synthetic data set. */
static int synthetic_split(int n, int p, int classes, unsigned seed,
                           hpo__hg_split *s)
{
    char *csv = synthetic_csv(n, p, classes, seed);
    hpo__dataset d;
    memset(&d, 0, sizeof d);
    hpo__msg m = {0};
    int rc = hpo__data_parse(&d, "synthetic.csv", csv, strlen(csv), NULL,
                             HPO__DATA_CSV, &m);
    if (rc == HPO_OK)
        rc = hpo__data_set_task(&d, classes ? HPO__CLASSIFICATION
                                            : HPO__REGRESSION, &m);
    if (rc == HPO_OK)
        rc = hpo__hg_split_make(&d, 0.6, 0.2, seed, s, &m);
    if (rc != HPO_OK)
        fprintf(stderr, "synthetic data: %s\n", hpo__msg_get(&m));
    hpo__data_free(&d);
    hpo__msg_free(&m);
    free(csv);
    return rc;
}

static double value_at(hpo__hg_problem *p, const double *h)
{
    double v = NAN;
    hpo__msg m = {0};
    int rc = p->value_grad(p, h, 0, &v, NULL, &m);
    CHECK_RC(rc, HPO_OK);
    hpo__msg_free(&m);
    return v;
}

/* max_i |grad_i - fd_i| / max_i |fd_i|, fd by central differences of step
 * eps in log space, the problem solved exactly (tol 0). */
static double fd_relative_error(hpo__hg_problem *p, const double *h0,
                                double eps)
{
    int n = p->n_hyper;
    double *h = malloc(sizeof *h * (size_t)n);
    double *g = malloc(sizeof *g * (size_t)n);
    double v, worst = 0, scale = 0;
    hpo__msg m = {0};
    memcpy(h, h0, sizeof *h * (size_t)n);
    CHECK_RC(p->value_grad(p, h, 0, &v, g, &m), HPO_OK);
    double *fd = malloc(sizeof *fd * (size_t)n);
    for (int i = 0; i < n; i++) {
        h[i] = h0[i] + eps;
        double up = value_at(p, h);
        h[i] = h0[i] - eps;
        double down = value_at(p, h);
        h[i] = h0[i];
        fd[i] = (up - down) / (2 * eps);
        scale = fabs(fd[i]) > scale ? fabs(fd[i]) : scale;
    }
    for (int i = 0; i < n; i++)
        worst = fabs(g[i] - fd[i]) > worst ? fabs(g[i] - fd[i]) : worst;
    hpo__msg_free(&m);
    free(h);
    free(g);
    free(fd);
    return scale > 0 ? worst / scale : worst;
}

typedef int (*hg_ctor)(const hpo__hg_split *s, const hpo__hg_model_opts *o,
                       hpo__hg_problem **out, hpo__msg *m);

/* A problem made by make on s (checked to succeed). */
static hpo__hg_problem *problem_of(hg_ctor make, const hpo__hg_split *s,
                                   int per_feature, hpo__hg_solver solver)
{
    hpo__hg_model_opts o = {per_feature, solver};
    hpo__hg_problem *p = NULL;
    hpo__msg m = {0};
    CHECK_RC(make(s, &o, &p, &m), HPO_OK);
    hpo__msg_free(&m);
    return p;
}

/* make refuses a synthetic regression data set (per_feature as given)
 * with HPO_EINVAL, no problem made, and a message containing want. */
__attribute__((unused)) static void check_refused(hg_ctor make,
                                                  int per_feature,
                                                  const char *want)
{
    hpo__hg_split s;
    CHECK_RC(synthetic_split(60, 3, 0, 23, &s), HPO_OK);
    hpo__hg_model_opts o = {per_feature, HPO__HG_EXACT};
    hpo__hg_problem *p = NULL;
    hpo__msg m = {0};
    CHECK_RC(make(&s, &o, &p, &m), HPO_EINVAL);
    CHECK(p == NULL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), want);
    hpo__msg_free(&m);
    hpo__hg_split_free(&s);
}

/* The solver's value and hypergradient at h (inner tolerance tol) against
 * the exact solver's: within rel of the value and of the largest
 * gradient component. */
static void check_solver(hg_ctor make, const hpo__hg_split *s,
                         int per_feature, hpo__hg_solver solver,
                         const double *h, double tol, double rel)
{
    hpo__hg_problem *e = problem_of(make, s, per_feature, HPO__HG_EXACT);
    hpo__hg_problem *a = problem_of(make, s, per_feature, solver);
    int n = e->n_hyper;
    double *ge = malloc(sizeof *ge * (size_t)n * 2), *ga = ge + n, ve, va;
    hpo__msg m = {0};
    CHECK_RC(e->value_grad(e, h, 0, &ve, ge, &m), HPO_OK);
    CHECK_RC(a->value_grad(a, h, tol, &va, ga, &m), HPO_OK);
    CHECK_NEAR(va, ve, rel * fabs(ve));
    double gmax = 0;
    for (int i = 0; i < n; i++)
        gmax = fmax(gmax, fabs(ge[i]));
    for (int i = 0; i < n; i++)
        CHECK_NEAR(ga[i], ge[i], rel * gmax);
    hpo__msg_free(&m);
    free(ge);
    a->destroy(a);
    e->destroy(e);
}

#endif
