/*
 * median.c — the median stopping rule (Golovin et al., "Google Vizier: A
 * Service for Black-Box Optimization", KDD 2017, §3.2.2), in the form of
 * Optuna's MedianPruner: stop a trial whose best intermediate value so far
 * is worse than the median of the COMPLETE trials' values at the same step.
 * As in Optuna, it is the percentile rule (percentile.c) at 50.
 *
 * Options: n_startup_trials (5) COMPLETE trials before any pruning;
 * n_warmup_steps (0) steps of each trial never pruned; interval_steps (1);
 * n_min_trials (1) trials with a value at the step needed to judge.
 */
#include "pruner.h"

static int median_init(void *state, hpo_plugin_ctx *ctx)
{
    (void)ctx;
    ((hpo__percentile *)state)->percentile = 50;
    return HPO_OK;
}

const hpo_pruner_type hpo__pruner_median = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "median",
             .summary = "stop a trial worse than the median of completed "
                        "trials at the same step",
             .options = &hpo__percentile_options[1],
             .state_size = sizeof(hpo__percentile),
             .init = median_init,
             .destroy = hpo__percentile_destroy},
    .should_prune = hpo__percentile_should_prune,
};
