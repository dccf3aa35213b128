/*
 * outer_lbfgs.c — the outer loop by L-BFGS-B: NLopt's low-storage BFGS
 * (NLOPT_LD_LBFGS, bound-constrained) over the log-hyperparameters, each
 * of its evaluations one outer step (outer.c stores and tracks it).
 *
 * Papers: D. C. Liu, J. Nocedal, "On the limited memory BFGS method for
 * large scale optimization", Math. Programming 45 (1989); Pedregosa 2016
 * (HOAG) notes that quasi-Newton outer steps need accurate gradients, so
 * with L-BFGS the decreasing tolerance matters more than with Adam.
 *
 * Deviations:
 *   1. A non-finite validation loss is handed to NLopt as HUGE_VAL with a
 *      zero gradient, so its line search backs off from it.
 *   2. NLopt may stop before the budget (converged, its line search
 *      failed on inexact gradients, or its first step ran into a flat
 *      region at a bound, where the loss no longer depends on lambda);
 *      it is then restarted from the best point with what is left of the
 *      budget (a fresh Hessian estimate), at most 5 times, and the loop
 *      says so.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <nlopt.h>

#include "outer.h"

static double objective(unsigned n, const double *x, double *grad, void *ud)
{
    hpo__hg_walk *w = ud;
    if (w->rc != HPO_OK || w->evals >= w->o->steps)
        return HUGE_VAL;
    double *g = grad ? grad : calloc(n, sizeof(double));
    if (!g) {
        w->rc = hpo__oom(w->m);
        return HUGE_VAL;
    }
    double val = HUGE_VAL;
    int rc = hpo__hg_walk_eval(w, x, &val, g);
    int bad = !isfinite(val);
    for (unsigned i = 0; i < n; i++)
        bad |= !isfinite(g[i]);
    if (rc != HPO_OK || bad) {
        if (rc != HPO_OK)
            w->rc = rc;
        val = HUGE_VAL;
        for (unsigned i = 0; i < n; i++)
            g[i] = 0;
    }
    if (!grad)
        free(g);
    if (w->rc != HPO_OK || w->evals >= w->o->steps)
        w->res->steps_done = w->evals; /* NLopt stops on its own check */
    return val;
}

/* One NLopt run from h with the budget left; its result code. */
static nlopt_result run_once(hpo__hg_walk *w, double *h)
{
    unsigned n = (unsigned)w->p->n_hyper;
    nlopt_opt opt = nlopt_create(NLOPT_LD_LBFGS, n);
    if (!opt) {
        w->rc = hpo__oom(w->m);
        return NLOPT_OUT_OF_MEMORY;
    }
    nlopt_set_lower_bounds(opt, w->lo);
    nlopt_set_upper_bounds(opt, w->hi);
    nlopt_set_min_objective(opt, objective, w);
    nlopt_set_maxeval(opt, w->o->steps - w->evals);
    nlopt_set_ftol_rel(opt, 1e-10);
    nlopt_set_xtol_rel(opt, 1e-8);
    double f;
    nlopt_result r = nlopt_optimize(opt, h, &f);
    nlopt_destroy(opt);
    return r;
}

int hpo__hg_lbfgs(hpo__hg_walk *w, double *h)
{
    size_t size = sizeof *h * (size_t)w->p->n_hyper;
    for (int restart = 0; restart <= 5; restart++) {
        int before = w->evals;
        nlopt_result r = run_once(w, h);
        if (w->rc != HPO_OK)
            return w->rc;
        if (w->evals >= w->o->steps)
            break;
        hpo__hg_note(w->o, "L-BFGS stopped after %d of %d steps (%s)%s",
                     w->evals, w->o->steps,
                     r > 0 ? "converged" : "its line search failed",
                     w->evals - before > 1 && restart < 5
                         ? "; restarting from the best point" : "");
        if (w->evals - before <= 1)
            break; /* the best point is a stationary point: done */
        memcpy(h, w->best_h, size);
    }
    return HPO_OK;
}
