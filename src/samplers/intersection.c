/*
 * intersection.c — what a joint model (gp, rf) works from: its space when
 * none is declared (Optuna's IntersectionSearchSpace, the parameters that
 * every completed trial has, each with one distribution everywhere), and
 * the trials it learns from.
 */
#include <stdlib.h>

#include "sampler.h"

static int usable(const hpo__trial_rec *t)
{
    return t->state == HPO_COMPLETE && t->n_values >= 1;
}

static int everywhere(const hpo__param *p, const hpo__trial_rec *trials,
                      int n)
{
    for (int k = 0; k < n; k++) {
        if (!usable(&trials[k]))
            continue;
        const hpo__param *q = hpo__rec_param(&trials[k], p->name);
        if (!q || !hpo__dist_equal(&q->dist, &p->dist))
            return 0;
    }
    return 1;
}

/* The intersection of trials[0..n) into a new space (NULL before any trial
 * completes). */
static int intersection(const hpo__trial_rec *trials, int n, hpo_space **out,
                        hpo__msg *msg)
{
    *out = NULL;
    const hpo__trial_rec *first = NULL;
    for (int k = 0; k < n && !first; k++)
        if (usable(&trials[k]))
            first = &trials[k];
    if (!first)
        return HPO_OK;
    hpo_space *sp = hpo_space_new();
    if (!sp || (first->n_params &&
                !(sp->p = calloc((size_t)first->n_params, sizeof *sp->p)))) {
        hpo_space_free(sp);
        return hpo__fail(msg, HPO_ENOMEM, "out of memory");
    }
    sp->cap = first->n_params;
    for (int i = 0; i < first->n_params; i++) {
        const hpo__param *p = &first->params[i];
        if (!everywhere(p, trials, n))
            continue;
        hpo__space_param *sp_p = &sp->p[sp->n++];
        sp_p->parent = -1;
        sp_p->name = hpo__strdup(p->name);
        if (!sp_p->name || hpo__dist_copy(&sp_p->dist, &p->dist) != HPO_OK) {
            hpo_space_free(sp);
            return hpo__fail(msg, HPO_ENOMEM, "out of memory");
        }
    }
    *out = sp;
    return HPO_OK;
}

int hpo__sampler_joint_space(hpo_plugin_ctx *ctx, hpo_space **inferred,
                             const hpo_space **space)
{
    const hpo_space *declared = hpo_ctx_space(ctx);
    if (declared && declared->n > 0) {
        *space = declared;
        return HPO_OK;
    }
    const hpo__trial_rec *trials;
    int n;
    hpo_space_free(*inferred);
    *inferred = NULL;
    int rc = hpo__ctx_history(ctx, &trials, &n);
    if (rc == HPO_OK)
        rc = intersection(trials, n, inferred, ctx->msg);
    *space = *inferred && (*inferred)->n > 0 ? *inferred : NULL;
    return rc;
}

int hpo__sampler_learn_set(const hpo__trial_rec *trials, int n,
                           unsigned char *learn)
{
    int complete = 0, count = 0;
    for (int k = 0; k < n; k++)
        complete += usable(&trials[k]);
    for (int k = 0; k < n; k++) {
        const hpo__trial_rec *t = &trials[k];
        learn[k] = (unsigned char)(usable(t) ||
                                   (complete > 0 && t->state == HPO_FAIL &&
                                    t->n_params > 0));
        count += learn[k];
    }
    return count;
}
