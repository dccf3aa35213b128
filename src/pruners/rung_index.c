/*
 * rung_index.c — per-rung sorted values kept from the history by a
 * watermark, and the asynchronous successive-halving decision on them
 * (see rung_index.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung_index.h"

int hpo__rung_index_init(hpo__rung_index *ix, int n_groups, hpo__msg *m)
{
    memset(ix, 0, sizeof *ix);
    ix->rungs = calloc((size_t)n_groups, sizeof *ix->rungs);
    if (!ix->rungs)
        return hpo__oom(m);
    ix->n_groups = n_groups;
    return HPO_OK;
}

void hpo__rung_index_free(hpo__rung_index *ix)
{
    for (int g = 0; g < ix->n_groups; g++)
        for (int k = 0; k < HPO__MAX_RUNGS; k++)
            hpo__rung_free(&ix->rungs[g][k]);
    free(ix->rungs);
    free(ix->group);
    hpo__watermark_free(&ix->w);
    memset(ix, 0, sizeof *ix);
}

int hpo__rung_value(const hpo__trial_rec *t, int k, double *v)
{
    char key[32];
    hpo__sha_rung_key(k, key, sizeof key);
    const char *json = hpo_record_system_attr(t, key);
    if (!json)
        return 0;
    char *end;
    *v = strtod(json, &end); /* Python's json writes Infinity as strtod reads */
    return end != json && !isnan(*v);
}

/* A finished trial's rung values, into its group's rungs for good. */
static int fold(void *arg, const hpo__trial_rec *t, int at)
{
    hpo__rung_index *ix = arg;
    hpo__msg m = {0};
    double v;
    int rc = HPO_OK;
    for (int k = 0; k < HPO__MAX_RUNGS && rc == HPO_OK && hpo__rung_value(t, k, &v);
         k++)
        rc = hpo__rung_add(&ix->rungs[ix->group[at]][k], v, &m);
    hpo__msg_free(&m); /* only out of memory can fail: values are not NaN */
    return rc;
}

int hpo__rung_index_update(hpo__rung_index *ix, const hpo__trial_rec *h,
                           int n, hpo__group_fn group_fn, void *arg,
                           hpo__msg *m)
{
    if (n > ix->n_grouped &&
        hpo__grow((void **)&ix->group, &ix->cap_group, n, 1))
        return hpo__oom(m);
    for (; ix->n_grouped < n; ix->n_grouped++)
        ix->group[ix->n_grouped] =
            (unsigned char)(group_fn ? group_fn(arg, &h[ix->n_grouped]) : 0);
    int rc = hpo__watermark_update(&ix->w, h, n, fold, ix, m);
    return rc == HPO_ENOMEM ? hpo__oom(m) : rc;
}

/* Take out one copy of v, added for one decision (a running trial's). */
static void rung_remove(hpo__rung *r, double v)
{
    int lo = 0, hi = r->n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (r->v[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < r->n && r->v[lo] == v) {
        memmove(r->v + lo, r->v + lo + 1, (size_t)(r->n - lo - 1) * sizeof *r->v);
        r->n--;
    }
}

/* The decision at rung k: the group's finished values with, for this
 * call only, those of the other trials still running in the group. */
static int promotable(hpo__rung_index *ix, int g, int k, double value,
                      const hpo__sha *sha, int64_t bootstrap,
                      const hpo__trial_rec *h, hpo_plugin_ctx *ctx,
                      int *promote)
{
    hpo__rung *r = &ix->rungs[g][k];
    const hpo__watermark *w = &ix->w;
    double *added = hpo_ctx_scratch(ctx, sizeof(double) *
                                             ((size_t)w->n_pending + 1));
    if (!added)
        return hpo__oom(ctx->msg);
    int n_added = 0, rc = HPO_OK;
    for (int i = 0; i < w->n_pending && rc == HPO_OK; i++) {
        const hpo__trial_rec *t = &h[w->pending[i]];
        double v;
        if (t->number != ctx->trial->number && ix->group[w->pending[i]] == g &&
            hpo__rung_value(t, k, &v) && !(rc = hpo__rung_add(r, v, ctx->msg)))
            added[n_added++] = v;
    }
    if (rc == HPO_OK)
        rc = hpo__rung_promotable(r, value, sha->eta, bootstrap,
                                  hpo_ctx_direction(ctx, 0), promote,
                                  ctx->msg);
    while (n_added > 0)
        rung_remove(r, added[--n_added]);
    return rc;
}

/* Optuna's _get_current_rung: the rungs the trial has completed. */
static int current_rung(const hpo__trial_rec *t)
{
    double v;
    int k = 0;
    while (k < HPO__MAX_RUNGS && hpo__rung_value(t, k, &v))
        k++;
    return k;
}

static int record_rung(hpo_plugin_ctx *ctx, int k, double value)
{
    char key[32], json[48];
    hpo__sha_rung_key(k, key, sizeof key);
    hpo__format_double(json, sizeof json - 2, value);
    if (!strpbrk(json, ".eEn")) /* a Python float, as Optuna stores it */
        strcat(json, ".0");
    return hpo_ctx_set_trial_attr(ctx, key, json);
}

int hpo__asha_judge(hpo__rung_index *ix, int group, const hpo__sha *sha,
                    int64_t bootstrap_count, hpo__rung_limits *lim,
                    const hpo__trial_rec *h, hpo_plugin_ctx *ctx,
                    hpo_verdict *verdict)
{
    int64_t step, rung_step;
    double value;
    if (!hpo__last_step(ctx->trial, &step, &value))
        return HPO_OK;
    hpo__msg ignored = {0};
    for (int k = current_rung(ctx->trial); k < HPO__MAX_RUNGS; k++) {
        int past = hpo__sha_rung_step(sha, k, &rung_step, &ignored) != HPO_OK;
        if (past || step < rung_step)
            break;
        int promote = 0, rc = HPO_OK;
        if (isfinite(value) && !(rc = record_rung(ctx, k, value)) && lim &&
            (k < lim->first_rung || rung_step >= lim->end_step))
            continue; /* recorded, not trusted to prune (rank_gate.h) */
        if (!rc && isfinite(value))
            rc = promotable(ix, group, k, value, sha, bootstrap_count, h, ctx,
                            &promote);
        if (rc || !promote) {
            *verdict = rc ? *verdict : HPO_VERDICT_PRUNE;
            hpo__msg_free(&ignored);
            return rc;
        }
        if (lim)
            lim->selected = 1;
    }
    hpo__msg_free(&ignored);
    return HPO_OK;
}

int hpo__shared_resource(hpo_plugin_ctx *ctx, const char *key,
                         int64_t estimate, int64_t *out)
{
    *out = 0;
    for (int tries = 0; tries < 8; tries++) {
        const char *json;
        int rc = hpo_ctx_study_attr(ctx, key, &json);
        if (rc)
            return rc;
        if (json) {
            *out = strtoll(json, NULL, 10);
            return *out > 0 ? HPO_OK
                            : hpo_ctx_fail(ctx, HPO_EINVAL,
                                           "study attribute %s=%s is not a "
                                           "positive resource", key, json);
        }
        if (estimate <= 0)
            return HPO_OK;
        char text[32];
        snprintf(text, sizeof text, "%lld", (long long)estimate);
        rc = hpo_ctx_study_attr_cas(ctx, key, NULL, text);
        if (rc != HPO_DONE) { /* set, or an error; else another was first */
            *out = rc ? 0 : estimate;
            return rc;
        }
    }
    return hpo_ctx_fail(ctx, HPO_ESTORAGE, "study attribute %s keeps changing",
                        key);
}

int64_t hpo__largest_complete_step(const hpo__trial_rec *h, int n)
{
    int64_t largest = -1, step;
    double v;
    for (int i = 0; i < n; i++)
        if (h[i].state == HPO_COMPLETE && hpo__last_step(&h[i], &step, &v) &&
            step > largest)
            largest = step;
    return largest;
}

int hpo__need_one_objective(hpo_plugin_ctx *ctx, const char *who)
{
    int n = hpo_ctx_n_objectives(ctx);
    return n == 1 ? HPO_OK
                  : hpo_ctx_fail(ctx, HPO_EINVAL,
                                 "%s needs one objective (the study has %d)",
                                 who, n);
}
