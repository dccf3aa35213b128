/*
 * auto.c — the `auto` sampler, the library's and the CLI's default: it
 * picks a model for the study's space and hands every call to it.
 *
 *   declared space, or the parameters of the first completed trial:
 *     no conditional parameters and at most GP_MAX_DIMS of them  -> gp
 *     otherwise (large or conditional spaces)                    -> tpe
 *   no space known yet (the first define-by-run trial)           -> random
 *
 * Both models start with random (Sobol / uniform) trials of their own, so
 * "random during start-up" needs no switch here.  The choice is made once,
 * stored in the study's system attribute "hpo:auto" (so every worker, and
 * the user, sees the same), and logged.  Rules of thumb after the
 * benchmarks of docs/benchmarks.md: GP wins on small continuous and mixed
 * spaces; TPE scales to many and conditional parameters.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/study.h"
#include "sampler.h"

#define GP_MAX_DIMS 16
#define CHOICE_ATTR "hpo:auto"

typedef struct auto_state {
    const hpo__sampler_type *chosen; /* NULL until decided */
    void *gp, *tpe;                  /* both made at init, so options fail early */
} auto_state;

static void *make(const hpo__sampler_type *t, hpo__msg *m, int *rc)
{
    void *state = calloc(1, t->state_size ? t->state_size : 1);
    hpo__opts none = {.name = (char *)t->name};
    *rc = state ? t->init(state, &none, m) : HPO_ENOMEM;
    return state;
}

static void auto_destroy(void *state)
{
    auto_state *a = state;
    if (a->gp && hpo__sampler_gp.destroy)
        hpo__sampler_gp.destroy(a->gp);
    if (a->tpe && hpo__sampler_tpe.destroy)
        hpo__sampler_tpe.destroy(a->tpe);
    free(a->gp);
    free(a->tpe);
}

static int auto_init(void *state, hpo__opts *opts, hpo__msg *msg)
{
    auto_state *a = state;
    int rc;
    a->gp = make(&hpo__sampler_gp, msg, &rc);
    if (rc == HPO_OK)
        a->tpe = make(&hpo__sampler_tpe, msg, &rc);
    return rc;
}

static int small_and_flat(const hpo_space *space)
{
    if (space->n > GP_MAX_DIMS)
        return 0;
    for (int i = 0; i < space->n; i++)
        if (space->p[i].parent >= 0)
            return 0;
    return 1;
}

/* The parameters of the first COMPLETE trial, when no space is declared:
 * 0 when none has completed yet. */
static int first_trial_dims(hpo__sampler_ctx *ctx, int *dims)
{
    const hpo__trial_rec *h;
    int n;
    if (hpo__study_history(ctx->study, &h, &n) != HPO_OK)
        return 0;
    for (int i = 0; i < n; i++)
        if (h[i].state == HPO_COMPLETE) {
            *dims = h[i].n_params;
            return 1;
        }
    return 0;
}

static const hpo__sampler_type *from_name(const char *json)
{
    if (!json)
        return NULL;
    if (!strcmp(json, "\"gp\""))
        return &hpo__sampler_gp;
    if (!strcmp(json, "\"tpe\""))
        return &hpo__sampler_tpe;
    return NULL;
}

/* The model for this study, deciding (and storing the decision) once. */
static const hpo__sampler_type *choose(auto_state *a, hpo__sampler_ctx *ctx)
{
    if (a->chosen)
        return a->chosen;
    if ((a->chosen = from_name(hpo__study_sys_attr(ctx->study, CHOICE_ATTR))))
        return a->chosen;
    const hpo_space *space = hpo__study_space(ctx->study);
    int dims;
    if (space)
        a->chosen = small_and_flat(space) ? &hpo__sampler_gp : &hpo__sampler_tpe;
    else if (first_trial_dims(ctx, &dims))
        a->chosen = dims <= GP_MAX_DIMS ? &hpo__sampler_gp : &hpo__sampler_tpe;
    else
        return NULL; /* nothing known yet: a random trial */
    char json[16];
    snprintf(json, sizeof json, "\"%s\"", a->chosen->name);
    hpo__study_set_sys_attr(ctx->study, CHOICE_ATTR, json);
    hpo__study_log(ctx->study, 1, "auto sampler: chose %s for this study",
                   a->chosen->name);
    return a->chosen;
}

static void *state_of(auto_state *a, const hpo__sampler_type *t)
{
    return t == &hpo__sampler_gp ? a->gp : a->tpe;
}

static int auto_infer(void *state, hpo__sampler_ctx *ctx,
                      const hpo_space **space)
{
    auto_state *a = state;
    const hpo__sampler_type *t = choose(a, ctx);
    *space = NULL;
    if (!t || !t->infer_relative_space)
        return HPO_OK;
    return t->infer_relative_space(state_of(a, t), ctx, space);
}

static int auto_relative(void *state, hpo__sampler_ctx *ctx,
                         const hpo_space *space, double *values)
{
    auto_state *a = state;
    const hpo__sampler_type *t = choose(a, ctx);
    if (!t || !t->sample_relative)
        return HPO_OK;
    return t->sample_relative(state_of(a, t), ctx, space, values);
}

static int auto_independent(void *state, hpo__sampler_ctx *ctx,
                            const char *name, const hpo__dist *dist,
                            double *value)
{
    auto_state *a = state;
    const hpo__sampler_type *t = choose(a, ctx);
    if (!t)
        return hpo__sampler_random.sample_independent(NULL, ctx, name, dist,
                                                      value);
    return t->sample_independent(state_of(a, t), ctx, name, dist, value);
}

static int auto_after(void *state, hpo__sampler_ctx *ctx,
                      hpo_trial_state final_state, const double *values,
                      int n)
{
    auto_state *a = state;
    const hpo__sampler_type *t = a->chosen;
    if (!t || !t->after_trial)
        return HPO_OK;
    return t->after_trial(state_of(a, t), ctx, final_state, values, n);
}

const hpo__sampler_type hpo__sampler_auto = {
    .version = HPO__SAMPLER_VERSION,
    .name = "auto",
    .summary = "the default: GP-BO for small unconditional spaces, TPE for "
               "large or conditional ones (stored as hpo:auto)",
    .options_help = "",
    .state_size = sizeof(auto_state),
    .init = auto_init,
    .destroy = auto_destroy,
    .infer_relative_space = auto_infer,
    .sample_relative = auto_relative,
    .sample_independent = auto_independent,
    .after_trial = auto_after,
};
