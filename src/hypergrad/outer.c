/*
 * outer.c — the outer loop of gradient-based hyperparameter optimization:
 * descend the validation loss over log-hyperparameters h with the
 * hypergradient the problem gives (hypergrad.h).
 *
 * Papers:
 *   F. Pedregosa, "Hyperparameter optimization with approximate gradient",
 *   ICML 2016 (HOAG): the inner problem is solved only to a tolerance that
 *   decreases along the outer iterations (a summable sequence), so early
 *   steps are cheap and the approximate gradients still converge.
 *   D. P. Kingma, J. Ba, "Adam: a method for stochastic optimization",
 *   ICLR 2015: the step rule.
 *   J. Lorraine, P. Vicol, D. Duvenaud, "Optimizing millions of
 *   hyperparameters by implicit differentiation", AISTATS 2020: descending
 *   one hyperparameter per weight with Adam.
 *
 * Deviations and choices:
 *   1. The tolerance is geometric, tol0 * tol_decay^k (HOAG's experiments
 *      use such a sequence; any summable one satisfies its theorem).
 *   2. HOAG shrinks its step when the loss goes up.  Here Adam's step is
 *      halved only when the validation loss is not finite or rises above
 *      the best seen by more than half its size (a divergence, not Adam's
 *      ordinary wobble); the walk then steps again from the best point
 *      (its gradient kept, so no fit is spent re-evaluating it) with fresh
 *      moments, and says so through the note callback.
 *   3. Every evaluation is one outer step, one fit and one stored trial,
 *      so "steps" is the number of fits the method spends.
 *   4. L-BFGS-B is NLopt's (outer_lbfgs.c); its line search does the
 *      backtracking there.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outer.h"

void hpo__hg_outer_defaults(hpo__hg_outer_opts *o, int steps)
{
    memset(o, 0, sizeof *o);
    o->steps = steps;
    o->method = HPO__HG_ADAM;
    o->step_size = 0.1;
    o->tol0 = 1e-6;
    o->tol_decay = 0.9;
}

void hpo__hg_note(const hpo__hg_outer_opts *o, const char *fmt, ...)
{
    if (!o->note)
        return;
    char buf[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    o->note(o->progress_ud, buf);
}

/* HOAG's tolerance of step k; 0 (the exact solve) when tol0 is 0. */
static double step_tolerance(const hpo__hg_outer_opts *o, int k)
{
    if (o->tol0 <= 0)
        return 0;
    double tol = o->tol0 * pow(o->tol_decay > 0 ? o->tol_decay : 1, k);
    return tol > 1e-12 ? tol : 1e-12;
}

static double norm2(const double *g, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += g[i] * g[i];
    return sqrt(s);
}

int hpo__hg_walk_eval(hpo__hg_walk *w, const double *h, double *val,
                      double *grad)
{
    hpo__hg_problem *p = w->p;
    int rc = p->value_grad(p, h, step_tolerance(w->o, w->evals), val, grad,
                           w->m);
    if (rc != HPO_OK)
        return rc;
    double gn = norm2(grad, p->n_hyper);
    double test = p->test_loss(p);
    if (w->study) {
        rc = hpo__hg_store_step(w->study, p, h, *val, gn, w->m);
        if (rc != HPO_OK)
            return rc;
    }
    hpo__hg_result *r = w->res;
    if (isfinite(*val) && !(*val >= r->best_val_loss)) {
        r->best_val_loss = *val;
        r->best_test_loss = test;
        r->best_val_metric = p->val_metric ? p->val_metric(p) : NAN;
        memcpy(w->best_h, h, sizeof *h * (size_t)p->n_hyper);
        memcpy(w->best_g, grad, sizeof *h * (size_t)p->n_hyper);
    }
    r->steps_done = ++w->evals;
    r->fits = p->fits;
    if (w->o->progress)
        w->o->progress(w->o->progress_ud, w->evals - 1, *val, test, h);
    return HPO_OK;
}

/* ---- Adam in log space, with halving ---------------------------------- */

typedef struct adam {
    double *m, *v;
    double lr;
    int t;
} adam;

static void adam_reset(adam *a, int n)
{
    memset(a->m, 0, sizeof *a->m * (size_t)n);
    memset(a->v, 0, sizeof *a->v * (size_t)n);
    a->t = 0;
}

/* One Adam step from h along g, projected onto the bounds. */
static void adam_step(adam *a, const hpo__hg_walk *w, const double *g,
                      double *h)
{
    const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
    a->t++;
    double c1 = 1 - pow(b1, a->t), c2 = 1 - pow(b2, a->t);
    for (int i = 0; i < w->p->n_hyper; i++) {
        a->m[i] = b1 * a->m[i] + (1 - b1) * g[i];
        a->v[i] = b2 * a->v[i] + (1 - b2) * g[i] * g[i];
        double x = h[i] - a->lr * (a->m[i] / c1) / (sqrt(a->v[i] / c2) + eps);
        h[i] = x < w->lo[i] ? w->lo[i] : x > w->hi[i] ? w->hi[i] : x;
    }
}

/* Not finite, or above the best by more than half the best's size. */
static int diverged(double val, double best, const double *g, int n)
{
    if (!isfinite(val) || !isfinite(norm2(g, n)))
        return 1;
    return isfinite(best) && val > best + 0.5 * fabs(best);
}

static int run_adam(hpo__hg_walk *w, double *h)
{
    int n = w->p->n_hyper;
    adam a = {calloc((size_t)n, sizeof(double)),
              calloc((size_t)n, sizeof(double)), w->o->step_size, 0};
    double *g = calloc((size_t)n, sizeof(double));
    int rc = a.m && a.v && g ? HPO_OK : hpo__oom(w->m);
    if (!(a.lr > 0))
        a.lr = 0.1;
    while (rc == HPO_OK && w->evals < w->o->steps) {
        double val;
        double best = w->res->best_val_loss;
        rc = hpo__hg_walk_eval(w, h, &val, g);
        if (rc != HPO_OK)
            break;
        if (diverged(val, best, g, n)) {
            a.lr *= 0.5;
            w->res->halvings++;
            hpo__hg_note(w->o, "step %d: validation loss %.6g %s; step size "
                         "halved to %.4g, back to the best point",
                         w->evals - 1, val,
                         isfinite(val) ? "diverged" : "is not finite", a.lr);
            if (isfinite(best)) { /* step again from the best, shorter */
                memcpy(h, w->best_h, sizeof *h * (size_t)n);
                memcpy(g, w->best_g, sizeof *g * (size_t)n);
                adam_reset(&a, n);
            }
            /* Step along what gradient there is (none finite yet: from
             * here; a finite loss with a non-finite gradient: its parts). */
            for (int i = 0; i < n; i++)
                if (!isfinite(g[i]))
                    g[i] = 0;
        }
        adam_step(&a, w, g, h);
    }
    free(a.m);
    free(a.v);
    free(g);
    return rc;
}

/* ---- the driver --------------------------------------------------------- */

static int check_args(const hpo__hg_problem *p, const double *h,
                      const hpo__hg_outer_opts *o, hpo__msg *m)
{
    if (!p || !h || !o || p->n_hyper < 1)
        return hpo__fail(m, HPO_EINVAL, "hypergrad: no problem or no "
                         "hyperparameters");
    if (o->steps < 1)
        return hpo__fail(m, HPO_EINVAL, "hypergrad: steps must be >= 1 "
                         "(got %d)", o->steps);
    if (o->tol0 < 0 || o->tol_decay < 0 || o->tol_decay > 1)
        return hpo__fail(m, HPO_EINVAL, "hypergrad: the inner tolerance "
                         "needs tol0 >= 0 and 0 <= tol_decay <= 1");
    return HPO_OK;
}

int hpo__hg_descend(hpo__hg_problem *p, double *h,
                    const hpo__hg_outer_opts *o, hpo_study *study,
                    hpo__hg_result *res, hpo__msg *m)
{
    int rc = check_args(p, h, o, m);
    if (rc != HPO_OK)
        return rc;
    int n = p->n_hyper;
    hpo__hg_result scratch;
    if (!res)
        res = &scratch;
    *res = (hpo__hg_result){0, INFINITY, NAN, NAN, p->fits, 0};
    hpo__hg_walk w = {p, o, study, res, m, calloc((size_t)n, sizeof(double)),
                      calloc((size_t)n, sizeof(double)),
                      calloc((size_t)n, sizeof(double)),
                      calloc((size_t)n, sizeof(double)), 0, HPO_OK};
    if (!w.lo || !w.hi || !w.best_h || !w.best_g)
        rc = hpo__oom(m);
    for (int i = 0; i < n && rc == HPO_OK; i++) {
        double lo, hi;
        p->hyper_bounds(p, i, &lo, &hi);
        w.lo[i] = log(lo);
        w.hi[i] = log(hi);
        if (!(h[i] >= w.lo[i]))
            h[i] = w.lo[i];
        if (!(h[i] <= w.hi[i]))
            h[i] = w.hi[i];
        w.best_h[i] = h[i];
    }
    if (rc == HPO_OK)
        rc = o->method == HPO__HG_LBFGS ? hpo__hg_lbfgs(&w, h)
                                        : run_adam(&w, h);
    if (rc == HPO_OK && isfinite(res->best_val_loss))
        memcpy(h, w.best_h, sizeof *h * (size_t)n);
    free(w.lo);
    free(w.hi);
    free(w.best_h);
    free(w.best_g);
    return rc;
}
