/*
 * nsga2.c — the `nsga2` sampler: NSGA-II (Deb, Pratap, Agarwal &
 * Meyarivan 2002, "A fast and elitist multiobjective genetic algorithm:
 * NSGA-II", IEEE TEC 6(2)) as Optuna's NSGAIISampler runs it, on the
 * shared population of generation.h (the loop: nsga_common.c).
 *
 * The front that does not fit whole into the next population is cut by
 * crowding distance: its points in the least crowded places are kept
 * (ties: the earlier in the pool, the parents first), and the distances
 * are stored with the parents for the binary tournament (Deb's crowded
 * comparison).  With one objective the fronts are the values in order and
 * the ends of each front are always kept.
 *
 * Options: population_size (50), crossover=uniform|sbx (uniform, as
 * Optuna 3.1), crossover_prob (0.9), mutation=polynomial|gaussian,
 * mutation_prob (auto: 1 / parameters, at least 0.1), eta_c, eta_m (20),
 * sigma (0.1).
 */
#include <stddef.h>
#include <string.h>

#include "nsga.h"

/* Largest crowding distance first; equal ones in pool order. */
static int cut_by_crowding(nsga_state *st, hpo_plugin_ctx *ctx,
                           const nsga_pool *pool, const int *kept,
                           int n_kept, const int *last, int n_last, int k,
                           hpo__rng *rng, int *out)
{
    (void)st;
    (void)kept;
    (void)n_kept;
    (void)rng;
    hpo__value_index *v = hpo__scratch(ctx, sizeof *v * (size_t)n_last);
    if (!v)
        return hpo__oom(ctx->msg);
    for (int i = 0; i < n_last; i++)
        v[i] = (hpo__value_index){-pool->crowd[last[i]], i};
    hpo__sort_by_value(v, n_last);
    for (int i = 0; i < k; i++)
        out[i] = last[v[i].index];
    return HPO_OK;
}

static const hpo__gen_ops nsga2_gen = {"nsga2", hpo__nsga_first,
                                       hpo__nsga_ready, hpo__nsga_next, NULL};

static int nsga2_init(void *state, hpo_plugin_ctx *ctx)
{
    nsga_state *st = state;
    st->gen_ops = &nsga2_gen;
    st->cut = cut_by_crowding;
    st->crowding = 1;
    return hpo__nsga_init(st, ctx);
}

static const hpo_option nsga2_options[] = {
    NSGA_OPTIONS("50", 0),
    {0},
};

const hpo_sampler_type hpo__sampler_nsga2 = {
    .head = {HPO_PLUGIN_VERSION, "nsga2",
             "NSGA-II: elitist evolution by non-dominated fronts and "
             "crowding distance, the population shared through storage",
             nsga2_options, sizeof(nsga_state), nsga2_init,
             hpo__nsga_destroy},
    .infer_relative_space = hpo__nsga_infer,
    .sample_relative = hpo__nsga_sample,
    .sample_independent = hpo__sample_independent_uniform,
};
