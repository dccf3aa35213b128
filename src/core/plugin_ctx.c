/*
 * plugin_ctx.c — what a plug-in may read and write of its study, through
 * the context of one call (include/hpo_plugin.h).  Every accessor runs
 * under the study's lock, which the core already holds around the call:
 * none takes it, so none can deadlock, and none hands out the study.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "study.h"

/* Pruners draw from streams of their own, so that pruning leaves the
 * sampler's draws as they were. */
#define VIEW_STREAM 0x766965772d726e67ULL
#define PRUNER_STREAM 0x7072756e65722d31ULL

void hpo__ctx_start(hpo_plugin_ctx *ctx, hpo_study *study,
                    hpo__trial_rec *trial, hpo__rng *rng, hpo__msg *dest)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->core = study;
    ctx->trial = trial;
    ctx->dest = dest;
    ctx->msg = &ctx->own;
    if (!rng) {
        hpo__rng_derive(&ctx->seed_rng, study ? study->seed : 0, 0);
        rng = &ctx->seed_rng;
    }
    ctx->rng = rng;
}

void hpo__ctx_start_pruner(hpo_plugin_ctx *ctx, hpo_study *study,
                           hpo__trial_rec *trial, hpo__msg *dest)
{
    hpo__ctx_start(ctx, study, trial, NULL, dest);
    uint64_t at = ((uint64_t)trial->number << 24) ^ (uint64_t)trial->n_inter;
    hpo__rng_derive(&ctx->seed_rng, study->seed, PRUNER_STREAM ^ at);
}

int hpo__ctx_end(hpo_plugin_ctx *ctx, int rc)
{
    hpo__scratch_release(&ctx->scratch);
    if (rc < 0 && ctx->dest)
        hpo__msg_take(ctx->dest, ctx->own.text);
    else
        hpo__msg_free(&ctx->own);
    ctx->own.text = NULL;
    return rc;
}

int hpo_ctx_fail(hpo_plugin_ctx *ctx, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *text = hpo__vasprintf(fmt, ap);
    va_end(ap);
    hpo__msg_take(ctx->msg, text);
    return code;
}

void hpo_ctx_log(hpo_plugin_ctx *ctx, int level, const char *fmt, ...)
{
    if (!ctx->core)
        return;
    va_list ap;
    va_start(ap, fmt);
    hpo__study_vlog(ctx->core, level, fmt, ap);
    va_end(ap);
}

double hpo_ctx_uniform(hpo_plugin_ctx *ctx)
{
    return hpo__rng_uniform(ctx->rng);
}

uint64_t hpo_ctx_below(hpo_plugin_ctx *ctx, uint64_t n)
{
    return n ? hpo__rng_below(ctx->rng, n) : 0;
}

double hpo_ctx_normal(hpo_plugin_ctx *ctx)
{
    return hpo__rng_normal(ctx->rng);
}

void *hpo_ctx_scratch(hpo_plugin_ctx *ctx, size_t size)
{
    return hpo__scratch(ctx, size);
}

int hpo_ctx_n_objectives(const hpo_plugin_ctx *ctx)
{
    return ctx->core ? ctx->core->n_dirs : 0;
}

hpo_direction hpo_ctx_direction(const hpo_plugin_ctx *ctx, int i)
{
    if (!ctx->core || i < 0 || i >= ctx->core->n_dirs)
        return HPO_MINIMIZE;
    return ctx->core->dirs[i];
}

uint64_t hpo_ctx_seed(const hpo_plugin_ctx *ctx)
{
    return ctx->core ? ctx->core->seed : 0;
}

const hpo_space *hpo_ctx_space(const hpo_plugin_ctx *ctx)
{
    return ctx->core ? ctx->core->space : NULL;
}

const char *hpo_ctx_study_name(const hpo_plugin_ctx *ctx)
{
    return ctx->core ? ctx->core->name : NULL;
}

/* ---- the history --------------------------------------------------------- */

/* The part of the history a scheduling pruner shows the sampler of this
 * trial: shallow copies of the kept records (they borrow the history's
 * parameters and attributes), a shown value replacing the trial's own. */
static int make_view(hpo_plugin_ctx *ctx, const hpo__trial_rec *h, int n)
{
    hpo_study *s = ctx->core;
    unsigned char *keep = hpo__scratch(ctx, (size_t)n + 1);
    double *value = hpo__scratch(ctx, sizeof(double) * ((size_t)n + 1));
    hpo__trial_rec *view = hpo__scratch(ctx, sizeof *view * ((size_t)n + 1));
    if (!keep || !value || !view)
        return hpo__oom(ctx->msg);
    for (int i = 0; i < n; i++) {
        keep[i] = 1;
        value[i] = NAN;
    }
    hpo__rng rng;
    hpo__rng_derive(&rng, s->seed, VIEW_STREAM ^ (uint64_t)ctx->trial->number);
    hpo_plugin_ctx pc; /* a failing view's message becomes this call's */
    hpo__ctx_start(&pc, s, ctx->trial, &rng, ctx->msg);
    int rc = hpo__ctx_end(&pc, hpo__pruner_view(&s->pruner, &pc, n, keep,
                                                  value));
    if (rc < 0)
        return rc;
    int k = 0;
    for (int i = 0; i < n; i++) {
        if (!keep[i])
            continue;
        view[k] = h[i];
        if (!isnan(value[i])) {
            view[k].values = &value[i];
            view[k].n_values = 1;
            view[k].state = HPO_COMPLETE;
        }
        k++;
    }
    ctx->view = view;
    ctx->n_view = k;
    return HPO_OK;
}

int hpo__ctx_history(hpo_plugin_ctx *ctx, const hpo__trial_rec **trials,
                     int *n)
{
    *trials = NULL;
    *n = 0;
    if (!ctx->core)
        return hpo__fail(ctx->msg, HPO_EMISUSE, "no study in this call");
    if (!ctx->view_made) {
        const hpo__trial_rec *h;
        int nh, rc = hpo__study_history(ctx->core, &h, &nh);
        if (rc) /* the storage's message is on the study */
            return hpo__fail(ctx->msg, rc, "%s", hpo__msg_get(&ctx->core->msg));
        ctx->view = h;
        ctx->n_view = nh;
        if (ctx->for_sampler && ctx->trial &&
            hpo__pruner_has_view(&ctx->core->pruner) &&
            (rc = make_view(ctx, h, nh)))
            return rc;
        ctx->view_made = 1;
    }
    *trials = ctx->view;
    *n = ctx->n_view;
    return HPO_OK;
}

int hpo_ctx_n_trials(hpo_plugin_ctx *ctx)
{
    const hpo__trial_rec *h;
    int n, rc = hpo__ctx_history(ctx, &h, &n);
    return rc ? rc : n;
}

const hpo_record *hpo_ctx_trial_at(hpo_plugin_ctx *ctx, int i)
{
    const hpo__trial_rec *h;
    int n;
    if (hpo__ctx_history(ctx, &h, &n) || i < 0 || i >= n)
        return NULL;
    return &h[i];
}

int hpo_ctx_best(hpo_plugin_ctx *ctx, const hpo_record **best)
{
    *best = NULL;
    const hpo__trial_rec *h;
    int n, rc = hpo__ctx_history(ctx, &h, &n);
    if (rc)
        return rc;
    if (ctx->core->n_dirs != 1)
        return hpo_ctx_fail(ctx, HPO_EINVAL,
                            "the best trial needs one objective (the study "
                            "has %d)",
                            ctx->core->n_dirs);
    hpo_direction d = ctx->core->dirs[0];
    for (int i = 0; i < n; i++)
        if (h[i].state == HPO_COMPLETE && h[i].n_values == 1 &&
            !isnan(h[i].values[0]) &&
            (!*best || hpo__better(d, h[i].values[0], (*best)->values[0])))
            *best = &h[i];
    return *best ? HPO_OK : HPO_ENOTFOUND;
}

/* ---- attributes ---------------------------------------------------------- */

static int need_study(hpo_plugin_ctx *ctx)
{
    return ctx->core ? HPO_OK
                     : hpo_ctx_fail(ctx, HPO_EMISUSE, "no study in this call");
}

/* A study-level call failed: its message is on the study. */
static int study_failed(hpo_plugin_ctx *ctx, int rc)
{
    if (rc < 0)
        hpo__fail(ctx->msg, rc, "%s", hpo__msg_get(&ctx->core->msg));
    return rc;
}

int hpo_ctx_study_attr(hpo_plugin_ctx *ctx, const char *key,
                       const char **json)
{
    *json = NULL;
    int rc = need_study(ctx);
    if (rc == HPO_OK)
        rc = study_failed(ctx, hpo__study_sys_attr_get(ctx->core, key, json));
    return rc;
}

int hpo_ctx_set_study_attr(hpo_plugin_ctx *ctx, const char *key,
                           const char *json)
{
    int rc = need_study(ctx);
    if (rc == HPO_OK)
        rc = study_failed(ctx, hpo__study_set_sys_attr(ctx->core, key, json));
    return rc;
}

int hpo_ctx_study_attr_cas(hpo_plugin_ctx *ctx, const char *key,
                           const char *expected, const char *json)
{
    int rc = need_study(ctx);
    if (rc == HPO_OK)
        rc = study_failed(ctx, hpo__study_sys_attr_cas(ctx->core, key,
                                                        expected, json));
    return rc;
}

const hpo_record *hpo_ctx_trial(hpo_plugin_ctx *ctx)
{
    return ctx->trial;
}

static int set_trial_attr(hpo_plugin_ctx *ctx, int system, const char *key,
                          const char *json, int check)
{
    if (!ctx->core || !ctx->trial)
        return hpo_ctx_fail(ctx, HPO_EMISUSE, "no trial in this call");
    hpo_study *s = ctx->core;
    int rc = check ? hpo__check_attr(ctx->msg, key, json) : HPO_OK;
    if (rc)
        return rc;
    rc = hpo__st_set_trial_attr(s->storage, ctx->trial->id, system, key, json);
    if (rc == HPO_EFINISHED && !hpo__state_finished(ctx->trial->state))
        rc = HPO_OK; /* finished under its handle: kept there (late.c) */
    if (rc)
        return hpo__fail(ctx->msg, rc, "%s", hpo_storage_errmsg(s->storage));
    hpo__attrs *a = system ? &ctx->trial->system_attrs
                           : &ctx->trial->user_attrs;
    return hpo__attrs_set(a, key, json) ? hpo__oom(ctx->msg) : HPO_OK;
}

int hpo_ctx_set_trial_attr(hpo_plugin_ctx *ctx, const char *key,
                           const char *json)
{
    return set_trial_attr(ctx, 1, key, json, 1);
}

int hpo__ctx_set_trial_attr_built(hpo_plugin_ctx *ctx, const char *key,
                                  const char *json)
{
    return set_trial_attr(ctx, 1, key, json, 0);
}

int hpo__ctx_study_attr_cas_built(hpo_plugin_ctx *ctx, const char *key,
                                  const char *expected, const char *json)
{
    int rc = need_study(ctx);
    if (rc == HPO_OK)
        rc = study_failed(ctx, hpo__study_sys_attr_cas_built(
                                   ctx->core, key, expected, json));
    return rc;
}

int hpo_ctx_set_trial_user_attr(hpo_plugin_ctx *ctx, const char *key,
                                const char *json)
{
    return set_trial_attr(ctx, 0, key, json, 1);
}
