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

#include "pruner.h"

/* median.c reads the table from its second row: no percentile there. */
const hpo_option hpo__percentile_options[] = {
    {"percentile", HPO_OPTION_FLOAT, NULL, 0, 100, NULL,
     "prune below this percentile of the completed trials (best-first, "
     "0..100)",
     offsetof(hpo__percentile, percentile), HPO_OPTION_REQUIRED},
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

void hpo__percentile_destroy(void *state)
{
    hpo__step_percentile_free(&((hpo__percentile *)state)->sp);
}

/* The percentile of the COMPLETE trials' non-NaN values at step; NaN when
 * fewer than n_min trials reported there (Optuna counts NaN reports). */
static int percentile_at(hpo__percentile *p, hpo_plugin_ctx *ctx,
                         int64_t step, double *out)
{
    if (!p->sp_ready) { /* best-first: the low end when maximizing */
        double q = hpo_ctx_direction(ctx, 0) == HPO_MAXIMIZE
                       ? 100 - p->percentile
                       : p->percentile;
        hpo__step_percentile_init(&p->sp, q);
        p->sp_ready = 1;
    }
    int rc = hpo__step_percentile_update(&p->sp, ctx);
    if (rc)
        return rc;
    int count;
    *out = hpo__step_percentile_at(&p->sp, step, &count);
    if (count < p->n_min)
        *out = NAN;
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
    if (rc || p->sp.n_complete == 0 || p->sp.n_complete < p->n_startup)
        return rc;
    hpo_direction dir = hpo_ctx_direction(ctx, 0);
    double best = hpo__best_so_far(t, dir);
    if (isnan(best) || (!isnan(cut) && hpo__better(dir, cut, best)))
        *verdict = HPO_VERDICT_PRUNE;
    return HPO_OK;
}

const hpo_pruner_type hpo__pruner_percentile = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "percentile",
             .summary = "stop a trial worse than a percentile of completed "
                        "trials at the same step",
             .options = hpo__percentile_options,
             .state_size = sizeof(hpo__percentile),
             .destroy = hpo__percentile_destroy},
    .should_prune = hpo__percentile_should_prune,
};
