/*
 * bohb.c — BOHB (Falkner, Klein, Hutter, "BOHB: Robust and Efficient
 * Hyperparameter Optimization at Scale", ICML 2018): Hyperband's brackets
 * and rungs (hyperband.c), with new configurations proposed by a model fit
 * on the largest budget that has enough observations.
 *
 * The model is the study's sampler; this pruner only chooses what it sees
 * (sampler_view): for the trial being sampled, the trials that reached the
 * largest budget b (a rung step min_resource * reduction_factor^j, j =
 * 0..s_max) at which at least d + 2 trials have a value (d = the number of
 * parameters), each shown COMPLETE with its value at b — so a TPE fits its
 * density ratio on budget b, as BOHB's KDE does; and, with probability
 * random_fraction (1/3, BOHB's rho), or while no budget has enough values,
 * nothing — so the sampler draws at random.  BOHB's model is a
 * multivariate KDE: use it with --sampler tpe:multivariate=true
 * (docs/pruners.md).  Unlike Hyperband's, the view spans every bracket:
 * BOHB's model pools the budgets' observations across brackets.
 */
#include <math.h>

#include "hyperband.h"

/* d: the declared space's size, else the most parameters a trial has. */
static int n_params(hpo_plugin_ctx *ctx, const hpo__trial_rec *h, int n)
{
    const hpo_space *space = hpo_ctx_space(ctx);
    if (space)
        return hpo_space_size(space);
    int d = 0;
    for (int i = 0; i < n; i++)
        d = h[i].n_params > d ? h[i].n_params : d;
    return d;
}

/* How many trials other than the current one have a value at step. */
static int n_at(const hpo__trial_rec *h, int n, int64_t step, int self)
{
    int k = 0;
    double v;
    for (int i = 0; i < n; i++)
        k += h[i].number != self && hpo__value_at_step(&h[i], step, &v) &&
             !isnan(v);
    return k;
}

/* The largest budget with at least need values; 0: none. */
static int64_t model_budget(const hpo__hb_pruner *p, const hpo__trial_rec *h,
                            int n, int need, int self)
{
    int64_t budget = p->hb.min_resource;
    for (int j = 1; j < p->hb.n_brackets; j++)
        budget *= p->hb.eta; /* fits: the brackets were sized to fit */
    for (int j = p->hb.n_brackets - 1; j >= 0; j--, budget /= p->hb.eta)
        if (n_at(h, n, budget, self) >= need)
            return budget;
    return 0;
}

static int bohb_sampler_view(void *state, hpo_plugin_ctx *ctx, int n,
                             unsigned char *keep, double *value)
{
    hpo__hb_pruner *p = state;
    const hpo__trial_rec *h;
    int nh, ready, rc = hpo__hb_update(p, ctx, &h, &nh, &ready);
    if (rc || !ready)
        return rc;
    int self = ctx->trial->number;
    int64_t budget = hpo_ctx_uniform(ctx) < p->random_fraction
                         ? 0
                         : model_budget(p, h, nh, n_params(ctx, h, nh) + 2,
                                        self);
    for (int i = 0; i < n && i < nh; i++) {
        double v;
        keep[i] = budget > 0 && h[i].number != self &&
                  hpo__value_at_step(&h[i], budget, &v) && !isnan(v);
        if (keep[i])
            value[i] = v;
    }
    return HPO_OK;
}

const hpo_pruner_type hpo__pruner_bohb = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "bohb",
             .summary = "BOHB: Hyperband whose sampler sees the largest "
                        "budget with enough values (use tpe:multivariate="
                        "true)",
             .options = hpo__hyperband_options,
             .state_size = sizeof(hpo__hb_pruner),
             .init = hpo__hb_init,
             .destroy = hpo__hb_destroy},
    .should_prune = hpo__hb_should_prune,
    .on_tell = hpo__hb_on_tell,
    .sampler_view = bohb_sampler_view,
};
