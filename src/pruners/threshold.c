/*
 * threshold.c — Optuna's ThresholdPruner: stop a trial whose latest
 * intermediate value leaves [lower, upper] or is NaN (a diverged loss).
 *
 * Options as Optuna's: lower, upper (at least one; `auto`, the default,
 * means no bound on that side), n_warmup_steps (0), interval_steps (1).
 * Judged at the trial's last step with Optuna's warm-up / interval rule.
 */
#include <math.h>
#include <stddef.h>

#include "pruner.h"

typedef struct threshold {
    double lower, upper;
    int64_t n_warmup, interval;
} threshold;

static const hpo_option threshold_options[] = {
    {"lower", HPO_OPTION_FLOAT, "auto", -INFINITY, INFINITY, NULL,
     "prune a value below this (auto: no lower bound)",
     offsetof(threshold, lower), HPO_OPTION_AUTO},
    {"upper", HPO_OPTION_FLOAT, "auto", -INFINITY, INFINITY, NULL,
     "prune a value above this (auto: no upper bound)",
     offsetof(threshold, upper), HPO_OPTION_AUTO},
    {"n_warmup_steps", HPO_OPTION_INT, "0", 0, INFINITY, NULL,
     "steps of each trial never pruned", offsetof(threshold, n_warmup), 0},
    {"interval_steps", HPO_OPTION_INT, "1", 1, INFINITY, NULL,
     "judge every this many steps after the warm-up",
     offsetof(threshold, interval), 0},
    {0},
};

static int threshold_init(void *state, hpo_plugin_ctx *ctx)
{
    threshold *p = state;
    if (isnan(p->lower) && isnan(p->upper))
        return hpo_ctx_fail(ctx, HPO_EINVAL,
                            "threshold: give lower, upper or both, as in "
                            "threshold:upper=1.5");
    if (isnan(p->lower))
        p->lower = -INFINITY;
    if (isnan(p->upper))
        p->upper = INFINITY;
    if (p->lower > p->upper)
        return hpo_ctx_fail(ctx, HPO_EINVAL,
                            "threshold: lower=%g is above upper=%g", p->lower,
                            p->upper);
    return HPO_OK;
}

static int threshold_should_prune(void *state, hpo_plugin_ctx *ctx,
                                  hpo_verdict *verdict)
{
    threshold *p = state;
    int64_t step;
    double v;
    if (hpo__last_step(ctx->trial, &step, &v) &&
        hpo__judged_at(ctx->trial, step, p->n_warmup, p->interval) &&
        (isnan(v) || v < p->lower || v > p->upper))
        *verdict = HPO_VERDICT_PRUNE;
    return HPO_OK;
}

const hpo_pruner_type hpo__pruner_threshold = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "threshold",
             .summary = "stop a trial whose latest value leaves [lower, "
                        "upper] or is NaN",
             .options = threshold_options,
             .state_size = sizeof(threshold),
             .init = threshold_init},
    .should_prune = threshold_should_prune,
};
