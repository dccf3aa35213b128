/*
 * steps.c — a trial's intermediate values as Optuna's pruners read them:
 * its last step (the largest, Optuna's `last_step`), the value at a step,
 * the best value so far, and the warm-up / interval rule every stopping
 * rule shares.
 */
#include <math.h>

#include "pruner.h"

int hpo__last_step(const hpo__trial_rec *t, int64_t *step, double *value)
{
    int at = -1;
    for (int i = 0; i < t->n_inter; i++)
        if (at < 0 || t->inter[i].step > t->inter[at].step)
            at = i;
    if (at < 0)
        return 0;
    *step = t->inter[at].step;
    *value = t->inter[at].value;
    return 1;
}

int hpo__value_at_step(const hpo__trial_rec *t, int64_t step, double *v)
{
    for (int i = 0; i < t->n_inter; i++)
        if (t->inter[i].step == step) {
            *v = t->inter[i].value;
            return 1;
        }
    return 0;
}

double hpo__best_so_far(const hpo__trial_rec *t, hpo_direction d)
{
    double best = NAN;
    for (int i = 0; i < t->n_inter; i++) {
        double v = t->inter[i].value;
        if (!isnan(v) && (isnan(best) || hpo__better(d, v, best)))
            best = v;
    }
    return best;
}

/* Optuna's _is_first_in_interval_step: judge at `step` when no earlier
 * report of the trial lies at or after the latest pruning step
 * warmup + k * interval <= step, so a trial that skips steps is still
 * judged once per interval. */
int hpo__judged_at(const hpo__trial_rec *t, int64_t step, int64_t warmup,
                   int64_t interval)
{
    if (step < warmup)
        return 0;
    int64_t lower = (step - warmup) / interval * interval + warmup;
    int64_t second_last = -1;
    for (int i = 0; i < t->n_inter; i++) {
        int64_t s = t->inter[i].step;
        if (s != step && s > second_last)
            second_last = s;
    }
    return second_last < lower;
}
