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
 * min_early_stopping_rate (0), bootstrap_count (0).  hpo's own:
 * rank_check_trials and min_rank_correlation, the gate of rank_gate.h (a
 * rung prunes only once it ranks the COMPLETE trials as their final
 * values do; off by default, on in the `auto` pruner) and witness_every
 * (its witness trials); the rungs it trusts are shown in the study system
 * attribute "hpo:successive_halving:first_pruning_rung".
 */
#include <math.h>
#include <stddef.h>

#include <stdio.h>

#include "rank_gate.h"

#define MIN_RESOURCE_KEY "hpo:successive_halving:min_resource"
#define FIRST_RUNG_KEY "hpo:successive_halving:first_pruning_rung"

typedef struct sh_pruner {
    int64_t min_resource_opt, eta, rate, bootstrap, gate_trials, witness_every;
    double gate_correlation;
    hpo__sha sha; /* min_resource 0 until known */
    hpo__rung_index ix;
    hpo__rank_gate gate;
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
    {"rank_check_trials", HPO_OPTION_INT, "0", 0, INFINITY, NULL,
     "COMPLETE trials with a value at a rung before it may prune, and only "
     "if it ranks them as their final values do (0: no check)",
     offsetof(sh_pruner, gate_trials), 0},
    {"min_rank_correlation", HPO_OPTION_FLOAT, "0", -1, 1, NULL,
     "what the 95% lower confidence bound of the Spearman correlation "
     "between a rung's and the final values, over the better half of those "
     "trials, must exceed for the rung to prune",
     offsetof(sh_pruner, gate_correlation), 0},
    {"witness_every", HPO_OPTION_INT, "3", 0, INFINITY, NULL,
     "with the rank check, trials whose number is a multiple of this are "
     "never pruned, so that the check keeps unselected evidence (0: none)",
     offsetof(sh_pruner, witness_every), 0},
    {0},
};

static int sh_init(void *state, hpo_plugin_ctx *ctx)
{
    sh_pruner *p = state;
    hpo__rank_gate_init(&p->gate, p->gate_trials, p->gate_correlation);
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
    hpo__rank_gate_free(&((sh_pruner *)state)->gate);
}

/* Show the rungs the gate trusts, for the user and every worker's log:
 * {"rung": k, "step": s, "rank_correlation": rho, "trials": n}, or
 * {"rung": null} while none is. */
static int show_first_rung(const sh_pruner *p, hpo_plugin_ctx *ctx, int k)
{
    char json[160], rho[40];
    int64_t step = 0;
    hpo__msg ignored = {0};
    int unknown = k >= HPO__MAX_RUNGS ||
                  hpo__sha_rung_step(&p->sha, k, &step, &ignored) != HPO_OK;
    hpo__msg_free(&ignored);
    if (unknown)
        return hpo_ctx_set_study_attr(ctx, FIRST_RUNG_KEY, "{\"rung\": null}");
    hpo__format_double(rho, sizeof rho, p->gate.correlation[k]);
    snprintf(json, sizeof json,
             "{\"rung\": %d, \"step\": %lld, \"rank_correlation\": %s, "
             "\"trials\": %d}",
             k, (long long)step, rho, p->gate.pairs[k].n);
    hpo_ctx_log(ctx, 1, "successive_halving: rungs from step %lld "
                "on may prune (rank correlation %s over %d trials)",
                (long long)step, rho, p->gate.pairs[k].n);
    return hpo_ctx_set_study_attr(ctx, FIRST_RUNG_KEY, json);
}

/* The decision at the rungs; with the rank check, only trusted rungs
 * prune, a witness trial never, and a trial a rung chose is marked so
 * that the check leaves it out (rank_gate.h). */
static int judge(sh_pruner *p, int first_trusted, const hpo__trial_rec *h,
                 hpo_plugin_ctx *ctx, hpo_verdict *verdict)
{
    if (p->gate_trials == 0)
        return hpo__asha_judge(&p->ix, 0, &p->sha, p->bootstrap, NULL, h,
                               ctx, verdict);
    const hpo__trial_rec *t = ctx->trial;
    int witness = p->witness_every > 0 &&
                  hpo_record_number(t) % p->witness_every == 0;
    hpo__rung_limits lim = {witness ? HPO__MAX_RUNGS : first_trusted,
                            p->gate.end_step, 0};
    int rc = hpo__asha_judge(&p->ix, 0, &p->sha, p->bootstrap, &lim, h, ctx,
                             verdict);
    if (!rc && lim.selected && !hpo_record_system_attr(t, HPO__SELECTED_KEY))
        rc = hpo_ctx_set_trial_attr(ctx, HPO__SELECTED_KEY, "true");
    return rc;
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
    int first = 0, changed = 0;
    rc = hpo__rung_index_update(&p->ix, h, n, NULL, NULL, ctx->msg);
    if (!rc)
        rc = hpo__rank_gate_update(&p->gate, h, n, &p->sha,
                                   hpo_ctx_direction(ctx, 0), &first,
                                   &changed, ctx->msg);
    if (!rc && changed)
        rc = show_first_rung(p, ctx, first);
    return rc ? rc : judge(p, first, h, ctx, verdict);
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
