/*
 * gp_outputs.h — the completed trials' objective values as the `gp`
 * sampler's models see them (gp_outputs.c): one objective, several
 * scalarized by ParEGO, or two kept apart for EHVI.
 */
#ifndef HPO_GP_OUTPUTS_H
#define HPO_GP_OUTPUTS_H

#include "sampler.h"

typedef struct gp_outputs {
    int n_models;  /* objective models: 1, or 2 (EHVI) */
    double *y[2];  /* n each: minimized, standardized (one model: and
                      warped, if asked) */
    double *rank;  /* n: lower is better; orders the acquisition's starts */
    double ref[2]; /* EHVI: the reference point, in y's scale */
} gp_outputs;

/*
 * From the n completed trials done[]: with two_models (a study of two
 * objectives under EHVI), each objective's values for its own model
 * (standardized, never warped), and as rank ParEGO's scalarization
 * (warped if asked); otherwise one output, the objective or
 * ParEGO's scalarization of several, which is also the rank.  Draws
 * ParEGO's weights from ctx->rng (also for one objective, so that the
 * random stream does not depend on the mode).  Memory from the context's
 * scratch.  HPO_OK or HPO_ENOMEM.
 */
int gp_outputs_build(gp_outputs *o, hpo_plugin_ctx *ctx,
                     const hpo__trial_rec *const *done, int n, int two_models,
                     int warp);

#endif
