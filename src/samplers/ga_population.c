/*
 * ga_population.c — the genetic algorithm's generations: rank by fitness,
 * binary tournament selection, replacement of the worst with elitism, and
 * the stopping rule.
 *
 * The scheme is the generational GA with elitism as in D. E. Goldberg,
 * "Genetic Algorithms in Search, Optimization and Machine Learning"
 * (Addison-Wesley, 1989), with tournament selection as in Goldberg & Deb,
 * "A Comparative Analysis of Selection Schemes Used in Genetic
 * Algorithms" (FOGA 1991).
 *
 * Deviations:
 *   1. Children replace the worst P - E members (or fewer, when a worker
 *      hands in a part of a generation) rather than the whole population,
 *      so the best E survive without a separate elite archive.
 *   2. A fitness that is not finite (a failed trial) counts as +inf.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ga_population.h"

/* A member's place in the ranking: by fitness, ties by position. */
struct hpo__ga_key {
    double f;
    int i;
};

int hpo__ga_pop_init(hpo__ga_pop *p, int n_genes, int size, int n_elite,
                     int patience, hpo__msg *m)
{
    memset(p, 0, sizeof *p);
    if (n_genes < 0)
        return hpo__fail(m, HPO_EINVAL, "ga: %d genes", n_genes);
    if (size < 2 || size > HPO__GA_MAX_SIZE)
        return hpo__fail(m, HPO_EINVAL,
                         "ga: population size must be 2 to %d (got %d)",
                         HPO__GA_MAX_SIZE, size);
    if (n_elite < 0 || n_elite >= size)
        return hpo__fail(m, HPO_EINVAL,
                         "ga: elite must be 0 to population size - 1 = %d "
                         "(got %d)", size - 1, n_elite);
    if ((double)size * n_genes > HPO__GA_MAX_GENES)
        return hpo__fail(m, HPO_EINVAL,
                         "ga: %d members of %d genes is more than %d genes",
                         size, n_genes, HPO__GA_MAX_GENES);
    if (patience < 0)
        return hpo__fail(m, HPO_EINVAL,
                         "ga: patience must be >= 0 (got %d)", patience);
    p->genes = calloc((size_t)size * (size_t)(n_genes ? n_genes : 1),
                      sizeof *p->genes);
    p->fitness = calloc((size_t)size, sizeof *p->fitness);
    p->key = calloc((size_t)size, sizeof *p->key);
    p->row = calloc((size_t)(n_genes ? n_genes : 1), sizeof *p->row);
    if (!p->genes || !p->fitness || !p->key || !p->row) {
        hpo__ga_pop_free(p);
        return hpo__oom(m);
    }
    p->n_genes = n_genes;
    p->size = size;
    p->n_elite = n_elite;
    p->patience = patience;
    p->best = INFINITY;
    return HPO_OK;
}

void hpo__ga_pop_free(hpo__ga_pop *p)
{
    free(p->genes);
    free(p->fitness);
    free(p->key);
    free(p->row);
    memset(p, 0, sizeof *p);
}

static double as_fitness(double f)
{
    return isfinite(f) ? f : INFINITY;
}

static void put_member(hpo__ga_pop *p, int i, const double *genes,
                       double fitness)
{
    memcpy(hpo__ga_member(p, i), genes, (size_t)p->n_genes * sizeof *genes);
    p->fitness[i] = as_fitness(fitness);
}

/* The best of the ranked population against the best so far. */
static void note_best(hpo__ga_pop *p)
{
    if (p->fitness[0] < p->best) {
        p->best = p->fitness[0];
        p->stale = 0;
    } else {
        p->stale++;
    }
}

int hpo__ga_pop_add(hpo__ga_pop *p, const double *genes, double fitness,
                    hpo__msg *m)
{
    if (p->n >= p->size)
        return hpo__fail(m, HPO_EINVAL,
                         "ga: the first generation is already full (%d)",
                         p->size);
    put_member(p, p->n++, genes, fitness);
    if (p->n == p->size) {
        hpo__ga_pop_rank(p);
        p->best = p->fitness[0];
        p->stale = 0;
    }
    return HPO_OK;
}

static int key_cmp(const void *a, const void *b)
{
    const struct hpo__ga_key *x = a, *y = b;
    if (x->f != y->f)
        return x->f < y->f ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* Put old member key[j].i at position j for every j, following each cycle
 * of the permutation with one spare row; a placed key is marked -1. */
static void permute(hpo__ga_pop *p)
{
    size_t bytes = (size_t)p->n_genes * sizeof *p->row;
    for (int j = 0; j < p->n; j++) {
        if (p->key[j].i < 0 || p->key[j].i == j)
            continue;
        memcpy(p->row, hpo__ga_member(p, j), bytes);
        double f = p->fitness[j];
        int k = j;
        for (;;) {
            int src = p->key[k].i;
            p->key[k].i = -1;
            if (src == j) {
                memcpy(hpo__ga_member(p, k), p->row, bytes);
                p->fitness[k] = f;
                break;
            }
            memcpy(hpo__ga_member(p, k), hpo__ga_member(p, src), bytes);
            p->fitness[k] = p->fitness[src];
            k = src;
        }
    }
}

void hpo__ga_pop_rank(hpo__ga_pop *p)
{
    for (int i = 0; i < p->n; i++)
        p->key[i] = (struct hpo__ga_key){p->fitness[i], i};
    qsort(p->key, (size_t)p->n, sizeof *p->key, key_cmp);
    permute(p);
}

int hpo__ga_pop_select(const hpo__ga_pop *p, hpo__rng *r)
{
    int a = (int)hpo__rng_below(r, (uint64_t)p->n);
    int b = (int)hpo__rng_below(r, (uint64_t)p->n - 1);
    if (b >= a) /* distinct from a */
        b++;
    /* ties go to the lower index: ranked, the same fitness either way */
    return p->fitness[b] < p->fitness[a] || (p->fitness[b] == p->fitness[a] && b < a)
               ? b : a;
}

void hpo__ga_pop_breed(const hpo__ga_pop *p, const hpo__ga_ops *ops,
                       const hpo__dist *d, hpo__rng *r, double *c1,
                       double *c2)
{
    int a = hpo__ga_pop_select(p, r), b = hpo__ga_pop_select(p, r);
    hpo__ga_crossover(ops, d, p->n_genes, hpo__ga_member(p, a),
                      hpo__ga_member(p, b), r, c1, c2);
    hpo__ga_mutate(ops, d, p->n_genes, c1, r);
    hpo__ga_mutate(ops, d, p->n_genes, c2, r);
}

int hpo__ga_pop_replace(hpo__ga_pop *p, const double *genes,
                        const double *fitness, int k, hpo__msg *m)
{
    if (!hpo__ga_pop_full(p))
        return hpo__fail(m, HPO_EINVAL,
                         "ga: replacing before the first generation is full "
                         "(%d of %d)", p->n, p->size);
    if (k < 1 || k > hpo__ga_pop_children(p))
        return hpo__fail(m, HPO_EINVAL,
                         "ga: %d children for a population of %d with %d "
                         "elite (1 to %d)", k, p->size, p->n_elite,
                         hpo__ga_pop_children(p));
    hpo__ga_pop_rank(p); /* the worst last, whatever the caller did */
    for (int i = 0; i < k; i++)
        put_member(p, p->size - k + i, genes + (size_t)i * (size_t)p->n_genes,
                   fitness[i]);
    hpo__ga_pop_rank(p);
    p->generation++;
    note_best(p);
    return HPO_OK;
}

int hpo__ga_pop_stalled(const hpo__ga_pop *p)
{
    return p->patience > 0 && p->stale >= p->patience;
}

int hpo__ga_pop_check_genes(const hpo__ga_pop *p, const hpo__dist *d,
                            hpo__msg *m)
{
    for (int i = 0; i < p->n; i++) {
        const double *g = hpo__ga_member(p, i);
        int j = hpo__ga_invalid_gene(d, p->n_genes, g);
        if (j >= 0)
            return hpo__fail(m, HPO_EINVAL,
                             "ga state: member %d, gene %d (%g) is outside "
                             "its parameter's domain", i, j, g[j]);
    }
    return HPO_OK;
}
