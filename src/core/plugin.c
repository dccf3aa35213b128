/*
 * plugin.c — the only caller of sampler and pruner methods.  It makes a
 * plug-in from a spec (type, state, options, init), fills the methods a
 * plug-in leaves NULL with defaults, and passes every error up with a
 * message: a plug-in that returns an error without one gets a message
 * naming it, so no failure reaches the user as a bare code.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../samplers/sampler.h"

void hpo__plugin_free(hpo__plugin *p)
{
    if (p->state && p->head->destroy)
        p->head->destroy(p->state);
    free(p->state);
    for (int i = 0; i < p->n_strings; i++)
        free(p->strings[i]);
    free(p->strings);
    memset(p, 0, sizeof *p);
}

/* An error a method returned: keep its message (each call starts with an
 * empty one, plugin_ctx.c), or say who failed. */
static int method_failed(const hpo__plugin *p, hpo_plugin_ctx *ctx,
                         const char *method, int rc)
{
    if (rc >= 0)
        return rc;
    const char *text = ctx->msg->text;
    if (!text || !*text)
        hpo__fail(ctx->msg, rc, "%s: %s failed (%s)", p->head->name, method,
                  hpo_errstr(rc));
    return rc;
}

static int make(hpo__plugin *p, const hpo_plugin_head *head, hpo__opts *o,
                const char *what, hpo__msg *m)
{
    p->head = head;
    if (!(p->state = calloc(1, head->state_size ? head->state_size : 1)))
        return hpo__oom(m);
    int rc = hpo__options_apply(p, o, m);
    if (rc == HPO_OK)
        rc = hpo__opts_check_used(o, what, m);
    if (rc == HPO_OK)
        rc = hpo__options_check_required(head, o, m);
    if (rc == HPO_OK && head->init) {
        hpo_plugin_ctx ctx;
        hpo__ctx_start(&ctx, NULL, NULL, NULL, m);
        rc = method_failed(p, &ctx, "init", head->init(p->state, &ctx));
        hpo__ctx_end(&ctx, rc);
    }
    return rc;
}

/* Parse the spec, find the type by name, make it. */
static int make_from_spec(hpo__plugin *p, const char *spec, const char *what,
                          hpo__msg *m)
{
    memset(p, 0, sizeof *p);
    hpo__opts o;
    int rc = hpo__opts_parse(&o, spec, m);
    if (rc)
        return rc;
    const hpo_sampler_type *st = NULL;
    const hpo_pruner_type *pt = NULL;
    if (!strcmp(what, "sampler"))
        st = hpo__sampler_lookup(o.name);
    else
        pt = hpo__pruner_lookup(o.name);
    if (!st && !pt)
        rc = hpo__fail(m, HPO_EINVAL, "unknown %s '%s' (see hpo --help)", what,
                       o.name);
    else {
        p->sampler = st;
        p->pruner = pt;
        rc = make(p, st ? &st->head : &pt->head, &o, what, m);
    }
    hpo__opts_free(&o);
    if (rc)
        hpo__plugin_free(p);
    return rc;
}

int hpo__plugin_make_sampler(hpo__plugin *p, const char *spec, hpo__msg *m)
{
    return make_from_spec(p, spec, "sampler", m);
}

int hpo__plugin_make_pruner(hpo__plugin *p, const char *spec, hpo__msg *m)
{
    return make_from_spec(p, spec, "pruner", m);
}

/* ---- samplers ------------------------------------------------------------ */

int hpo__sampler_is_exhausted(const hpo__plugin *p, hpo_plugin_ctx *ctx)
{
    if (!p->sampler->is_exhausted)
        return 0;
    int rc = p->sampler->is_exhausted(p->state, ctx);
    return method_failed(p, ctx, "is_exhausted", rc);
}

int hpo__sampler_infer_relative(const hpo__plugin *p, hpo_plugin_ctx *ctx,
                                const hpo_space **space)
{
    *space = NULL;
    if (!p->sampler->infer_relative_space || !p->sampler->sample_relative)
        return HPO_OK;
    int rc = p->sampler->infer_relative_space(p->state, ctx, space);
    return method_failed(p, ctx, "infer_relative_space", rc);
}

int hpo__sampler_relative(const hpo__plugin *p, hpo_plugin_ctx *ctx,
                          const hpo_space *space, double *values)
{
    int rc = p->sampler->sample_relative(p->state, ctx, space, values);
    return method_failed(p, ctx, "sample_relative", rc);
}

int hpo__sampler_independent(const hpo__plugin *p, hpo_plugin_ctx *ctx,
                             const char *name, const hpo__dist *dist,
                             double *value)
{
    if (!p->sampler->sample_independent) {
        *value = hpo__sample_uniform(dist, ctx->rng);
        return HPO_OK;
    }
    int rc = p->sampler->sample_independent(p->state, ctx, name, dist, value);
    if (rc == HPO_OK && isnan(*value))
        rc = hpo__fail(ctx->msg, HPO_EINVAL,
                       "%s: sample_independent gave NaN for '%s'",
                       p->head->name, name);
    return method_failed(p, ctx, "sample_independent", rc);
}

int hpo__sampler_after_trial(const hpo__plugin *p, hpo_plugin_ctx *ctx,
                             hpo_trial_state state, const double *values,
                             int n)
{
    if (!p->sampler->after_trial)
        return HPO_OK;
    int rc = p->sampler->after_trial(p->state, ctx, state, values, n);
    return method_failed(p, ctx, "after_trial", rc);
}

/* ---- pruners ------------------------------------------------------------- */

int hpo__pruner_should_prune(const hpo__plugin *p, hpo_plugin_ctx *ctx,
                             hpo_verdict *verdict)
{
    *verdict = HPO_VERDICT_CONTINUE;
    int rc = p->pruner->should_prune(p->state, ctx, verdict);
    if (rc == HPO_OK && *verdict != HPO_VERDICT_CONTINUE &&
        *verdict != HPO_VERDICT_PRUNE && *verdict != HPO_VERDICT_FINISH)
        rc = hpo__fail(ctx->msg, HPO_EINVAL, "%s: unknown verdict %d",
                       p->head->name, (int)*verdict);
    return method_failed(p, ctx, "should_prune", rc);
}

int hpo__pruner_on_tell(const hpo__plugin *p, hpo_plugin_ctx *ctx,
                        hpo_trial_state state, const double *values, int n)
{
    if (!p->pruner->on_tell)
        return HPO_OK;
    int rc = p->pruner->on_tell(p->state, ctx, state, values, n);
    return method_failed(p, ctx, "on_tell", rc);
}

int hpo__sampler_has_is_exhausted(const hpo__plugin *p)
{
    return p->sampler && p->sampler->is_exhausted != NULL;
}

int hpo__sampler_has_after_trial(const hpo__plugin *p)
{
    return p->sampler && p->sampler->after_trial != NULL;
}

int hpo__pruner_has_on_tell(const hpo__plugin *p)
{
    return p->pruner && p->pruner->on_tell != NULL;
}

int hpo__pruner_has_view(const hpo__plugin *p)
{
    return p->pruner && p->pruner->sampler_view != NULL;
}

int hpo__pruner_view(const hpo__plugin *p, hpo_plugin_ctx *ctx, int n,
                     unsigned char *keep, double *value)
{
    int rc = p->pruner->sampler_view(p->state, ctx, n, keep, value);
    return method_failed(p, ctx, "sampler_view", rc);
}
