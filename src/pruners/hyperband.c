/*
 * hyperband.c — Hyperband (Li et al., "Hyperband: A Novel Bandit-Based
 * Approach to Hyperparameter Optimization", JMLR 18(185), 2018) in the
 * form of Optuna 3.1's HyperbandPruner: s_max + 1 brackets, bracket b an
 * asynchronous successive halving with min_early_stopping_rate b; a trial
 * goes to a bracket by crc32("<study name>_<number>"), the same on every
 * worker, and competes only with its bracket's trials; the sampler of a
 * trial sees only its bracket's trials (Optuna's _BracketStudy), so a
 * model-based sampler models one bracket's budget schedule.
 *
 * Options as Optuna's: min_resource (1), max_resource (auto: the first
 * COMPLETE trial's last step + 1, kept in the study system attribute
 * "hpo:hyperband:max_resource" for every worker; no pruning and no
 * brackets before it is known), reduction_factor (3), bootstrap_count (0).
 * s_max is the paper's floor(log_eta(R / r)) computed exactly (halving.c;
 * docs/pruners.md says where Optuna's floating log differs).  As in
 * Optuna, rungs go on past max_resource: a trial stops when the objective
 * stops reporting (no HPO_VERDICT_FINISH).
 */
#include <math.h>
#include <stddef.h>

#include "hyperband.h"

#define MAX_RESOURCE_KEY "hpo:hyperband:max_resource"

/* bohb.c reads the table whole; hyperband from its second row. */
const hpo_option hpo__hyperband_options[] = {
    {"random_fraction", HPO_OPTION_FLOAT, "0.3333333333333333", 0, 1, NULL,
     "the share of trials sampled at random (the sampler is shown nothing)",
     offsetof(hpo__hb_pruner, random_fraction), 0},
    {"min_resource", HPO_OPTION_INT, "1", 1, INFINITY, NULL,
     "steps of the first rung of the most aggressive bracket",
     offsetof(hpo__hb_pruner, min_resource), 0},
    {"max_resource", HPO_OPTION_INT, "auto", 1, INFINITY, NULL,
     "steps of a full trial: sets the number of brackets (auto: the first "
     "COMPLETE trial's last step + 1)",
     offsetof(hpo__hb_pruner, max_resource), HPO_OPTION_AUTO},
    {"reduction_factor", HPO_OPTION_INT, "3", 2, INFINITY, NULL,
     "1 / the fraction of trials promoted at each rung",
     offsetof(hpo__hb_pruner, eta), 0},
    {"bootstrap_count", HPO_OPTION_INT, "0", 0, INFINITY, NULL,
     "trials at a rung before any is promoted",
     offsetof(hpo__hb_pruner, bootstrap), 0},
    {0},
};

static int make_brackets(hpo__hb_pruner *p, int64_t max_resource, hpo__msg *m)
{
    int rc = hpo__hyperband_init(&p->hb, p->min_resource, max_resource, p->eta,
                                 m);
    if (!rc)
        rc = hpo__rung_index_init(&p->ix, p->hb.n_brackets, m);
    if (rc)
        p->hb.n_brackets = 0;
    return rc;
}

int hpo__hb_init(void *state, hpo_plugin_ctx *ctx)
{
    hpo__hb_pruner *p = state;
    if (p->max_resource == HPO_AUTO_INT)
        return HPO_OK;
    return make_brackets(p, p->max_resource, ctx->msg);
}

void hpo__hb_destroy(void *state)
{
    hpo__rung_index_free(&((hpo__hb_pruner *)state)->ix);
}

/* `auto`: from the largest last step of a COMPLETE trial (-1: none yet),
 * shared through the study. */
static int fix_max_resource(hpo__hb_pruner *p, hpo_plugin_ctx *ctx,
                            int64_t largest_step)
{
    int64_t estimate = 0, max_resource;
    int rc = largest_step < 0
                 ? HPO_OK
                 : hpo__hyperband_auto_max_resource(&largest_step, 1,
                                                    &estimate, ctx->msg);
    if (!rc)
        rc = hpo__shared_resource(ctx, MAX_RESOURCE_KEY, estimate,
                                  &max_resource);
    if (!rc && max_resource > 0)
        rc = make_brackets(p, max_resource, ctx->msg);
    return rc;
}

static int bracket_of(void *arg, const hpo__trial_rec *t)
{
    hpo__hb_pruner *p = arg;
    return hpo__hyperband_bracket_id(&p->hb, p->study_name, t->number);
}

int hpo__hb_update(hpo__hb_pruner *p, hpo_plugin_ctx *ctx,
                     const hpo__trial_rec **h, int *n, int *ready)
{
    int rc = hpo__ctx_history(ctx, h, n);
    if (!rc && p->hb.n_brackets == 0)
        rc = fix_max_resource(p, ctx, hpo__largest_complete_step(*h, *n));
    *ready = rc == HPO_OK && p->hb.n_brackets > 0;
    if (!*ready)
        return rc;
    p->study_name = hpo_ctx_study_name(ctx);
    return hpo__rung_index_update(&p->ix, *h, *n, bracket_of, p, ctx->msg);
}

int hpo__hb_should_prune(void *state, hpo_plugin_ctx *ctx,
                           hpo_verdict *verdict)
{
    hpo__hb_pruner *p = state;
    const hpo__trial_rec *h;
    int n, ready, rc = hpo__need_one_objective(ctx, "hyperband");
    if (!rc)
        rc = hpo__hb_update(p, ctx, &h, &n, &ready);
    if (rc || !ready)
        return rc;
    int b = bracket_of(p, ctx->trial);
    hpo__sha sha;
    hpo__hyperband_sha(&p->hb, b, &sha);
    return hpo__asha_judge(&p->ix, b, &sha, p->bootstrap, NULL, h, ctx,
                           verdict);
}

/* The sampler of a trial sees its bracket only (all before the brackets
 * are known, as in Optuna). */
static int hb_sampler_view(void *state, hpo_plugin_ctx *ctx, int n,
                           unsigned char *keep, double *value)
{
    (void)value;
    hpo__hb_pruner *p = state;
    const hpo__trial_rec *h;
    int nh, ready, rc = hpo__hb_update(p, ctx, &h, &nh, &ready);
    if (rc || !ready)
        return rc;
    int b = bracket_of(p, ctx->trial);
    for (int i = 0; i < n && i < nh; i++)
        keep[i] = p->ix.group[i] == b;
    return HPO_OK;
}

int hpo__hb_on_tell(void *state, hpo_plugin_ctx *ctx,
                      hpo_trial_state final_state, const double *values,
                      int n)
{
    (void)values, (void)n;
    hpo__hb_pruner *p = state;
    int64_t step;
    double v;
    if (p->hb.n_brackets || final_state != HPO_COMPLETE ||
        !hpo__last_step(ctx->trial, &step, &v))
        return HPO_OK;
    return fix_max_resource(p, ctx, step);
}

const hpo_pruner_type hpo__pruner_hyperband = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "hyperband",
             .summary = "Hyperband: brackets of successive halving, each "
                        "trial in one by a hash; the sampler sees its bracket",
             .options = &hpo__hyperband_options[1],
             .state_size = sizeof(hpo__hb_pruner),
             .init = hpo__hb_init,
             .destroy = hpo__hb_destroy},
    .should_prune = hpo__hb_should_prune,
    .on_tell = hpo__hb_on_tell,
    .sampler_view = hb_sampler_view,
};
