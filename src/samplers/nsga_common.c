/*
 * nsga_common.c — the loop nsga2 and nsga3 share: NSGA-II's (Deb, Pratap,
 * Agarwal & Meyarivan 2002) elitist generations on the shared population
 * of generation.h, as Optuna's NSGAIISampler runs them.
 *
 *   generation 0   population_size random configurations;
 *   generation g   each trial is a child of two parents drawn by binary
 *                  tournament (lower front wins, then the larger crowding
 *                  distance (nsga2; nsga3 stores none), then the first
 *                  drawn), crossed (uniform, or SBX; with chance
 *                  crossover_prob, else a copy of the first) and mutated
 *                  (polynomial or Gaussian on numbers, another choice for
 *                  a categorical; each gene with chance mutation_prob),
 *                  all from the trial's own stream;
 *   ready          when population_size members are COMPLETE (Optuna's
 *                  rule): FAIL and PRUNED members carry no values, so they
 *                  count for nothing and the generation goes on breeding
 *                  until enough children have completed;
 *   next           the parents of g + 1 are chosen from the parents of g
 *                  and every COMPLETE member of g: whole non-dominated
 *                  fronts (constrained domination when trials carry
 *                  constraints: feasible before infeasible, the infeasible
 *                  by violation) while they fit, then the front that does
 *                  not fit is cut (nsga2: largest crowding distance first;
 *                  nsga3: reference-point niching).
 *
 * Members beyond population_size (more workers than the population: a
 * generation over-filled while the first children were running) are
 * children like the others: every COMPLETE one enters the selection.
 * Members still running when the generation closes never enter one (as in
 * Optuna: they belong to a generation that has passed).
 *
 * The selection sorts only the parents and one generation's members, never
 * the whole history: the driver scans trials from its watermark and the
 * parents are found by number (binary search), so a trial costs the same
 * at 10,000 trials as at 100.  The selection draws from a stream of the
 * study's seed and the generation, so whichever worker computes it, the
 * result is the same.
 *
 * A parent's genome (ga_ops.h: unit-cube genes, a categorical's index) is
 * read back from its trial's parameters; a parameter the trial did not use
 * (inactive in a conditional space) gets a random gene.  The member
 * attribute holds only the generation and index: storing the genome there
 * too ("x", 30 numbers for ZDT) made each trial print and parse the
 * genomes of the whole current generation (the driver reads every
 * member's attribute): 0.2 ms of a trial at 30 parameters.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "nondominated.h"
#include "nsga.h"

/* mutation_prob=auto: 1 / genes, but at least this.  Optuna's 1 / genes
 * mutates one of ZDT's 30 genes a child; 0.1 measured better on all three
 * (hpo-bench quality, ZDT1-3, 5,000 trials, 10 seeds: 120.2 / 119.3 /
 * 126.7 with 1/30, 120.5 / 119.8 / 128.5 with 0.1); spaces of up to ten
 * parameters keep 1 / genes. */
#define AUTO_MIN_MUTATION 0.1

/* The selection's stream ("nsga-sel") plus the generation. */
#define SELECT_STREAM UINT64_C(0x6e7367612d73656c)

int hpo__nsga_init(nsga_state *st, hpo_plugin_ctx *ctx)
{
    hpo__ga_ops_default(&st->ops);
    st->ops.cross = st->cross ? HPO__GA_SBX : HPO__GA_UNIFORM;
    st->ops.mut = st->mut ? HPO__GA_GAUSSIAN : HPO__GA_POLYNOMIAL;
    st->ops.p_cross = st->p_cross;
    st->ops.p_mut = isnan(st->p_mut) ? 0 : st->p_mut;
    st->ops.eta_c = st->eta_c;
    st->ops.eta_m = st->eta_m;
    st->ops.sigma = st->sigma;
    return hpo__ga_ops_check(&st->ops, ctx->msg);
}

void hpo__nsga_destroy(void *state)
{
    nsga_state *st = state;
    hpo__gen_free(&st->gen);
    hpo_space_free(st->inferred);
    free(st->refs);
}

int hpo__nsga_infer(void *state, hpo_plugin_ctx *ctx, const hpo_space **space)
{
    nsga_state *st = state;
    return hpo__sampler_joint_space(ctx, &st->inferred, space);
}

int hpo__nsga_population(const nsga_state *st)
{
    if (st->population != HPO_AUTO_INT)
        return (int)st->population;
    int n = st->n_refs > 50 ? st->n_refs : 50;
    return (n + 3) / 4 * 4;
}

/* ---- trials by number ----------------------------------------------------- */

/* The trial numbered `number` in the history (ordered by number), or NULL. */
static const hpo__trial_rec *by_number(const hpo__trial_rec *t, int n,
                                       double number)
{
    if (!(number >= 0 && number <= INT_MAX))
        return NULL; /* not a trial number (a corrupt state) */
    int lo = hpo__gen_first_at(t, n, (int)number);
    return lo < n && t[lo].number == number ? &t[lo] : NULL;
}

/* A parent's genes: its parameters, and random genes for those it did
 * not use (inactive in a conditional space) or lacks (a trial from before
 * the sampler). */
static void genome_of(hpo_plugin_ctx *ctx, const hpo_space *space,
                      const hpo__dist *d, const hpo__trial_rec *r, double *x)
{
    for (int i = 0; i < space->n; i++) {
        const char *name = space->p[i].name;
        /* A declared space's parameters are usually stored in its order. */
        const hpo__param *p = !r ? NULL
                              : i < r->n_params &&
                                        strcmp(r->params[i].name, name) == 0
                                  ? &r->params[i]
                                  : hpo__rec_param(r, name);
        if (p && hpo__dist_contains(&d[i], p->internal))
            hpo__ga_encode(&d[i], 1, &p->internal, &x[i]);
        else
            hpo__ga_random(&d[i], 1, ctx->rng, &x[i]);
    }
}

/* Binary tournament: the lower front, then the larger crowding distance
 * (NaN: infinite), then the first drawn. */
static int tournament(const nsga_parents *p, hpo__rng *r)
{
    int i = (int)hpo__rng_below(r, (uint64_t)p->n);
    int j = (int)hpo__rng_below(r, (uint64_t)p->n);
    if (p->rank[i] != p->rank[j])
        return p->rank[i] < p->rank[j] ? i : j;
    double ci = isnan(p->crowding[i]) ? INFINITY : p->crowding[i];
    double cj = isnan(p->crowding[j]) ? INFINITY : p->crowding[j];
    return cj > ci ? j : i;
}

/* This trial's genome: random in generation 0, else a mutated child. */
static int breed(nsga_state *st, hpo_plugin_ctx *ctx, const hpo_space *space,
                 const nsga_parents *par, const hpo__dist *d, double *x)
{
    int n = space->n;
    if (par->n == 0) {
        hpo__ga_random(d, n, ctx->rng, x);
        return HPO_OK;
    }
    double *buf = hpo__scratch(ctx, sizeof(double) * (size_t)n * 3);
    if (!buf)
        return hpo__oom(ctx->msg);
    const hpo__trial_rec *trials;
    int n_trials, rc = hpo__ctx_history(ctx, &trials, &n_trials);
    if (rc != HPO_OK)
        return rc;
    int a = tournament(par, ctx->rng), b = tournament(par, ctx->rng);
    genome_of(ctx, space, d, by_number(trials, n_trials, par->number[a]),
              buf);
    genome_of(ctx, space, d, by_number(trials, n_trials, par->number[b]),
              buf + n);
    hpo__ga_crossover(&st->ops, d, n, buf, buf + n, ctx->rng, x, buf + 2 * n);
    hpo__ga_ops ops = st->ops;
    if (isnan(st->p_mut))
        ops.p_mut = fmax(1.0 / n, AUTO_MIN_MUTATION);
    hpo__ga_mutate(&ops, d, n, x, ctx->rng);
    return HPO_OK;
}

int hpo__nsga_sample(void *state, hpo_plugin_ctx *ctx, const hpo_space *space,
                     double *values)
{
    nsga_state *st = state;
    int rc = st->prepare ? st->prepare(st, ctx, hpo_ctx_n_objectives(ctx))
                         : HPO_OK;
    if (rc == HPO_OK)
        rc = hpo__gen_sync(&st->gen, st->gen_ops, st, ctx, space);
    nsga_parents par;
    if (rc == HPO_OK)
        rc = hpo__nsga_read_parents(ctx, st->gen_ops, st->gen.state, &par);
    if (rc != HPO_OK)
        return rc;
    hpo__dist *d = hpo__gen_dists(ctx, space);
    double *x = hpo__scratch(ctx, sizeof(double) * (size_t)space->n);
    if (!d || !x)
        return hpo__oom(ctx->msg);
    rc = breed(st, ctx, space, &par, d, x);
    if (rc != HPO_OK)
        return rc;
    hpo__ga_decode(d, space->n, x, values);
    return hpo__gen_join(&st->gen, st->gen_ops, ctx, NULL);
}

/* ---- the generation driver's hooks ---------------------------------------- */

int hpo__nsga_first(void *st, hpo_plugin_ctx *ctx, const hpo_space *space,
                    cJSON **state)
{
    (void)st;
    (void)space;
    nsga_parents none = {0};
    *state = hpo__nsga_write_parents(&none);
    return *state ? HPO_OK : hpo__oom(ctx->msg);
}

int hpo__nsga_ready(void *st, hpo_plugin_ctx *ctx, const hpo__gen *g)
{
    (void)ctx;
    return g->n_complete >= hpo__nsga_population(st);
}

/* ---- the selection -------------------------------------------------------- */

static int pool_alloc(hpo_plugin_ctx *ctx, nsga_pool *p, int cap, int m)
{
    memset(p, 0, sizeof *p);
    p->m = m;
    size_t c = (size_t)(cap > 0 ? cap : 1);
    p->rec = hpo__scratch(ctx, sizeof *p->rec * c);
    p->y = hpo__scratch(ctx, sizeof(double) * c * (size_t)m);
    p->viol = hpo__scratch(ctx, sizeof(double) * c);
    p->crowd = hpo__scratch(ctx, sizeof(double) * c);
    p->rank = hpo__scratch(ctx, sizeof(int) * c);
    return p->rec && p->y && p->viol && p->crowd && p->rank
               ? HPO_OK
               : hpo__oom(ctx->msg);
}

static void pool_add(hpo_plugin_ctx *ctx, nsga_pool *p, const hpo__trial_rec *r)
{
    if (!r || r->state != HPO_COMPLETE)
        return;
    for (int k = 0; k < p->m; k++) {
        double v = hpo__gen_minimised(ctx, r, k);
        p->y[(size_t)p->n * p->m + k] =
            isnan(v) ? NSGA_HUGE : fmax(-NSGA_HUGE, fmin(NSGA_HUGE, v));
    }
    p->viol[p->n] = hpo__trial_violation(r);
    p->rec[p->n++] = r;
}

/* The parents of g and its COMPLETE members, ranked. */
static int make_pool(hpo_plugin_ctx *ctx, const hpo__gen *g,
                     const nsga_parents *par, nsga_pool *pool)
{
    const hpo__trial_rec *trials;
    int n_trials, rc = hpo__ctx_history(ctx, &trials, &n_trials);
    if (rc == HPO_OK)
        rc = pool_alloc(ctx, pool, par->n + g->n, hpo_ctx_n_objectives(ctx));
    if (rc != HPO_OK)
        return rc;
    for (int i = 0; i < par->n; i++)
        pool_add(ctx, pool, by_number(trials, n_trials, par->number[i]));
    for (int i = 0; i < g->n; i++)
        pool_add(ctx, pool, g->m[i].rec);
    int constrained = 0;
    for (int i = 0; i < pool->n; i++)
        constrained |= pool->viol[i] > 0;
    return hpo__nd_rank(ctx->msg, pool->y, pool->n, pool->m,
                        constrained ? pool->viol : NULL, pool->rank,
                        &pool->n_fronts);
}

/* Crowding distances front by front, for the fronts the selection reads. */
static int crowd_fronts(hpo_plugin_ctx *ctx, const nsga_pool *pool,
                        const int *order, const int *start, int fronts)
{
    for (int f = 0; f < fronts; f++) {
        int k = start[f + 1] - start[f];
        double *dist = hpo__scratch(ctx, sizeof(double) * (size_t)k);
        if (!dist)
            return hpo__oom(ctx->msg);
        int rc = hpo__nd_crowding(ctx->msg, pool->y, pool->m,
                                  order + start[f], k, dist);
        if (rc != HPO_OK)
            return rc;
        for (int i = 0; i < k; i++)
            pool->crowd[order[start[f] + i]] = dist[i];
    }
    return HPO_OK;
}

/* Pool positions by front (order), front f at order[start[f] ..
 * start[f + 1]). */
static int by_front(hpo_plugin_ctx *ctx, const nsga_pool *pool, int **order,
                    int **start)
{
    *order = hpo__scratch(ctx, sizeof(int) * (size_t)(pool->n + 1));
    *start = hpo__scratch(ctx, sizeof(int) * (size_t)(pool->n_fronts + 2));
    if (!*order || !*start)
        return hpo__oom(ctx->msg);
    for (int i = 0; i < pool->n; i++)
        (*start)[pool->rank[i] + 1]++;
    for (int f = 0; f < pool->n_fronts; f++)
        (*start)[f + 1] += (*start)[f];
    int *fill = hpo__scratch(ctx, sizeof(int) * (size_t)(pool->n_fronts + 1));
    if (!fill)
        return hpo__oom(ctx->msg);
    memcpy(fill, *start, sizeof(int) * (size_t)(pool->n_fronts + 1));
    for (int i = 0; i < pool->n; i++)
        (*order)[fill[pool->rank[i]]++] = i;
    return HPO_OK;
}

/* The new parents: whole fronts while they fit, then the cut of the next;
 * chosen[0..*n_chosen) are pool positions. */
static int select_parents(nsga_state *st, hpo_plugin_ctx *ctx, long gen,
                          const nsga_pool *pool, int *chosen, int *n_chosen)
{
    int *order, *start, size = hpo__nsga_population(st);
    int rc = by_front(ctx, pool, &order, &start);
    int f = 0, n = 0;
    while (f < pool->n_fronts && n + start[f + 1] - start[f] <= size)
        n += start[f + 1] - start[f], f++;
    int last = f < pool->n_fronts && n < size; /* a front to cut */
    if (rc == HPO_OK && st->crowding)
        rc = crowd_fronts(ctx, pool, order, start, f + last);
    if (rc != HPO_OK)
        return rc;
    memcpy(chosen, order, sizeof(int) * (size_t)n);
    if (last) {
        hpo__rng rng;
        hpo__rng_derive(&rng, hpo_ctx_seed(ctx),
                        SELECT_STREAM + (uint64_t)gen);
        rc = st->cut(st, ctx, pool, order, n, order + start[f],
                     start[f + 1] - start[f], size - n, &rng, chosen + n);
        n = size;
    }
    *n_chosen = n;
    return rc;
}

int hpo__nsga_next(void *state, hpo_plugin_ctx *ctx, const hpo_space *space,
                   const hpo__gen *g, cJSON **out)
{
    nsga_state *st = state;
    (void)space;
    nsga_parents par, now;
    nsga_pool pool;
    int rc = hpo__nsga_read_parents(ctx, st->gen_ops, g->state, &par);
    if (rc == HPO_OK)
        rc = make_pool(ctx, g, &par, &pool);
    if (rc != HPO_OK)
        return rc;
    int *chosen = hpo__scratch(ctx, sizeof(int) * (size_t)(pool.n + 1));
    double *buf = hpo__scratch(ctx, sizeof(double) * (size_t)(pool.n + 1) * 3);
    if (!chosen || !buf)
        return hpo__oom(ctx->msg);
    rc = select_parents(st, ctx, g->generation, &pool, chosen, &now.n);
    if (rc != HPO_OK)
        return rc;
    now.number = buf;
    now.rank = buf + pool.n;
    now.crowding = buf + 2 * pool.n;
    for (int i = 0; i < now.n; i++) {
        int c = chosen[i];
        now.number[i] = pool.rec[c]->number;
        now.rank[i] = pool.rank[c];
        now.crowding[i] = st->crowding ? pool.crowd[c] : 0;
    }
    *out = hpo__nsga_write_parents(&now);
    return *out ? HPO_OK : hpo__oom(ctx->msg);
}
