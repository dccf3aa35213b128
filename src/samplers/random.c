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

/* The k-th value of an int axis in exact integer arithmetic: bounds within
 * HPO_MAX_EXACT_INT make the count and every value exact. */
static double int_value(const hpo__dist *d, hpo__rng *rng)
{
    int64_t low = (int64_t)d->low, step = (int64_t)d->step;
    uint64_t n = (uint64_t)((int64_t)d->high - low) / (uint64_t)step + 1;
    return (double)(low + (int64_t)hpo__rng_below(rng, n) * step);
}

double hpo__sample_uniform(const hpo__dist *d, hpo__rng *rng)
{
    if (d->kind == HPO__CATEGORICAL)
        return (double)hpo__rng_below(rng, (uint64_t)d->n_choices);
    /* hpo__dist_check keeps ints within HPO_MAX_EXACT_INT and stepped
     * floats to at most that many values; the guards keep any other
     * distribution on the unit encoding rather than in undefined casts. */
    if (d->kind == HPO__INT && !d->log && d->step >= 1 &&
        fabs(d->low) <= HPO_MAX_EXACT_INT && fabs(d->high) <= HPO_MAX_EXACT_INT)
        return int_value(d, rng);
    double n = hpo__dist_cardinality(d);
    if (d->kind == HPO__FLOAT && d->step > 0 && n <= HPO_MAX_EXACT_INT + 1) {
        double k = (double)hpo__rng_below(rng, (uint64_t)n);
        return hpo__dist_snap(d, d->low + k * d->step);
    }
    return hpo__dist_from_unit(d, hpo__rng_uniform(rng));
}

int hpo__sample_independent_uniform(void *state, hpo_plugin_ctx *ctx,
                                    const char *name, const hpo__dist *dist,
                                    double *value)
{
    (void)state;
    (void)name;
    *value = hpo__sample_uniform(dist, ctx->rng);
    return HPO_OK;
}

const hpo_sampler_type hpo__sampler_random = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "random",
             .summary = "independent uniform sampling (log-uniform on log "
                        "axes)"},
    .sample_independent = hpo__sample_independent_uniform,
};
