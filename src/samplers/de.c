/*
 * de.c — the `de` sampler: differential evolution, rand/1/bin (Storn &
 * Price 1997) or SHADE's current-to-pbest/1/bin with an archive and
 * success-history memories of F and CR (Tanabe & Fukunaga 2013), on the
 * core of de_core.c, its population shared by every worker through storage
 * (generation.h).
 *
 *   generation 0    member k evaluates initial vector k (uniform in the
 *                   unit cube, drawn by the worker that started the
 *                   population); when every one has finished their values
 *                   are recorded.
 *   generation g>0  member k makes trial vector i = k mod N against target
 *                   i, with its own random stream (its F and CR drawn
 *                   from the memory, SHADE; fixed, rand/1/bin) and records
 *                   u, F and CR in its member attribute; when every target
 *                   0..N-1 has a finished member, the worker that sees it
 *                   does the selection, the archive and the memory update
 *                   (hpo__de_select) and starts generation g+1.
 *
 * Per target the first finished member by trial number counts; FAIL and
 * PRUNED count as +inf (never replace their target).  Members beyond N
 * (more workers than targets left, or a worker that died) try target k mod
 * N again: they are evaluated and kept in the study, and fill in for a
 * member that never finishes.  In generation 0 such an extra member
 * evaluates a fresh random vector, which stands in for initial vector
 * k mod N if it finishes first.
 *
 * Parameters map to the unit cube by hpo__dist_to_unit / _from_unit: log
 * axes linear in log space; ints, steps and categoricals (equal bins of
 * the cube per value) are rounded when decoded, DE itself moving in the
 * continuous cube.  Inactive parameters of a conditional space are
 * coordinates like the others.  One objective only.
 *
 * population=auto is 5 x dimensions kept within [20, 100]: Storn &
 * Price's rule of thumb is 10 x dimensions and SHADE's N is 100, but at HPO
 * budgets (hundreds to thousands of trials) those leave too few
 * generations: on a 6-D sphere, 800 trials, seeds 10-12, the best value
 * was 0.0013-0.0075 (SHADE) and 0.0057-0.016 (rand/1/bin) with N = 60,
 * 0.00035-0.00048 and 0.00052-0.0013 with N = 30.
 * memory_size defaults to the paper's H = 100.  The stored state's
 * strategy and sizes win over a joining process's options.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "de_core.h"
#include "generation.h"

#define AUTO_PER_DIM 5
#define AUTO_MIN 20
#define AUTO_MAX 100

typedef struct de_state {
    int strategy; /* the option: 0 shade, 1 rand1bin */
    int64_t population, memory;
    double f, cr;
    hpo__gen gen;
    hpo_space *inferred;
    /* The population of the stored text de_text, parsed: it changes once
     * a generation, and reading it costs more than a trial's other work.
     * A trial writes only its own row of u, f_i, cr_i in it. */
    char *de_text;
    hpo__de de;
} de_state;

static const hpo_option de_options[] = {
    {"strategy", HPO_OPTION_ENUM, "shade", 0, 0, "shade|rand1bin",
     "shade (current-to-pbest/1, adapted F and CR) or rand1bin",
     offsetof(de_state, strategy), 0},
    {"population", HPO_OPTION_INT, "auto", 4, HPO__DE_MAX_POP, NULL,
     "members N (auto: 5 x parameters within [20, 100])",
     offsetof(de_state, population), HPO_OPTION_AUTO},
    {"f", HPO_OPTION_FLOAT, "0.5", 0, 2, NULL, "rand1bin's scale factor F",
     offsetof(de_state, f), HPO_OPTION_LOW_OPEN},
    {"cr", HPO_OPTION_FLOAT, "0.9", 0, 1, NULL, "rand1bin's crossover rate CR",
     offsetof(de_state, cr), 0},
    {"memory_size", HPO_OPTION_INT, "100", 1, HPO__DE_MAX_POP, NULL,
     "SHADE's history memory H", offsetof(de_state, memory), 0},
    {0},
};

static void de_destroy(void *state)
{
    de_state *st = state;
    hpo__gen_free(&st->gen);
    hpo_space_free(st->inferred);
    free(st->de_text);
    hpo__de_free(&st->de);
}

/* ---- the stored population ----------------------------------------------- */

static const hpo__gen_ops de_gen_ops; /* below */

static int load(hpo_plugin_ctx *ctx, const hpo__gen *g, int dim, hpo__de *s)
{
    int rc = hpo__de_from_json(s, g->state, ctx->msg);
    if (rc == HPO_OK && s->dim != dim) {
        rc = hpo__fail(ctx->msg, HPO_EINVAL, "%d coordinates for %d "
                       "parameters", s->dim, dim);
        hpo__de_free(s);
    }
    return hpo__gen_bad_state(&de_gen_ops, ctx, rc);
}

static int de_first(void *vst, hpo_plugin_ctx *ctx, const hpo_space *space,
                    cJSON **state)
{
    de_state *st = vst;
    int pop = (int)st->population;
    if (st->population == HPO_AUTO_INT) {
        pop = AUTO_PER_DIM * space->n;
        pop = pop < AUTO_MIN ? AUTO_MIN : pop > AUTO_MAX ? AUTO_MAX : pop;
    }
    hpo__de s;
    int rc = hpo__de_init(&s, st->strategy == 0 ? HPO__DE_SHADE
                                                : HPO__DE_RAND1BIN,
                          space->n, pop, (int)st->memory, st->f, st->cr,
                          ctx->rng, ctx->msg);
    if (rc != HPO_OK)
        return rc;
    *state = hpo__de_to_json(&s, ctx->msg);
    hpo__de_free(&s);
    return *state ? HPO_OK : HPO_ENOMEM;
}

/* A member's target index, or -1 when its attribute has none in [0, pop). */
static int target_of(const hpo__gen_member *m, int pop)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(m->attr, "target");
    if (!cJSON_IsNumber(t) || t->valuedouble < 0 || t->valuedouble >= pop ||
        t->valuedouble != floor(t->valuedouble))
        return -1;
    return t->valueint;
}

/* first[i]: the position in g->m of target i's first finished member, or
 * -1.  Returns how many targets have one. */
static int firsts(const hpo__gen *g, int pop, int *first)
{
    int covered = 0;
    for (int i = 0; i < pop; i++)
        first[i] = -1;
    for (int j = 0; j < g->n; j++) {
        int i = target_of(&g->m[j], pop);
        if (i >= 0 && first[i] < 0 &&
            hpo__state_finished(g->m[j].rec->state)) {
            first[i] = j;
            covered++;
        }
    }
    return covered;
}

static int de_ready(void *st, hpo_plugin_ctx *ctx, const hpo__gen *g)
{
    (void)st;
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(g->state, "pop");
    if (!cJSON_IsNumber(p) || p->valueint < 1 || p->valueint > HPO__DE_MAX_POP)
        return 1; /* corrupt: next() reads it and says what is wrong */
    int *first = hpo__scratch(ctx, sizeof *first * (size_t)p->valueint);
    if (!first)
        return hpo__oom(ctx->msg);
    return firsts(g, p->valueint, first) == p->valueint;
}

/* A number field of a member attribute within [lo, hi]. */
static int member_number(hpo_plugin_ctx *ctx, const hpo__gen_member *m,
                         const char *key, double lo, double hi, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(m->attr, key);
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= lo && v->valuedouble <= hi))
        return hpo__fail(ctx->msg, HPO_EINVAL, "de: trial %d's hpo:de:member "
                         "has no \"%s\" in [%g, %g]", m->rec->number, key, lo,
                         hi);
    *out = v->valuedouble;
    return HPO_OK;
}

/* Row i of s->u, s->f_i[i], s->cr_i[i] from member m; its value. */
static int take_member(hpo_plugin_ctx *ctx, hpo__de *s, int i,
                       const hpo__gen_member *m, double *value)
{
    double *u = s->u + (size_t)i * s->dim;
    int rc = hpo__gen_read_vector(m->attr, "u", u, s->dim,
                                  "de: a trial's hpo:de:member", ctx->msg);
    for (int j = 0; rc == HPO_OK && j < s->dim; j++)
        if (!(u[j] >= 0 && u[j] <= 1))
            rc = hpo__fail(ctx->msg, HPO_EINVAL, "de: trial %d's "
                           "hpo:de:member has u[%d] outside [0, 1]",
                           m->rec->number, j);
    if (rc == HPO_OK)
        rc = member_number(ctx, m, "F", 0, 2, &s->f_i[i]);
    if (rc == HPO_OK)
        rc = member_number(ctx, m, "CR", 0, 1, &s->cr_i[i]);
    *value = hpo__gen_minimised(ctx, m->rec, 0); /* NaN: +inf */
    return rc;
}

static int select_members(hpo_plugin_ctx *ctx, const hpo__gen *g, hpo__de *s)
{
    int *first = hpo__scratch(ctx, sizeof *first * (size_t)s->pop);
    double *values = hpo__scratch(ctx, sizeof *values * (size_t)s->pop);
    if (!first || !values)
        return hpo__oom(ctx->msg);
    if (firsts(g, s->pop, first) != s->pop)
        return hpo__fail(ctx->msg, HPO_EINVAL, "de: a target of generation "
                         "%ld has no finished member", g->generation);
    for (int i = 0; i < s->pop; i++) {
        int rc = take_member(ctx, s, i, &g->m[first[i]], &values[i]);
        if (rc != HPO_OK)
            return rc;
    }
    if (!s->evaluated) /* generation 0: the vectors evaluated are the
                          population (a stand-in's too) */
        memcpy(s->x, s->u, sizeof *s->x * (size_t)s->pop * s->dim);
    s->pending = 1;
    return hpo__de_select(s, values, ctx->rng, ctx->msg);
}

static int de_next(void *vst, hpo_plugin_ctx *ctx, const hpo_space *space,
                   const hpo__gen *g, cJSON **state)
{
    (void)vst;
    hpo__de s;
    int rc = load(ctx, g, space->n, &s);
    if (rc != HPO_OK)
        return rc;
    rc = select_members(ctx, g, &s);
    if (rc == HPO_OK) {
        /* The trial vectors live in the members' attributes: stored as
         * zeros, the state is a third shorter and quicker to write. */
        memset(s.u, 0, sizeof *s.u * (size_t)s.pop * s.dim);
        memset(s.f_i, 0, sizeof *s.f_i * (size_t)s.pop);
        memset(s.cr_i, 0, sizeof *s.cr_i * (size_t)s.pop);
        *state = hpo__de_to_json(&s, ctx->msg);
        rc = *state ? HPO_OK : HPO_ENOMEM;
    }
    hpo__de_free(&s);
    return rc;
}

static const hpo__gen_ops de_gen_ops = {"de", de_first, de_ready, de_next, NULL};

/* ---- the sampler ---------------------------------------------------------- */

static int de_infer_relative_space(void *state, hpo_plugin_ctx *ctx,
                                   const hpo_space **space)
{
    de_state *st = state;
    return hpo__sampler_joint_space(ctx, &st->inferred, space);
}

/* This trial's vector u (target i) into member attribute fields. */
static cJSON *make_trial(hpo_plugin_ctx *ctx, hpo__de *s, int k, double *u)
{
    int i = k % s->pop;
    if (!s->evaluated && k >= s->pop) /* an extra initial member */
        for (int j = 0; j < s->dim; j++)
            s->u[(size_t)i * s->dim + j] = hpo__rng_uniform(ctx->rng);
    else
        hpo__de_trial(s, i, ctx->rng);
    if (!s->evaluated) {
        s->f_i[i] = s->f; /* not used: stored so every member reads alike */
        s->cr_i[i] = s->cr;
    }
    memcpy(u, s->u + (size_t)i * s->dim, sizeof *u * (size_t)s->dim);
    cJSON *extra = cJSON_CreateObject();
    if (!hpo__json_put(extra, "target", cJSON_CreateNumber(i)) ||
        !hpo__json_put(extra, "u", hpo__gen_vector(u, s->dim)) ||
        !hpo__json_put(extra, "F", hpo__json_number(s->f_i[i], 0)) ||
        !hpo__json_put(extra, "CR", hpo__json_number(s->cr_i[i], 0))) {
        cJSON_Delete(extra);
        return NULL;
    }
    return extra;
}

/* st->de: the population of the state hpo__gen_sync read. */
static int current_de(de_state *st, hpo_plugin_ctx *ctx, int dim)
{
    if (st->de_text && strcmp(st->de_text, st->gen.text) == 0)
        return HPO_OK;
    free(st->de_text);
    st->de_text = NULL;
    hpo__de_free(&st->de);
    int rc = load(ctx, &st->gen, dim, &st->de);
    if (rc != HPO_OK)
        return rc;
    st->de_text = hpo__strdup(st->gen.text);
    return st->de_text ? HPO_OK : hpo__oom(ctx->msg);
}

static int de_sample_relative(void *state, hpo_plugin_ctx *ctx,
                              const hpo_space *space, double *values)
{
    de_state *st = state;
    if (hpo_ctx_n_objectives(ctx) != 1)
        return hpo_ctx_fail(ctx, HPO_EUNSUPPORTED,
                            "de: one objective only (nsga2 for several)");
    double *u = hpo__scratch(ctx, sizeof *u * (size_t)space->n);
    if (!u)
        return hpo__oom(ctx->msg);
    int rc = hpo__gen_sync(&st->gen, &de_gen_ops, st, ctx, space);
    if (rc == HPO_OK)
        rc = current_de(st, ctx, space->n);
    if (rc != HPO_OK)
        return rc;
    cJSON *extra = make_trial(ctx, &st->de, st->gen.n, u);
    if (!extra)
        return hpo__oom(ctx->msg);
    for (int j = 0; j < space->n; j++)
        values[j] = hpo__dist_from_unit(&space->p[j].dist, u[j]);
    return hpo__gen_join(&st->gen, &de_gen_ops, ctx, extra);
}

const hpo_sampler_type hpo__sampler_de = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "de",
             .summary = "differential evolution (SHADE or rand/1/bin; "
                        "population shared through storage)",
             .options = de_options,
             .state_size = sizeof(de_state),
             .destroy = de_destroy},
    .infer_relative_space = de_infer_relative_space,
    .sample_relative = de_sample_relative,
    .sample_independent = hpo__sample_independent_uniform,
};
