/*
 * ga.c — the `ga` sampler: the generational genetic algorithm with
 * elitism (Goldberg 1989; the operators and the population's bookkeeping
 * are ga_ops.c and ga_population.c), its population shared by every worker
 * through storage (generation.h).
 *
 *   generation 0    trials draw uniformly random genomes until
 *                   population_size of them have finished; they are the
 *                   population, ranked by fitness.
 *   generation g>0  each trial breeds one child from the stored population
 *                   with its own random stream (two binary tournaments,
 *                   crossover, mutation; ints and steps stay on their
 *                   grid, a mutated categorical takes another choice) and
 *                   records its genome in its member attribute; when
 *                   P - E children have finished, they replace the P - E
 *                   worst members (the best E, the elites, always
 *                   survive) and generation g+1 begins.
 *
 * The stored state ("hpo:ga:state") is the population itself: its genes
 * (one per parameter: the value in the unit cube, a categorical's index),
 * fitness, the generation and stall counters (ga_population_json.c).
 * Fitness is the objective to minimise (maximised ones negated); a FAIL or
 * PRUNED child counts as +inf, worse than every finished one.
 *
 * Over-filled generations (more workers than children still needed):
 * every member is evaluated and stays in the study's history, but the
 * replacement takes the first members to finish counted by trial number —
 * the first P - E (P in generation 0) finished members, in trial-number
 * order, when the generation is seen ready.  A worker that dies leaves a
 * RUNNING member behind; the generation then ends on later members.
 *
 * patience=G stops the study after G generations without a better best:
 * is_exhausted then says so (HPO_DONE; hpo tune logs the reason).  The
 * stored population's size, elites and patience win over the options of a
 * process that joins a running study; the operators are each process's.
 *
 * One objective only (nsga2 is the GA for several).  A conditional space's
 * inactive parameters are genes like the others; the trial simply does not
 * use them.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "ga_population.h"
#include "generation.h"

typedef struct ga_state {
    int64_t size, elites, patience;
    int cross, mut;
    double p_cross, eta_c, p_mut, eta_m, sigma;
    hpo__ga_ops ops;
    hpo__gen gen;
    hpo_space *inferred;
    char *seen;      /* the state is_exhausted last read, and its verdict */
    int seen_stalled;
    /* The population of the stored text pop_text, parsed: reading it
     * costs more than a trial's other work, and it changes once a
     * generation. */
    char *pop_text;
    hpo__ga_pop pop;
} ga_state;

static const hpo_option ga_options[] = {
    {"population_size", HPO_OPTION_INT, "100", 2, HPO__GA_MAX_SIZE, NULL,
     "members of the population (generation 0: this many random trials)",
     offsetof(ga_state, size), 0},
    {"elites", HPO_OPTION_INT, "5", 0, HPO__GA_MAX_SIZE, NULL,
     "best members that survive every generation (below population_size)",
     offsetof(ga_state, elites), 0},
    {"crossover", HPO_OPTION_ENUM, "sbx", 0, 0, "uniform|sbx",
     "sbx (simulated binary on numbers) or uniform",
     offsetof(ga_state, cross), 0},
    {"mutation", HPO_OPTION_ENUM, "polynomial", 0, 0, "polynomial|gaussian",
     "mutation of numeric genes", offsetof(ga_state, mut), 0},
    {"crossover_prob", HPO_OPTION_FLOAT, "0.9", 0, 1, NULL,
     "chance two parents are crossed", offsetof(ga_state, p_cross), 0},
    {"eta_c", HPO_OPTION_FLOAT, "20", 0, 1e6, NULL,
     "SBX distribution index (larger: children nearer their parents)",
     offsetof(ga_state, eta_c), 0},
    {"mutation_prob", HPO_OPTION_FLOAT, "auto", 0, 1, NULL,
     "chance per gene (auto: 1 / parameters)", offsetof(ga_state, p_mut),
     HPO_OPTION_AUTO | HPO_OPTION_LOW_OPEN},
    {"eta_m", HPO_OPTION_FLOAT, "20", 0, 1e6, NULL,
     "polynomial mutation index", offsetof(ga_state, eta_m), 0},
    {"sigma", HPO_OPTION_FLOAT, "0.1", 0, 1, NULL,
     "Gaussian mutation's deviation in the unit cube",
     offsetof(ga_state, sigma), HPO_OPTION_LOW_OPEN},
    {"patience", HPO_OPTION_INT, "0", 0, 1000000, NULL,
     "stop the study after this many generations without improvement (0: "
     "never)", offsetof(ga_state, patience), 0},
    {0},
};

static int ga_init(void *state, hpo_plugin_ctx *ctx)
{
    ga_state *st = state;
    if (st->elites >= st->size)
        return hpo_ctx_fail(ctx, HPO_EINVAL,
                            "ga: elites=%lld must be below population_size="
                            "%lld", (long long)st->elites,
                            (long long)st->size);
    st->ops = (hpo__ga_ops){
        .cross = st->cross == 0 ? HPO__GA_UNIFORM : HPO__GA_SBX,
        .p_cross = st->p_cross,
        .eta_c = st->eta_c,
        .mut = st->mut == 0 ? HPO__GA_POLYNOMIAL : HPO__GA_GAUSSIAN,
        .p_mut = isnan(st->p_mut) ? 0 : st->p_mut, /* 0: 1 / genes */
        .eta_m = st->eta_m,
        .sigma = st->sigma,
    };
    return hpo__ga_ops_check(&st->ops, ctx->msg);
}

static void ga_destroy(void *state)
{
    ga_state *st = state;
    hpo__gen_free(&st->gen);
    hpo_space_free(st->inferred);
    free(st->seen);
    free(st->pop_text);
    hpo__ga_pop_free(&st->pop);
}

/* ---- the stored population ----------------------------------------------- */

static const hpo__gen_ops ga_gen_ops; /* below */

/* The population of g's state for a space of n_genes parameters d. */
static int load_pop(hpo_plugin_ctx *ctx, const hpo__gen *g,
                    const hpo__dist *d, int n_genes, hpo__ga_pop *p)
{
    int rc = hpo__ga_pop_from_object(p, g->state, ctx->msg);
    if (rc == HPO_OK && p->n_genes != n_genes)
        rc = hpo__fail(ctx->msg, HPO_EINVAL, "%d genes for %d parameters",
                       p->n_genes, n_genes);
    if (rc == HPO_OK)
        rc = hpo__ga_pop_check_genes(p, d, ctx->msg);
    if (rc != HPO_OK)
        hpo__ga_pop_free(p);
    return hpo__gen_bad_state(&ga_gen_ops, ctx, rc);
}

/* The population as the driver's state: its own text, kept as written
 * (printed again by cJSON, a gene could lose its last bit and fall off
 * its grid; and reprinting costs more than the rest of a generation). */
static int pop_state(hpo_plugin_ctx *ctx, const hpo__ga_pop *p,
                     cJSON **state)
{
    char *text = hpo__ga_pop_to_json(p);
    *state = text ? cJSON_CreateRaw(text) : NULL;
    free(text);
    return *state ? HPO_OK : hpo__oom(ctx->msg);
}

static int ga_first(void *vst, hpo_plugin_ctx *ctx, const hpo_space *space,
                    cJSON **state)
{
    ga_state *st = vst;
    hpo__ga_pop p;
    int rc = hpo__ga_pop_init(&p, space->n, (int)st->size, (int)st->elites,
                              (int)st->patience, ctx->msg);
    if (rc == HPO_OK)
        rc = pop_state(ctx, &p, state);
    hpo__ga_pop_free(&p);
    return rc;
}

/* Members that end the current generation: P while the first one fills,
 * then P - E children; read from the stored fields, without the genes. */
static int needed(const cJSON *state)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(state, "genes");
    const cJSON *size = cJSON_GetObjectItemCaseSensitive(state, "size");
    const cJSON *elite = cJSON_GetObjectItemCaseSensitive(state, "n_elite");
    if (!cJSON_IsNumber(size) || !cJSON_IsNumber(elite))
        return 1; /* corrupt: next() reads it and says what is wrong */
    int have = cJSON_GetArraySize(n);
    return have < size->valueint ? size->valueint - have
                                 : size->valueint - elite->valueint;
}

static int ga_ready(void *st, hpo_plugin_ctx *ctx, const hpo__gen *g)
{
    (void)st;
    (void)ctx;
    return g->n_finished >= needed(g->state);
}

/* The first k finished members' genes and fitness, by trial number. */
static int children(hpo_plugin_ctx *ctx, const hpo__gen *g,
                    const hpo__dist *d, int n_genes, int k, double *genes,
                    double *fitness)
{
    int c = 0;
    for (int i = 0; i < g->n && c < k; i++) {
        const hpo__trial_rec *t = g->m[i].rec;
        if (!hpo__state_finished(t->state))
            continue;
        double *row = genes + (size_t)c * (size_t)n_genes;
        int rc = hpo__gen_read_vector(g->m[i].attr, "genes", row, n_genes,
                                      "ga: a trial's hpo:ga:member", ctx->msg);
        if (rc == HPO_OK && hpo__ga_invalid_gene(d, n_genes, row) >= 0)
            rc = hpo__fail(ctx->msg, HPO_EINVAL, "ga: trial %d's hpo:ga:member "
                           "has a gene outside its parameter's domain",
                           t->number);
        if (rc != HPO_OK)
            return rc;
        fitness[c++] = hpo__gen_minimised(ctx, t, 0); /* NaN: +inf */
    }
    return c == k ? HPO_OK
                  : hpo__fail(ctx->msg, HPO_EINVAL, "ga: %d of %d children "
                              "finished", c, k);
}

static int ga_next(void *vst, hpo_plugin_ctx *ctx, const hpo_space *space,
                   const hpo__gen *g, cJSON **state)
{
    (void)vst;
    const hpo__dist *d = hpo__gen_dists(ctx, space);
    if (!d)
        return HPO_ENOMEM;
    hpo__ga_pop p;
    int rc = load_pop(ctx, g, d, space->n, &p);
    if (rc != HPO_OK)
        return rc;
    int k = hpo__ga_pop_full(&p) ? hpo__ga_pop_children(&p) : p.size - p.n;
    double *genes = hpo__scratch(ctx, sizeof *genes * (size_t)k * space->n);
    double *fitness = hpo__scratch(ctx, sizeof *fitness * (size_t)k);
    rc = genes && fitness ? children(ctx, g, d, space->n, k, genes, fitness)
                          : hpo__oom(ctx->msg);
    if (rc == HPO_OK && hpo__ga_pop_full(&p))
        rc = hpo__ga_pop_replace(&p, genes, fitness, k, ctx->msg);
    for (int i = 0; rc == HPO_OK && !hpo__ga_pop_full(&p) && i < k; i++)
        rc = hpo__ga_pop_add(&p, genes + (size_t)i * space->n, fitness[i],
                             ctx->msg);
    if (rc == HPO_OK)
        rc = pop_state(ctx, &p, state);
    hpo__ga_pop_free(&p);
    return rc;
}

static const hpo__gen_ops ga_gen_ops = {"ga", ga_first, ga_ready, ga_next, NULL};

/* ---- the sampler ---------------------------------------------------------- */

static int ga_infer_relative_space(void *state, hpo_plugin_ctx *ctx,
                                   const hpo_space **space)
{
    ga_state *st = state;
    return hpo__sampler_joint_space(ctx, &st->inferred, space);
}

/* st->pop: the population of the state hpo__gen_sync read (the same
 * text is the same space, checked by the driver). */
static int current_pop(ga_state *st, hpo_plugin_ctx *ctx, const hpo__dist *d,
                       int n)
{
    if (st->pop_text && strcmp(st->pop_text, st->gen.text) == 0)
        return HPO_OK;
    free(st->pop_text);
    st->pop_text = NULL;
    hpo__ga_pop_free(&st->pop);
    int rc = load_pop(ctx, &st->gen, d, n, &st->pop);
    if (rc != HPO_OK)
        return rc;
    st->pop_text = hpo__strdup(st->gen.text);
    return st->pop_text ? HPO_OK : hpo__oom(ctx->msg);
}

/* This trial's genome: random while generation 0 fills, else a child. */
static int genome(ga_state *st, hpo_plugin_ctx *ctx, const hpo__dist *d,
                  int n, double *genes)
{
    int rc = current_pop(st, ctx, d, n);
    if (rc != HPO_OK)
        return rc;
    if (!hpo__ga_pop_full(&st->pop)) {
        hpo__ga_random(d, n, ctx->rng, genes);
        return HPO_OK;
    }
    /* Breeding makes a pair; one trial takes the first child. */
    double *other = hpo__scratch(ctx, sizeof *other * (size_t)n);
    if (!other)
        return hpo__oom(ctx->msg);
    hpo__ga_pop_breed(&st->pop, &st->ops, d, ctx->rng, genes, other);
    return HPO_OK;
}

static int ga_sample_relative(void *state, hpo_plugin_ctx *ctx,
                              const hpo_space *space, double *values)
{
    ga_state *st = state;
    if (hpo_ctx_n_objectives(ctx) != 1)
        return hpo_ctx_fail(ctx, HPO_EUNSUPPORTED,
                            "ga: one objective only (nsga2 is the genetic "
                            "algorithm for several)");
    hpo__dist *d = hpo__gen_dists(ctx, space);
    double *genes = hpo__scratch(ctx, sizeof *genes * (size_t)space->n);
    if (!d || !genes)
        return hpo__oom(ctx->msg);
    int rc = hpo__gen_sync(&st->gen, &ga_gen_ops, st, ctx, space);
    if (rc == HPO_OK)
        rc = genome(st, ctx, d, space->n, genes);
    if (rc != HPO_OK)
        return rc;
    hpo__ga_decode(d, space->n, genes, values);
    cJSON *extra = cJSON_CreateObject();
    if (!hpo__json_put(extra, "genes", hpo__gen_vector(genes, space->n))) {
        cJSON_Delete(extra);
        return hpo__oom(ctx->msg);
    }
    return hpo__gen_join(&st->gen, &ga_gen_ops, ctx, extra);
}

/* Stalled (patience generations without improvement): the study stops.
 * The state is read each time (another worker may have advanced it), its
 * verdict kept until the text changes. */
static int ga_is_exhausted(void *state, hpo_plugin_ctx *ctx)
{
    ga_state *st = state;
    const char *text;
    int rc = hpo_ctx_study_attr(ctx, "hpo:ga:state", &text);
    if (rc != HPO_OK || !text)
        return rc;
    if (st->seen && strcmp(st->seen, text) == 0)
        return st->seen_stalled;
    cJSON *root = cJSON_Parse(text);
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, "state");
    const cJSON *stale = cJSON_GetObjectItemCaseSensitive(s, "stale");
    const cJSON *patience = cJSON_GetObjectItemCaseSensitive(s, "patience");
    const cJSON *gen = cJSON_GetObjectItemCaseSensitive(s, "generation");
    int stalled = cJSON_IsNumber(stale) && cJSON_IsNumber(patience) &&
                  patience->valueint > 0 &&
                  stale->valueint >= patience->valueint;
    if (stalled)
        hpo_ctx_log(ctx, 1, "ga: no improvement in %d generations "
                    "(patience=%d, generation %d): the study stops",
                    stale->valueint, patience->valueint,
                    cJSON_IsNumber(gen) ? gen->valueint : -1);
    cJSON_Delete(root);
    free(st->seen);
    st->seen = hpo__strdup(text);
    st->seen_stalled = stalled;
    return stalled;
}

const hpo_sampler_type hpo__sampler_ga = {
    .head = {.version = HPO_PLUGIN_VERSION,
             .name = "ga",
             .summary = "genetic algorithm (tournament, SBX or uniform "
                        "crossover, polynomial or Gaussian mutation, "
                        "elitism; population shared through storage)",
             .options = ga_options,
             .state_size = sizeof(ga_state),
             .init = ga_init,
             .destroy = ga_destroy},
    .is_exhausted = ga_is_exhausted,
    .infer_relative_space = ga_infer_relative_space,
    .sample_relative = ga_sample_relative,
    .sample_independent = hpo__sample_independent_uniform,
};
