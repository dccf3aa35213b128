/*
 * random.c — independent uniform sampling (Bergstra & Bengio, "Random
 * Search for Hyper-Parameter Optimization", JMLR 2012).
 *
 * Uniform in the internal value for linear axes, in log space for log
 * axes, and uniform over the legal values of ints, steps and categoricals.
 * The draw comes from the trial's own stream (seed, trial number).
 */
#include <math.h>

#include "sampler.h"

double hpo__sample_uniform(const hpo__dist *d, hpo__rng *rng)
{
    if (d->kind == HPO__CATEGORICAL)
        return (double)hpo__rng_below(rng, (uint64_t)d->n_choices);
    if (d->kind == HPO__INT && !d->log) {
        uint64_t n = (uint64_t)hpo__dist_cardinality(d);
        return d->low + (double)hpo__rng_below(rng, n) * d->step;
    }
    if (d->kind == HPO__FLOAT && d->step > 0) {
        uint64_t n = (uint64_t)hpo__dist_cardinality(d);
        return fmin(d->low + (double)hpo__rng_below(rng, n) * d->step, d->high);
    }
    return hpo__dist_from_unit(d, hpo__rng_uniform(rng));
}

static int random_init(void *state, hpo__opts *opts, hpo__msg *msg)
{
    return HPO_OK;
}

int hpo__sample_independent_uniform(void *state, hpo__sampler_ctx *ctx,
                                    const char *name, const hpo__dist *dist,
                                    double *value)
{
    *value = hpo__sample_uniform(dist, ctx->rng);
    return HPO_OK;
}

const hpo__sampler_type hpo__sampler_random = {
    .version = HPO__SAMPLER_VERSION,
    .name = "random",
    .summary = "independent uniform sampling (log-uniform on log axes)",
    .options_help = "",
    .state_size = 0,
    .init = random_init,
    .sample_independent = hpo__sample_independent_uniform,
};
