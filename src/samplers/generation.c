/*
 * generation.c — one population shared by every worker through storage
 * (the protocol is in generation.h).
 *
 * The idea is Optuna's NSGAIISampler's (a trial's generation kept in its
 * system attributes), extended with the population's own state in a
 * study attribute advanced by compare-and-set, so that algorithms whose
 * state is more than the trials themselves (CMA-ES's distribution,
 * SHADE's memories) are shared too.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "generation.h"

/* Workers racing to advance one generation settle in a few rounds; this
 * many means something keeps rewriting the state. */
#define MAX_ROUNDS 64

static void key_of(char *buf, size_t size, const hpo__gen_ops *ops,
                   const char *what)
{
    snprintf(buf, size, "hpo:%s:%s", ops->name, what);
}

static void forget_members(hpo__gen *g)
{
    for (int i = 0; i < g->n; i++)
        cJSON_Delete(g->m[i].attr);
    g->n = g->n_finished = g->n_complete = 0;
}

/* The state read last; the space cache stays, to be checked against the
 * next state's "space". */
static void forget_state(hpo__gen *g)
{
    cJSON_Delete(g->root);
    free(g->text);
    g->root = NULL;
    g->text = NULL;
    g->state = NULL;
    g->space_checked = 0;
}

static void forget_space(hpo__gen *g)
{
    hpo_space_free(g->space_ok);
    cJSON_Delete(g->space_node);
    g->space_ok = NULL;
    g->space_node = NULL;
    g->space_checked = 0;
}

void hpo__gen_free(hpo__gen *g)
{
    forget_members(g);
    forget_state(g);
    forget_space(g);
    free(g->m);
    free(g->spare);
    memset(g, 0, sizeof *g);
}

/* ---- the space a state was made for -------------------------------------- */

/* {name: distribution JSON, ...} in the space's order. */
static cJSON *space_json(const hpo_space *space)
{
    cJSON *o = cJSON_CreateObject();
    for (int i = 0; o && i < space->n; i++) {
        char *d = hpo__dist_to_json(&space->p[i].dist);
        cJSON *item = d ? cJSON_Parse(d) : NULL;
        free(d);
        if (!hpo__json_put(o, space->p[i].name, item)) {
            cJSON_Delete(o);
            return NULL;
        }
    }
    return o;
}

/* The same names and distributions in the same order (what space_json
 * writes). */
static int space_equal(const hpo_space *a, const hpo_space *b)
{
    if (a->n != b->n)
        return 0;
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->p[i].name, b->p[i].name) != 0 ||
            !hpo__dist_equal(&a->p[i].dist, &b->p[i].dist))
            return 0;
    return 1;
}

/* Remember space and its JSON now (taken) as the stored one's. */
static void cache_space(hpo__gen *g, const hpo_space *space, cJSON *now)
{
    forget_space(g);
    g->space_ok = calloc(1, sizeof *g->space_ok);
    if (g->space_ok && hpo__space_copy(g->space_ok, space) == HPO_OK) {
        g->space_node = now;
        g->space_checked = 1;
        return;
    }
    cJSON_Delete(now);
    forget_space(g); /* no cache: compared again next time */
}

/* 1 when g's stored "space" is space, 0 when not, HPO_ENOMEM.  The stored
 * text of each generation is compared as JSON with the cached one, and
 * space with the cached copy: printing the space at every generation cost
 * as much as a generation's update. */
static int same_space(hpo__gen *g, const hpo_space *space)
{
    const cJSON *stored = g->root
        ? cJSON_GetObjectItemCaseSensitive(g->root, "space") : NULL;
    if (g->space_ok && !g->space_checked && stored)
        g->space_checked = cJSON_Compare(stored, g->space_node, 1);
    if (g->space_ok && g->space_checked)
        return space_equal(g->space_ok, space);
    cJSON *now = space_json(space);
    if (!now)
        return HPO_ENOMEM;
    int same = stored && cJSON_Compare(stored, now, 1);
    if (same)
        cache_space(g, space, now);
    else
        cJSON_Delete(now);
    return same;
}

/* ---- writing a state ------------------------------------------------------ */

/* {"generation": gen, "space": ..., "state": state} as text; state taken.
 * same: the stored "space", known equal to space (copied rather than
 * printed from space again), or NULL. */
static char *wrap(long gen, const hpo_space *space, const cJSON *same,
                  cJSON *state)
{
    cJSON *root = cJSON_CreateObject();
    int ok = root &&
             hpo__json_put(root, "generation",
                           cJSON_CreateNumber((double)gen)) &&
             hpo__json_put(root, "space", same ? cJSON_Duplicate(same, 1)
                                               : space_json(space));
    if (ok)
        ok = hpo__json_put(root, "state", state);
    else
        cJSON_Delete(state);
    char *text = ok ? cJSON_PrintUnformatted(root) : NULL;
    cJSON_Delete(root);
    return text;
}

/* Write generation gen's state over `expected` (NULL: none stored):
 * HPO_OK with the text written in *written (when not NULL; the caller's),
 * HPO_DONE when another worker wrote first, or an error. */
static int publish(hpo_plugin_ctx *ctx, const hpo__gen_ops *ops,
                   const hpo_space *space, const cJSON *same,
                   const char *expected, long gen, cJSON *state,
                   char **written)
{
    char key[HPO_MAX_NAME];
    key_of(key, sizeof key, ops, "state");
    char *text = wrap(gen, space, same, state);
    if (!text)
        return hpo__oom(ctx->msg);
    int rc = hpo__ctx_study_attr_cas_built(ctx, key, expected, text);
    if (rc == HPO_OK && written)
        *written = text;
    else
        free(text);
    return rc;
}

/* A new population for space at generation gen. */
static int start(hpo__gen *g, const hpo__gen_ops *ops, void *st,
                 hpo_plugin_ctx *ctx, const hpo_space *space, long gen)
{
    cJSON *state = NULL;
    int rc = ops->first(st, ctx, space, &state);
    if (rc != HPO_OK) {
        cJSON_Delete(state);
        return rc;
    }
    return publish(ctx, ops, space, NULL, g->text, gen, state, NULL);
}

/* ---- reading a state ------------------------------------------------------ */

static int not_a_state(const hpo__gen_ops *ops, hpo_plugin_ctx *ctx,
                       const char *key)
{
    return hpo__fail(ctx->msg, HPO_EINVAL,
                     "%s: the study system attribute %s is not a %s state "
                     "(it needs \"generation\" and \"state\"); delete it to "
                     "start a new population", ops->name, key, ops->name);
}

/* Read the stored state into g (g->text NULL when there is none).  The
 * text read last time, unchanged, keeps its parse (or stays adopted):
 * most calls see the same generation. */
static int load(hpo__gen *g, const hpo__gen_ops *ops, hpo_plugin_ctx *ctx)
{
    char key[HPO_MAX_NAME];
    key_of(key, sizeof key, ops, "state");
    const char *text;
    int rc = hpo_ctx_study_attr(ctx, key, &text);
    if (rc == HPO_OK && text && g->text && strcmp(text, g->text) == 0)
        return HPO_OK;
    forget_state(g);
    if (rc != HPO_OK || !text)
        return rc;
    g->text = hpo__strdup(text);
    if (!g->text)
        return hpo__oom(ctx->msg);
    g->root = cJSON_Parse(g->text);
    const cJSON *gen = cJSON_GetObjectItemCaseSensitive(g->root, "generation");
    g->state = cJSON_GetObjectItemCaseSensitive(g->root, "state");
    if (!cJSON_IsNumber(gen) || gen->valuedouble < 0 ||
        gen->valuedouble != floor(gen->valuedouble) ||
        !cJSON_IsObject(g->state)) {
        forget_state(g); /* g->text is only ever a state that parsed */
        return not_a_state(ops, ctx, key);
    }
    g->generation = (long)gen->valuedouble;
    return HPO_OK;
}

/* ---- the members of the current generation -------------------------------- */

int hpo__gen_first_at(const hpo__trial_rec *trials, int n, int number)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (trials[mid].number < number)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* A trial's generation and member index from its attribute: 1 when it has
 * a well-formed one (*attr parsed, owned by the caller), 0 when not. */
static int membership(const hpo__trial_rec *t, const char *key, long *gen,
                      int *member, cJSON **attr)
{
    *attr = NULL;
    const char *text = hpo__attrs_get(&t->system_attrs, key);
    if (!text)
        return 0;
    cJSON *a = cJSON_Parse(text);
    const cJSON *gj = cJSON_GetObjectItemCaseSensitive(a, "generation");
    const cJSON *kj = cJSON_GetObjectItemCaseSensitive(a, "member");
    if (!cJSON_IsNumber(gj) || !cJSON_IsNumber(kj) || kj->valuedouble < 0) {
        cJSON_Delete(a);
        return 0; /* written by something else: not a member */
    }
    *gen = (long)gj->valuedouble;
    *member = (int)kj->valuedouble;
    *attr = a;
    return 1;
}

static int add_member(hpo__gen *g, const hpo__trial_rec *t, int member,
                      cJSON *attr, hpo__msg *m)
{
    if (hpo__grow((void **)&g->m, &g->cap, g->n + 1, sizeof *g->m)) {
        cJSON_Delete(attr);
        return hpo__oom(m);
    }
    g->m[g->n++] = (hpo__gen_member){t, member, attr, t->number};
    g->n_finished += hpo__state_finished(t->state);
    g->n_complete += t->state == HPO_COMPLETE;
    return HPO_OK;
}

/* Trial t's membership of g->generation: 1 with *attr when it is a member
 * (taken from the last call's members when it was one then: a member's
 * attribute never changes, so it is parsed once), 0 when it is not;
 * *older set when it is not a member of this generation or a later one.
 * stale: the last call's members are of an older generation (not parsed
 * again to learn it). */
static int member_of(hpo__gen *g, const char *key, const hpo__trial_rec *t,
                     hpo__gen_member *old, int n_old, int stale, int *j,
                     int *member, cJSON **attr, int *older)
{
    while (*j < n_old && old[*j].number < t->number)
        (*j)++;
    *older = 0;
    if (*j < n_old && old[*j].number == t->number && stale) {
        (*j)++;
        *older = 1;
        *attr = NULL;
        return 0;
    }
    if (*j < n_old && old[*j].number == t->number) {
        *member = old[*j].member;
        *attr = old[*j].attr;
        old[(*j)++].attr = NULL;
        return 1;
    }
    long gen = -1;
    int is = membership(t, key, &gen, member, attr);
    *older = !is || gen < g->generation;
    if (is && gen == g->generation)
        return 1;
    cJSON_Delete(*attr);
    *attr = NULL;
    return 0;
}

/* Collect the members of g->generation; move the watermark past trials
 * that can never be members again. */
static int scan(hpo__gen *g, const hpo__gen_ops *ops, hpo_plugin_ctx *ctx)
{
    char key[HPO_MAX_NAME];
    key_of(key, sizeof key, ops, "member");
    int stale = g->generation > g->settled_gen; /* the old members: older */
    if (g->generation < g->settled_gen) {
        g->settled = 0; /* a state from before: trust nothing */
        forget_members(g);
    }
    g->settled_gen = g->generation;
    /* The last call's members, moved aside to be taken over. */
    hpo__gen_member *old = g->m;
    int n_old = g->n, cap_old = g->cap, j = 0;
    g->m = g->spare;
    g->cap = g->cap_spare;
    g->n = g->n_finished = g->n_complete = 0;
    const hpo__trial_rec *trials;
    int n, rc = hpo__ctx_history(ctx, &trials, &n);
    int settling = 1;
    int from = rc ? n : hpo__gen_first_at(trials, n, g->settled);
    for (int i = from; i < n; i++) {
        const hpo__trial_rec *t = &trials[i];
        int member = 0, older;
        cJSON *attr;
        int is = member_of(g, key, t, old, n_old, stale, &j, &member, &attr,
                           &older);
        settling = settling && older && hpo__state_finished(t->state);
        if (settling)
            g->settled = t->number + 1;
        if (is && (rc = add_member(g, t, member, attr, ctx->msg)) != HPO_OK)
            break;
    }
    for (int k = 0; k < n_old; k++)
        cJSON_Delete(old[k].attr);
    g->spare = old;
    g->cap_spare = cap_old;
    return rc;
}

/* ---- the loop ------------------------------------------------------------- */

/* This process just stored text as generation gen: when the algorithm
 * keeps what it built for it, g holds the text unparsed (root and state
 * NULL; the space is the cached one, which wrote it); otherwise it is
 * read back at the next round as any state.  text taken. */
static void adopt(hpo__gen *g, const hpo__gen_ops *ops, void *st, char *text,
                  long gen)
{
    if (!g->space_ok || ops->adopt(st, text) != HPO_OK) {
        free(text);
        return;
    }
    forget_state(g);
    g->text = text;
    g->generation = gen;
    g->space_checked = 1;
}

/* One round: HPO_OK when g is current, HPO_DONE when the state changed
 * (read it again), or an error. */
static int round_once(hpo__gen *g, const hpo__gen_ops *ops, void *st,
                      hpo_plugin_ctx *ctx, const hpo_space *space)
{
    int rc = load(g, ops, ctx);
    if (rc != HPO_OK)
        return rc;
    if (!g->text) {
        rc = start(g, ops, st, ctx, space, 0);
        return rc == HPO_OK ? HPO_DONE : rc;
    }
    int same = same_space(g, space);
    if (same < 0)
        return hpo__oom(ctx->msg);
    if (!same) {
        hpo_ctx_log(ctx, 2, "%s: the search space changed: a new population "
                    "starts at generation %ld", ops->name, g->generation + 1);
        rc = start(g, ops, st, ctx, space, g->generation + 1);
        return rc == HPO_OK ? HPO_DONE : rc;
    }
    rc = scan(g, ops, ctx);
    if (rc != HPO_OK)
        return rc;
    rc = ops->ready(st, ctx, g);
    if (rc <= 0)
        return rc; /* 0 = HPO_OK: not ready, g is current */
    cJSON *next = NULL;
    rc = ops->next(st, ctx, space, g, &next);
    if (rc != HPO_OK) {
        cJSON_Delete(next);
        return rc;
    }
    char *written = NULL;
    rc = publish(ctx, ops, space, g->space_node, g->text, g->generation + 1,
                 next, ops->adopt ? &written : NULL);
    if (rc == HPO_OK && written)
        adopt(g, ops, st, written, g->generation + 1);
    return rc == HPO_OK ? HPO_DONE : rc;
}

int hpo__gen_sync(hpo__gen *g, const hpo__gen_ops *ops, void *st,
                  hpo_plugin_ctx *ctx, const hpo_space *space)
{
    for (int r = 0; r < MAX_ROUNDS; r++) {
        int rc = round_once(g, ops, st, ctx, space);
        if (rc != HPO_DONE)
            return rc;
    }
    return hpo__fail(ctx->msg, HPO_ESTORAGE,
                     "%s: the population's state changed %d times while "
                     "this trial was sampled", ops->name, MAX_ROUNDS);
}

int hpo__gen_join(hpo__gen *g, const hpo__gen_ops *ops, hpo_plugin_ctx *ctx,
                  cJSON *extra)
{
    char key[HPO_MAX_NAME];
    key_of(key, sizeof key, ops, "member");
    cJSON *a = extra ? extra : cJSON_CreateObject();
    char *text = NULL;
    if (hpo__json_put(a, "generation",
                      cJSON_CreateNumber((double)g->generation)) &&
        hpo__json_put(a, "member", cJSON_CreateNumber(g->n)))
        text = cJSON_PrintUnformatted(a);
    cJSON_Delete(a);
    if (!text)
        return hpo__oom(ctx->msg);
    int rc = hpo__ctx_set_trial_attr_built(ctx, key, text);
    free(text);
    return rc;
}

/* ---- helpers for the algorithms ------------------------------------------- */

double hpo__gen_minimised(hpo_plugin_ctx *ctx, const hpo__trial_rec *r, int i)
{
    if (r->state != HPO_COMPLETE || i >= r->n_values)
        return NAN;
    double v = r->values[i];
    return hpo_ctx_direction(ctx, i) == HPO_MAXIMIZE ? -v : v;
}

/* null stands for a value JSON cannot hold (NaN, an infinity): NaN. */
int hpo__gen_read_vector(const cJSON *obj, const char *key, double *out,
                         int n, const char *what, hpo__msg *m)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != n)
        return hpo__fail(m, HPO_EINVAL, "%s: \"%s\" is not an array of %d "
                         "numbers", what, key, n);
    int i = 0;
    const cJSON *x;
    cJSON_ArrayForEach(x, a)
    {
        if (cJSON_IsNull(x)) {
            out[i++] = NAN;
            continue;
        }
        if (!cJSON_IsNumber(x))
            return hpo__fail(m, HPO_EINVAL, "%s: \"%s\"[%d] is not a number",
                             what, key, i);
        out[i++] = x->valuedouble;
    }
    return HPO_OK;
}

/* 17 digits (hpo__format_exact) rather than the shortest text: a member's
 * point is written at every trial, and the shortest costs up to three
 * snprintf and strtod pairs a number. */
static cJSON *exact(double x)
{
    char buf[32];
    hpo__format_exact(buf, sizeof buf, x);
    return cJSON_CreateRaw(buf);
}

cJSON *hpo__gen_vector(const double *x, int n)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; a && i < n; i++)
        if (!hpo__json_put(a, NULL, isfinite(x[i]) ? exact(x[i])
                                                   : cJSON_CreateNull())) {
            cJSON_Delete(a);
            return NULL;
        }
    return a;
}

hpo__dist *hpo__gen_dists(hpo_plugin_ctx *ctx, const hpo_space *space)
{
    hpo__dist *d = hpo__scratch(ctx, sizeof *d * (size_t)(space->n + 1));
    if (!d) {
        hpo__oom(ctx->msg);
        return NULL;
    }
    for (int i = 0; i < space->n; i++)
        d[i] = space->p[i].dist; /* shallow: read only, within the call */
    return d;
}

int hpo__gen_bad_state(const hpo__gen_ops *ops, hpo_plugin_ctx *ctx, int rc)
{
    if (rc != HPO_EINVAL)
        return rc;
    char key[HPO_MAX_NAME];
    key_of(key, sizeof key, ops, "state");
    char *why = hpo__strdup(hpo__msg_get(ctx->msg));
    rc = hpo__fail(ctx->msg, HPO_EINVAL,
                   "%s: the study system attribute %s does not hold a "
                   "population for this study (%s); delete it to start a "
                   "new one", ops->name, key, why ? why : "out of memory");
    free(why);
    return rc;
}
