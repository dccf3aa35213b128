/*
 * nsga_state.c — the state nsga2 and nsga3 keep in the study attribute
 * "hpo:<name>:state" (generation.h): the parents of the current
 * generation as trial numbers, with the front and crowding distance each
 * had in the selection that chose it, which is all the binary tournament
 * needs.  A parent's genes are read back from its trial when it is drawn.
 *
 *   {"parents": [12, 40, ...], "rank": [0, 0, 1, ...],
 *    "crowding": [null, 0.31, ...]}      (null: infinite, a front's end)
 */
#include <math.h>
#include <stdio.h>

#include "core/json.h"
#include "nsga.h"

static double *scratch_doubles(hpo_plugin_ctx *ctx, int n)
{
    return hpo__scratch(ctx, sizeof(double) * (size_t)(n > 0 ? n : 1));
}

int hpo__nsga_read_parents(hpo_plugin_ctx *ctx, const hpo__gen_ops *ops,
                           const cJSON *state, nsga_parents *p)
{
    char what[HPO_MAX_NAME + 64];
    snprintf(what, sizeof what, "%s: the study system attribute hpo:%s:state",
             ops->name, ops->name);
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(state, "parents");
    if (!cJSON_IsArray(a))
        return hpo__fail(ctx->msg, HPO_EINVAL,
                         "%s: \"parents\" is not an array of trial numbers",
                         what);
    p->n = cJSON_GetArraySize(a);
    p->number = scratch_doubles(ctx, p->n);
    p->rank = scratch_doubles(ctx, p->n);
    p->crowding = scratch_doubles(ctx, p->n);
    if (!p->number || !p->rank || !p->crowding)
        return hpo__oom(ctx->msg);
    int rc = hpo__gen_read_vector(state, "parents", p->number, p->n, what,
                                  ctx->msg);
    if (rc == HPO_OK)
        rc = hpo__gen_read_vector(state, "rank", p->rank, p->n, what,
                                  ctx->msg);
    if (rc == HPO_OK)
        rc = hpo__gen_read_vector(state, "crowding", p->crowding, p->n, what,
                                  ctx->msg);
    for (int i = 0; rc == HPO_OK && i < p->n; i++)
        if (!(p->number[i] >= 0 && p->number[i] == floor(p->number[i]) &&
              p->number[i] <= INT32_MAX) ||
            !(p->rank[i] >= 0))
            rc = hpo__fail(ctx->msg, HPO_EINVAL,
                           "%s: parent %d is not a trial number with a "
                           "front", what, i);
    return rc;
}

/* n numbers, an infinite one as null.  cJSON's own printing (15 or 17
 * digits) rather than hpo__gen_vector's exact shortest form, which cost
 * 13,000 instructions a number, 20 a trial at population 50: crowding
 * distances only need their order, numbers and ranks are whole. */
static cJSON *vector(const double *x, int n)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; a && i < n; i++)
        if (!hpo__json_put(a, NULL, isfinite(x[i]) ? cJSON_CreateNumber(x[i])
                                                   : cJSON_CreateNull())) {
            cJSON_Delete(a);
            return NULL;
        }
    return a;
}

cJSON *hpo__nsga_write_parents(const nsga_parents *p)
{
    cJSON *o = cJSON_CreateObject();
    if (o && hpo__json_put(o, "parents", vector(p->number, p->n)) &&
        hpo__json_put(o, "rank", vector(p->rank, p->n)) &&
        hpo__json_put(o, "crowding", vector(p->crowding, p->n)))
        return o;
    cJSON_Delete(o);
    return NULL;
}
