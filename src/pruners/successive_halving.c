/*
 * successive_halving.c — asynchronous successive halving (ASHA: Li et al.,
 * "A System for Massively Parallel Hyperparameter Tuning", MLSys 2020) in
 * the form of Optuna 3.1's SuccessiveHalvingPruner: rung k is complete at
 * step min_resource * reduction_factor^(min_early_stopping_rate + k); a
 * trial reaching it records its value there ("completed_rung_<k>", read by
 * Python Optuna too) and goes on only if it is among the best
 * 1/reduction_factor of the values recorded at that rung by every trial
 * of the study, on every worker (rung_index.c; halving.c has the rule).
 *
 * Options as Optuna's: min_resource (auto: max(last step of the first
 * COMPLETE trial / 100, 1), kept in the study system attribute
 * "hpo:successive_halving:min_resource" so that every worker uses the
 * same; no pruning before it is known), reduction_factor (4),
 * min_early_stopping_rate (0), bootstrap_count (0).
 */
#include <math.h>
#include <stddef.h>

#include "rung_index.h"

#define MIN_RESOURCE_KEY "hpo:successive_halving:min_resource"

typedef struct sh_pruner {
    int64_t min_resource_opt, eta, rate, bootstrap;
    hpo__sha sha; /* min_resource 0 until known */
    hpo__rung_index ix;
} sh_pruner;

static const hpo_option sh_options[] = {
    {"min_resource", HPO_OPTION_INT, "auto", 1, INFINITY, NULL,
     "steps of the first rung (auto: the first COMPLETE trial's last step "
     "/ 100)",
     offsetof(sh_pruner, min_resource_opt), HPO_OPTION_AUTO},
    {"reduction_factor", HPO_OPTION_INT, "4", 2, INFINITY, NULL,
     "1 / the fraction of trials promoted at each rung",
     offsetof(sh_pruner, eta), 0},
    {"min_early_stopping_rate", HPO_OPTION_INT, "0", 0, 62, NULL,
     "rungs skipped: rung k ends at min_resource * reduction_factor^(rate "
     "+ k)",
     offsetof(sh_pruner, rate), 0},
    {"bootstrap_count", HPO_OPTION_INT, "0", 0, INFINITY, NULL,
     "trials at a rung before any is promoted",
     offsetof(sh_pruner, bootstrap), 0},
    {0},
};

static int sh_init(void *state, hpo_plugin_ctx *ctx)
{
    sh_pruner *p = state;
    if (p->min_resource_opt != HPO_AUTO_INT) {
        int rc = hpo__sha_init(&p->sha, p->min_resource_opt, p->eta, p->rate,
                               ctx->msg);
        if (rc)
            return rc;
    }
    return hpo__rung_index_init(&p->ix, 1, ctx->msg);
}

static void sh_destroy(void *state)
{
    hpo__rung_index_free(&((sh_pruner *)state)->ix);
}

/* `auto`: the first COMPLETE trial's estimate, shared through the study. */
static int fix_min_resource(sh_pruner *p, hpo_plugin_ctx *ctx,
                            int64_t largest_step)
{
    hpo__msg *m = ctx->msg;
    int64_t estimate = 0, min_resource;
    int rc = largest_step < 0 ? HPO_OK
                              : hpo__sha_auto_min_resource(&largest_step, 1,
                                                           &estimate, m);
    if (!rc)
        rc = hpo__shared_resource(ctx, MIN_RESOURCE_KEY, estimate,
                                  &min_resource);
    if (!rc && min_resource > 0)
        rc = hpo__sha_init(&p->sha, min_resource, p->eta, p->rate, m);
    return rc;
}

static int sh_should_prune(void *state, hpo_plugin_ctx *ctx,
                           hpo_verdict *verdict)
{
    sh_pruner *p = state;
    const hpo__trial_rec *h;
    int n, rc = hpo__need_one_objective(ctx, "successive_halving");
    if (!rc)
        rc = hpo__ctx_history(ctx, &h, &n);
    if (!rc && p->sha.min_resource == 0)
        rc = fix_min_resource(p, ctx, hpo__largest_complete_step(h, n));
    if (rc || p->sha.min_resource == 0)
        return rc;
    rc = hpo__rung_index_update(&p->ix, h, n, NULL, NULL, ctx->msg);
    return rc ? rc
              : hpo__asha_judge(&p->ix, 0, &p->sha, p->bootstrap, h, ctx,
                                verdict);
}

/* The first COMPLETE trial fixes `auto` as soon as it is told. */
static int sh_on_tell(void *state, hpo_plugin_ctx *ctx,
                      hpo_trial_state final_state, const double *values,
                      int n)
{
    (void)values, (void)n;
    sh_pruner *p = state;
    int64_t step;
    double v;
    if (p->sha.min_resource || final_state != HPO_COMPLETE ||
        !hpo__last_step(ctx->trial, &step, &v))
        return HPO_OK;
    return fix_min_resource(p, ctx, step);
}

const hpo_pruner_type hpo__pruner_successive_halving = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "successive_halving",
             .summary = "asynchronous successive halving (ASHA): go on "
                        "only among the best 1/reduction_factor at each rung",
             .options = sh_options,
             .state_size = sizeof(sh_pruner),
             .init = sh_init,
             .destroy = sh_destroy},
    .should_prune = sh_should_prune,
    .on_tell = sh_on_tell,
};
