/*
 * gp_constraints.c — constraints for the `gp` sampler, after Gardner,
 * Kusner, Xu, Weinberger & Cunningham (2014), "Bayesian Optimization with
 * Inequality Constraints": each constraint c_k(x) <= 0 gets its own
 * Gaussian process, and the acquisition is weighted by the probability of
 * feasibility, prod_k P(c_k(x) <= 0) (added in log space in gp_acq.c).
 *
 * The objective's model is fitted on every completed trial, feasible or
 * not; EI's incumbent is the best feasible value; with no feasible trial
 * yet, the acquisition is the probability of feasibility alone (the
 * paper's rule for that case; gp.c).
 *
 * This file reads the constraint values and prepares each model's training
 * set.  Deviations: values are standardized (mean 0, variance 1; the
 * threshold 0 moves with them) but not warped like the objective, since
 * only the side of the threshold a value falls on matters; at most
 * GP_MAX_CONSTRAINTS are modelled, to bound the cost per trial.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gp_constraints.h"

int gp_constraints_read(const hpo__trial_rec *t, double *c, int cap)
{
    const char *s = hpo__attrs_get(&t->system_attrs, "constraints");
    if (!s)
        return 0;
    while (*s == ' ' || *s == '\t' || *s == '\n')
        s++;
    if (*s++ != '[')
        return -1;
    int count = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == '\n')
            s++;
        if (*s == ']' && count == 0)
            return 0;
        char *end;
        double v = strtod(s, &end);
        if (end == s || isnan(v))
            return -1;
        if (count < cap)
            c[count] = v;
        count++;
        s = end;
        while (*s == ' ' || *s == '\t' || *s == '\n')
            s++;
        if (*s == ']')
            return count;
        if (*s++ != ',')
            return -1;
    }
}

/* Standardize v[0..n-1] in place and return where 0 went.  Constant data
 * keeps its sign: all values become 0 and the threshold lies on the side
 * that keeps them feasible or not. */
static double standardize(double *v, int n)
{
    double mean = 0, var = 0;
    for (int i = 0; i < n; i++)
        mean += v[i] / n;
    for (int i = 0; i < n; i++)
        var += (v[i] - mean) * (v[i] - mean) / (n > 1 ? n - 1 : 1);
    double sd = sqrt(var);
    if (!(sd > 1e-12 * (1 + fabs(mean))))
        sd = fabs(mean) > 0 ? fabs(mean) : 1;
    for (int i = 0; i < n; i++)
        v[i] = (v[i] - mean) / sd;
    return -mean / sd;
}

/* The number of constraints: the length of the newest well-formed list. */
static int newest_count(const hpo__trial_rec *const *done, int n, double *c)
{
    for (int i = n - 1; i >= 0; i--) {
        int len = gp_constraints_read(done[i], c, GP_MAX_CONSTRAINTS);
        if (len > 0)
            return len;
    }
    return 0;
}

int gp_constraints_collect(gp_constraint_set *cs, hpo_plugin_ctx *ctx,
                           const hpo__trial_rec *const *done, int n,
                           const double *x, int dim)
{
    memset(cs, 0, sizeof *cs);
    double c[GP_MAX_CONSTRAINTS];
    int len = newest_count(done, n, c);
    int k = len < GP_MAX_CONSTRAINTS ? len : GP_MAX_CONSTRAINTS;
    int row = dim > 0 ? dim : 1;
    cs->violation = hpo__scratch(ctx, sizeof(double) * ((size_t)n + 1));
    cs->x = hpo__scratch(ctx, sizeof(double) * ((size_t)n * row + 1));
    cs->y = hpo__scratch(ctx, sizeof(double) * ((size_t)n * k + 1));
    cs->threshold = hpo__scratch(ctx, sizeof(double) * ((size_t)k + 1));
    double *vals = hpo__scratch(ctx, sizeof(double) * ((size_t)k + 1));
    if (!cs->violation || !cs->x || !cs->y || !cs->threshold || !vals)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "gp: out of memory");
    cs->k = k;
    for (int i = 0; i < n; i++) {
        int got = gp_constraints_read(done[i], vals, k);
        /* Feasibility as the rest of the library reads it. */
        cs->violation[i] = hpo__trial_violation(done[i]);
        cs->n_feasible += cs->violation[i] == 0;
        int finite = 1;
        for (int j = 0; j < k && got == len; j++)
            finite &= isfinite(vals[j]);
        if (k == 0 || got != len || !finite)
            continue;
        memcpy(cs->x + (size_t)cs->n * dim, x + (size_t)i * dim,
               sizeof(double) * (size_t)dim);
        for (int j = 0; j < k; j++)
            cs->y[(size_t)j * n + cs->n] = vals[j];
        cs->n++;
    }
    /* Each constraint's column, packed to stride cs->n, standardized. */
    for (int j = 0; j < k; j++) {
        memmove(cs->y + (size_t)j * cs->n, cs->y + (size_t)j * n,
                sizeof(double) * (size_t)cs->n);
        cs->threshold[j] = standardize(cs->y + (size_t)j * cs->n, cs->n);
    }
    return HPO_OK;
}
