/*
 * qmc.c — the `qmc` sampler: quasi-random Sobol points over the declared
 * search space (the idea of Optuna's QMCSampler; the sequence and its
 * scrambling are in src/math/sobol.c).
 *
 * Trial number k takes Sobol point k, coordinate i going to parameter i of
 * the declared space through hpo__dist_from_unit (log axes, ints, steps and
 * categoricals all map [0,1) onto equal shares of their values).  Because
 * the point depends only on the trial number, and the scramble only on the
 * study's seed, every worker — thread, process or machine — derives the
 * same sequence and no two trials share a point; nothing needs to be kept
 * in storage.
 *
 * Deviations from Optuna's QMCSampler, on purpose:
 *   1. The space is the study's declared space (hpo_study_set_space), not
 *      the one inferred from the first trial.  A study without a declared
 *      space gets independent uniform sampling for every parameter (no
 *      warning); so do define-by-run parameters outside the declared space.
 *   2. Inactive conditional parameters consume their coordinate without
 *      using it (their value is NaN), so a parameter keeps one coordinate
 *      whatever the conditions choose.
 *   3. The scramble is drawn from a stream derived from the study's seed
 *      alone, never from the per-trial rng.  The seed is stored with the
 *      study when it is created, so workers in other processes that give
 *      no seed of their own use the same one and agree on the sequence.
 *   4. Categorical parameters are drawn uniformly at random (as Optuna's
 *      QMCSampler does): consecutive Sobol points come in complementary
 *      pairs, which on many two-choice parameters makes trial 2k+1 the
 *      exact complement of trial 2k.  Their coordinates are still reserved,
 *      so the numeric parameters keep their low-discrepancy points.
 *
 * Options: scramble=true|false (default true).
 */
#include <math.h>
#include <stddef.h>

#include "math/sobol.h"
#include "sampler.h"

/* The rng stream of the scramble: far from the per-trial streams 0, 1, 2,
 * ... ("qmc-sobl" in ASCII). */
#define SCRAMBLE_STREAM UINT64_C(0x716d632d736f626c)

typedef struct qmc_state {
    int scramble;
    /* The sequence for the space's dimension, built on first use (dim 0 =
     * not built yet). */
    hpo__sobol sobol;
} qmc_state;

static const hpo_option qmc_options[] = {
    {"scramble", HPO_OPTION_BOOL, "true", 0, 0, NULL,
     "randomise the points (Matousek's scrambling, from the seed)",
     offsetof(qmc_state, scramble), 0},
    {0},
};

static void qmc_destroy(void *state)
{
    qmc_state *st = state;
    hpo__sobol_free(&st->sobol);
}

static int ensure_sequence(qmc_state *st, hpo_plugin_ctx *ctx, int dim)
{
    if (st->sobol.dim == dim)
        return HPO_OK;
    hpo__sobol_free(&st->sobol);
    if (dim > hpo__sobol_max_dim())
        return hpo__fail(ctx->msg, HPO_EINVAL,
                         "qmc: the declared space has %d parameters; the "
                         "Sobol table covers at most %d",
                         dim, hpo__sobol_max_dim());
    int rc = hpo__sobol_init(&st->sobol, dim, ctx->msg);
    if (rc != HPO_OK)
        return rc;
    if (st->scramble) {
        hpo__rng rng;
        hpo__rng_derive(&rng, hpo_ctx_seed(ctx), SCRAMBLE_STREAM);
        hpo__sobol_scramble(&st->sobol, &rng);
    }
    return HPO_OK;
}

static int qmc_infer_relative_space(void *state, hpo_plugin_ctx *ctx,
                                    const hpo_space **space)
{
    const hpo_space *declared = hpo_ctx_space(ctx);
    *space = declared && declared->n > 0 ? declared : NULL;
    return HPO_OK;
}

static int qmc_sample_relative(void *state, hpo_plugin_ctx *ctx,
                               const hpo_space *space, double *values)
{
    qmc_state *st = state;
    int rc = ensure_sequence(st, ctx, space->n);
    if (rc != HPO_OK)
        return rc;
    double *point = hpo__scratch(ctx, sizeof(double) * (size_t)space->n);
    if (!point)
        return hpo__fail(ctx->msg, HPO_ENOMEM, "qmc: out of memory");
    hpo__sobol_point(&st->sobol, (uint64_t)ctx->trial->number, point);
    for (int i = 0; i < space->n; i++)
        values[i] = NAN;
    /* In order, so a condition's parent is chosen before its children. */
    for (int i = 0; i < space->n; i++) {
        const hpo__dist *d = &space->p[i].dist;
        if (!hpo__space_active(space, i, values))
            continue;
        values[i] = d->kind == HPO__CATEGORICAL
                        ? hpo__sample_uniform(d, ctx->rng)
                        : hpo__dist_from_unit(d, point[i]);
    }
    return HPO_OK;
}

const hpo_sampler_type hpo__sampler_qmc = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "qmc",
             .summary = "scrambled Sobol points over the declared space, "
                        "one per trial number",
             .options = qmc_options,
             .state_size = sizeof(qmc_state),
             .destroy = qmc_destroy},
    .infer_relative_space = qmc_infer_relative_space,
    .sample_relative = qmc_sample_relative,
    .sample_independent = hpo__sample_independent_uniform,
};
