/*
 * percentile.c — Optuna's PercentilePruner: stop a trial whose best
 * intermediate value so far is worse than the given percentile of the
 * COMPLETE trials' values at the same step (the median stopping rule of
 * Golovin et al., "Google Vizier", KDD 2017, generalised; median.c is its
 * 50th percentile).
 *
 * Options as Optuna's: percentile (required, 0..100: 25 keeps the best
 * quarter), n_startup_trials (5), n_warmup_steps (0), interval_steps (1),
 * n_min_trials (1).  Rules as Optuna 3.1's: no pruning before the first
 * COMPLETE trial; a trial whose values are all NaN is pruned; the
 * percentile is numpy's (linear interpolation) over the non-NaN values at
 * the step.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "halving.h"
#include "pruner.h"

/* median.c reads the table from its second row: no percentile there. */
const hpo_option hpo__percentile_options[] = {
    {"percentile", HPO_OPTION_FLOAT, "auto", 0, 100, NULL,
     "required: prune below this percentile of the completed trials "
     "(best-first, 0..100)",
     offsetof(hpo__percentile, percentile), HPO_OPTION_AUTO},
    {"n_startup_trials", HPO_OPTION_INT, "5", 0, INFINITY, NULL,
     "COMPLETE trials before any pruning",
     offsetof(hpo__percentile, n_startup), 0},
    {"n_warmup_steps", HPO_OPTION_INT, "0", 0, INFINITY, NULL,
     "steps of each trial never pruned", offsetof(hpo__percentile, n_warmup),
     0},
    {"interval_steps", HPO_OPTION_INT, "1", 1, INFINITY, NULL,
     "judge every this many steps after the warm-up",
     offsetof(hpo__percentile, interval), 0},
    {"n_min_trials", HPO_OPTION_INT, "1", 1, INFINITY, NULL,
     "trials with a value at the step needed to judge",
     offsetof(hpo__percentile, n_min), 0},
    {0},
};

struct hpo__step_values {
    int64_t step;
    hpo__rung r; /* sorted */
};

/* The position of step in p->steps, or where it would go. */
static int step_slot(const hpo__percentile *p, int64_t step)
{
    int lo = 0, hi = p->n_steps;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (p->steps[mid].step < step)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int add_value(hpo__percentile *p, int64_t step, double v, hpo__msg *m)
{
    int at = step_slot(p, step);
    if (at == p->n_steps || p->steps[at].step != step) {
        if (hpo__grow((void **)&p->steps, &p->cap_steps, p->n_steps + 1,
                      sizeof *p->steps))
            return hpo__oom(m);
        memmove(p->steps + at + 1, p->steps + at,
                (size_t)(p->n_steps - at) * sizeof *p->steps);
        p->steps[at] = (hpo__step_values){.step = step};
        p->n_steps++;
    }
    return hpo__rung_add(&p->steps[at].r, v, m);
}

/* A finished trial, once: a COMPLETE one's values join their steps. */
static int fold(void *arg, const hpo__trial_rec *t, int at)
{
    (void)at;
    hpo__percentile *p = arg;
    if (t->state != HPO_COMPLETE)
        return HPO_OK;
    p->n_complete++;
    hpo__msg m = {0};
    int rc = HPO_OK;
    for (int i = 0; i < t->n_inter && rc == HPO_OK; i++)
        if (!isnan(t->inter[i].value))
            rc = add_value(p, t->inter[i].step, t->inter[i].value, &m);
    hpo__msg_free(&m); /* only out of memory can fail here */
    return rc;
}

void hpo__percentile_destroy(void *state)
{
    hpo__percentile *p = state;
    for (int i = 0; i < p->n_steps; i++)
        hpo__rung_free(&p->steps[i].r);
    free(p->steps);
    hpo__watermark_free(&p->w);
}

/* numpy.percentile's default (linear) of sorted v[0..k-1], k >= 1. */
static double percentile_of(const double *v, int k, double q)
{
    double pos = q / 100.0 * (k - 1);
    int lo = (int)floor(pos);
    int hi = lo + 1 < k ? lo + 1 : lo;
    return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

/* The percentile of the COMPLETE trials' non-NaN values at step; NaN when
 * fewer than n_min trials have one. */
static int percentile_at(hpo__percentile *p, hpo_plugin_ctx *ctx,
                         int64_t step, double *out)
{
    const hpo__trial_rec *h;
    int n, rc = hpo__ctx_history(ctx, &h, &n);
    if (!rc)
        rc = hpo__watermark_update(&p->w, h, n, fold, p, ctx->msg);
    if (rc)
        return rc == HPO_ENOMEM ? hpo__oom(ctx->msg) : rc;
    int at = step_slot(p, step);
    const hpo__rung *r = at < p->n_steps && p->steps[at].step == step
                             ? &p->steps[at].r
                             : NULL;
    *out = NAN;
    if (r && r->n >= p->n_min && r->n > 0) {
        double q = hpo_ctx_direction(ctx, 0) == HPO_MAXIMIZE
                       ? 100 - p->percentile
                       : p->percentile;
        *out = percentile_of(r->v, r->n, q);
    }
    return HPO_OK;
}

int hpo__percentile_should_prune(void *state, hpo_plugin_ctx *ctx,
                                 hpo_verdict *verdict)
{
    hpo__percentile *p = state;
    const hpo__trial_rec *t = ctx->trial;
    int64_t step;
    double last;
    if (!hpo__last_step(t, &step, &last) ||
        !hpo__judged_at(t, step, p->n_warmup, p->interval))
        return HPO_OK;
    double cut = NAN;
    int rc = percentile_at(p, ctx, step, &cut);
    if (rc || p->n_complete == 0 || p->n_complete < p->n_startup)
        return rc;
    hpo_direction dir = hpo_ctx_direction(ctx, 0);
    double best = hpo__best_so_far(t, dir);
    if (isnan(best) || (!isnan(cut) && hpo__better(dir, cut, best)))
        *verdict = HPO_VERDICT_PRUNE;
    return HPO_OK;
}

static int percentile_init(void *state, hpo_plugin_ctx *ctx)
{
    hpo__percentile *p = state;
    if (isnan(p->percentile))
        return hpo_ctx_fail(ctx, HPO_EINVAL,
                            "percentile: option percentile is required "
                            "(0..100), as in percentile:percentile=25");
    return HPO_OK;
}

const hpo_pruner_type hpo__pruner_percentile = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "percentile",
             .summary = "stop a trial worse than a percentile of completed "
                        "trials at the same step",
             .options = hpo__percentile_options,
             .state_size = sizeof(hpo__percentile),
             .init = percentile_init,
             .destroy = hpo__percentile_destroy},
    .should_prune = hpo__percentile_should_prune,
};
