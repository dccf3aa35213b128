/*
 * ga_population.h — the generational bookkeeping of the genetic algorithm
 * (ga_population.c): a population of P genomes (ga_ops.h) with their
 * fitness, ranked for minimisation; binary tournament selection;
 * replacement of the worst by children with elitism; the generation count
 * and the stopping rule "no improvement of the best for G generations".
 *
 *   empty --add x P--> full, ranked (generation 0)
 *   full  --breed (P - E) children, evaluate them, replace--> generation+1
 *
 * The struct is plain data that hpo__ga_pop_to_json / _from_json write
 * and read back exactly, so workers can share one population through
 * storage.  No globals; randomness from the caller's hpo__rng.
 *
 * How a sampler can drive it with workers sharing the study (not wired
 * yet): the population's JSON lives in a study system attribute, updated
 * with compare-and-set.  A trial asked while the first generation fills
 * draws hpo__ga_random; later ones breed from the stored population with
 * the trial's own stream (hpo__rng_derive(seed, trial number)), so any
 * worker makes the same child, and record the generation they came from.
 * A child's genome is hpo__ga_encode of its trial's parameters (exact on
 * grids), so the trials themselves hold the brood: whichever worker sees
 * P - E finished children of the current generation calls
 * hpo__ga_pop_replace and writes the population back.
 *
 * Fitness is minimised (a maximising study passes -value).  A fitness that is not finite (a failed trial) is
 * kept as +inf: worst, never the best.
 */
#ifndef HPO_GA_POPULATION_H
#define HPO_GA_POPULATION_H

#include "../core/internal.h"
#include "ga_ops.h"

#define HPO__GA_DEFAULT_SIZE 100
#define HPO__GA_DEFAULT_ELITE 5
#define HPO__GA_DEFAULT_PATIENCE 0 /* off: run to the budget */
#define HPO__GA_MAX_SIZE 100000
/* genes in all (size x n_genes): a stored state asking for more is corrupt */
#define HPO__GA_MAX_GENES 50000000

typedef struct hpo__ga_pop {
    int n_genes;
    int size;       /* P, at least 2 */
    int n_elite;    /* E, 0 <= E < P: the best E survive every generation */
    int patience;   /* G; 0: never stalls */
    int generation; /* replacements done since the population filled */
    int stale;      /* generations since the best last improved */
    double best;    /* the best fitness seen; +inf before the first */
    int n;          /* members; below size while the first generation fills */
    double *genes;  /* size x n_genes, member i at genes + i * n_genes */
    double *fitness; /* size; ranked best first once full */
    /* scratch for ranking (allocated with the rest, not state) */
    struct hpo__ga_key *key; /* size */
    double *row;             /* n_genes */
} hpo__ga_pop;

/* HPO_OK, HPO_EINVAL (a bad size, elite count or patience) or HPO_ENOMEM,
 * with a message in *m. */
int hpo__ga_pop_init(hpo__ga_pop *p, int n_genes, int size, int n_elite,
                     int patience, hpo__msg *m);
void hpo__ga_pop_free(hpo__ga_pop *p);

static inline double *hpo__ga_member(const hpo__ga_pop *p, int i)
{
    return p->genes + (size_t)i * (size_t)p->n_genes;
}

/* Is the first generation complete? */
static inline int hpo__ga_pop_full(const hpo__ga_pop *p)
{
    return p->n == p->size;
}

/* Children each generation: P - E, so the best E always survive. */
static inline int hpo__ga_pop_children(const hpo__ga_pop *p)
{
    return p->size - p->n_elite;
}

/* Add an evaluated member of the first generation; the population is
 * ranked when it becomes full.  HPO_EINVAL once it is full. */
int hpo__ga_pop_add(hpo__ga_pop *p, const double *genes, double fitness,
                    hpo__msg *m);

/* Sort members best first (ties keep their order), O(P log P). */
void hpo__ga_pop_rank(hpo__ga_pop *p);

/* Binary tournament: two distinct members at random, the better one's
 * index.  Needs at least 2 members. */
int hpo__ga_pop_select(const hpo__ga_pop *p, hpo__rng *r);

/* Two children of two tournament winners: crossover, then mutation. */
void hpo__ga_pop_breed(const hpo__ga_pop *p, const hpo__ga_ops *ops,
                       const hpo__dist *d, hpo__rng *r, double *c1,
                       double *c2);

/* End a generation: the k evaluated children (k x n_genes genes, k
 * fitness values) replace the k worst members, the population is ranked
 * again, the generation counter and the stale count advance.  Needs a full
 * population and 1 <= k <= P - E (HPO_EINVAL otherwise). */
int hpo__ga_pop_replace(hpo__ga_pop *p, const double *genes,
                        const double *fitness, int k, hpo__msg *m);

/* Has the best not improved for `patience` generations? */
int hpo__ga_pop_stalled(const hpo__ga_pop *p);

/* Do the members' genes fit the space d (n_genes parameters)?  HPO_OK, or
 * HPO_EINVAL naming the first member and gene that does not: a stored
 * population from another space, or a corrupt one. */
int hpo__ga_pop_check_genes(const hpo__ga_pop *p, const hpo__dist *d,
                            hpo__msg *m);

/* The population as JSON text (malloc'd; NULL when memory runs out). */
char *hpo__ga_pop_to_json(const hpo__ga_pop *p);
/* Read text written by hpo__ga_pop_to_json into *p (initialised here; free
 * it with hpo__ga_pop_free).  HPO_EINVAL for text that is not a GA
 * population or is inconsistent, with a message; *p is then empty. */
int hpo__ga_pop_from_json(hpo__ga_pop *p, const char *text, hpo__msg *m);
/* The same from the parsed text (a sampler keeps it inside a larger
 * document): no printing, so every gene is read back exactly. */
struct cJSON;
int hpo__ga_pop_from_object(hpo__ga_pop *p, const struct cJSON *o,
                            hpo__msg *m);

#endif
