/*
 * median.c — the median stopping rule (Golovin et al., "Google Vizier: A
 * Service for Black-Box Optimization", KDD 2017, §3.2.2), in the form of
 * Optuna's MedianPruner: stop a trial whose best intermediate value so far
 * is worse than the median of the COMPLETE trials' values at the same step.
 *
 * Options: n_startup_trials (5) COMPLETE trials before any pruning;
 * n_warmup_steps (0) steps of each trial never pruned; interval_steps (1);
 * n_min_trials (1) trials with a value at the step needed to judge.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "pruner.h"

typedef struct median {
    int64_t n_startup, n_warmup, interval, n_min;
} median;

static const hpo_option median_options[] = {
    {"n_startup_trials", HPO_OPTION_INT, "5", 0, INFINITY, NULL,
     "COMPLETE trials before any pruning", offsetof(median, n_startup), 0},
    {"n_warmup_steps", HPO_OPTION_INT, "0", 0, INFINITY, NULL,
     "steps of each trial never pruned", offsetof(median, n_warmup), 0},
    {"interval_steps", HPO_OPTION_INT, "1", 1, INFINITY, NULL,
     "judge every this many steps after the warm-up",
     offsetof(median, interval), 0},
    {"n_min_trials", HPO_OPTION_INT, "1", 1, INFINITY, NULL,
     "trials with a value at the step needed to judge",
     offsetof(median, n_min), 0},
    {0},
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int value_at(const hpo__trial_rec *t, int64_t step, double *v)
{
    for (int i = 0; i < t->n_inter; i++)
        if (t->inter[i].step == step) {
            *v = t->inter[i].value;
            return !isnan(*v);
        }
    return 0;
}

/* The trial's best value over its steps so far, in the study's direction. */
static double best_so_far(const hpo__trial_rec *t, hpo_direction d)
{
    double best = NAN;
    for (int i = 0; i < t->n_inter; i++) {
        double v = t->inter[i].value;
        if (!isnan(v) && (isnan(best) || hpo__better(d, v, best)))
            best = v;
    }
    return best;
}

static int median_should_prune(void *state, hpo_plugin_ctx *ctx,
                               hpo_verdict *verdict)
{
    median *p = state;
    const hpo__trial_rec *t = ctx->trial;
    if (t->n_inter == 0)
        return HPO_OK;
    int64_t step = t->inter[t->n_inter - 1].step;
    if (step < p->n_warmup || (step - p->n_warmup) % p->interval != 0)
        return HPO_OK;
    const hpo__trial_rec *h;
    int n;
    int rc = hpo__ctx_history(ctx, &h, &n);
    if (rc)
        return rc;
    hpo_direction dir = hpo_ctx_direction(ctx, 0);
    double *vals = malloc(((size_t)n + 1) * sizeof *vals);
    if (!vals)
        return hpo__oom(ctx->msg);
    int n_complete = 0, k = 0;
    for (int i = 0; i < n; i++) {
        if (h[i].state != HPO_COMPLETE)
            continue;
        n_complete++;
        if (value_at(&h[i], step, &vals[k]))
            k++;
    }
    int prune = 0;
    double best = best_so_far(t, dir);
    if (n_complete >= p->n_startup && k >= p->n_min) {
        qsort(vals, (size_t)k, sizeof *vals, cmp_double);
        double med = k % 2 ? vals[k / 2] : 0.5 * (vals[k / 2 - 1] + vals[k / 2]);
        prune = isnan(best) || hpo__better(dir, med, best);
    }
    free(vals);
    *verdict = prune ? HPO_VERDICT_PRUNE : HPO_VERDICT_CONTINUE;
    return HPO_OK;
}

const hpo_pruner_type hpo__pruner_median = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "median",
             .summary = "stop a trial worse than the median of completed "
                        "trials at the same step",
             .options = median_options,
             .state_size = sizeof(median)},
    .should_prune = median_should_prune,
};
