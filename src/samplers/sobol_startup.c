/*
 * sobol_startup.c — the start-up points the model-based samplers (gp,
 * rbf) propose before they have enough trials for a model: a scrambled
 * Sobol sequence (Owen-style scrambling, see math/sobol.h), point k for
 * trial k, so parallel workers take distinct points without talking.
 */
#include <math.h>

#include "sampler.h"

int hpo__sampler_sobol_startup(hpo_plugin_ctx *ctx, hpo__sobol *s,
                               uint64_t stream, const hpo_space *space,
                               const char *who, double *values)
{
    if (s->dim != space->n) {
        hpo__sobol_free(s);
        if (space->n > hpo__sobol_max_dim()) {
            for (int i = 0; i < space->n; i++)
                values[i] = NAN; /* independent uniform sampling */
            return HPO_OK;
        }
        int rc = hpo__sobol_init(s, space->n, ctx->msg);
        if (rc != HPO_OK)
            return rc;
        hpo__rng rng;
        hpo__rng_derive(&rng, hpo_ctx_seed(ctx), stream);
        hpo__sobol_scramble(s, &rng);
    }
    double *u = hpo__scratch(ctx, sizeof(double) * (size_t)space->n);
    if (!u)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "%s: out of memory", who);
    hpo__sobol_point(s, (uint64_t)ctx->trial->number, u);
    for (int i = 0; i < space->n; i++) {
        const hpo__dist *d = &space->p[i].dist;
        values[i] = space->p[i].parent >= 0 ? NAN
                    : d->kind == HPO__CATEGORICAL
                        ? hpo__sample_uniform(d, ctx->rng)
                        : hpo__dist_from_unit(d, u[i]);
    }
    return HPO_OK;
}
