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
#include <stdlib.h>

#include "../core/study.h"

typedef struct median {
    int64_t n_startup, n_warmup, interval, n_min;
} median;

static int median_init(void *state, hpo__opts *o, hpo__msg *m)
{
    median *p = state;
    *p = (median){.n_startup = 5, .n_warmup = 0, .interval = 1, .n_min = 1};
    int rc = hpo__opts_int(o, "n_startup_trials", &p->n_startup, m);
    if (!rc)
        rc = hpo__opts_int(o, "n_warmup_steps", &p->n_warmup, m);
    if (!rc)
        rc = hpo__opts_int(o, "interval_steps", &p->interval, m);
    if (!rc)
        rc = hpo__opts_int(o, "n_min_trials", &p->n_min, m);
    if (!rc && (p->n_startup < 0 || p->n_warmup < 0 || p->interval < 1 ||
                p->n_min < 1))
        rc = hpo__fail(m, HPO_EINVAL,
                       "median: n_startup_trials and n_warmup_steps >= 0, "
                       "interval_steps and n_min_trials >= 1");
    return rc;
}

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

static int median_prune(void *state, hpo__pruner_ctx *ctx)
{
    median *p = state;
    const hpo__trial_rec *t = ctx->trial;
    if (t->n_inter == 0)
        return 0;
    int64_t step = t->inter[t->n_inter - 1].step;
    if (step < p->n_warmup || (step - p->n_warmup) % p->interval != 0)
        return 0;
    const hpo__trial_rec *h;
    int n;
    int rc = hpo__study_history(ctx->study, &h, &n);
    if (rc)
        return rc;
    hpo_direction dir = hpo_study_direction(ctx->study, 0);
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
    return prune;
}

const hpo__pruner_type hpo__pruner_median = {
    .version = HPO__PRUNER_VERSION,
    .name = "median",
    .summary = "stop a trial worse than the median of completed trials at "
               "the same step",
    .options_help = "n_startup_trials=5 n_warmup_steps=0 interval_steps=1 "
                    "n_min_trials=1",
    .state_size = sizeof(median),
    .init = median_init,
    .prune = median_prune,
};
