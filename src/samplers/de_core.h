/*
 * de_core.h — differential evolution on the unit cube, one generation at a
 * time, as pure functions over a plain state (no sampler, no storage).
 *
 *   R. Storn, K. Price, "Differential Evolution – A Simple and Efficient
 *   Heuristic for Global Optimization over Continuous Spaces", J. Global
 *   Optimization 11, 1997: rand/1/bin.
 *   R. Tanabe, A. Fukunaga, "Success-History Based Parameter Adaptation for
 *   Differential Evolution", IEEE CEC 2013: SHADE, current-to-pbest/1/bin
 *   with an external archive and the memories M_F, M_CR.
 *
 * The order of calls (values are minimized; the caller negates for
 * maximization):
 *
 *   hpo__de_init ──► hpo__de_trials ──► (evaluate s->u) ──► hpo__de_select
 *                         ▲                                       │
 *                         └───────────────────────────────────────┘
 *
 * The first round's trial vectors are the random initial population itself
 * (s->evaluated == 0); its selection only records their values.  Between
 * hpo__de_trials and hpo__de_select the state is "pending" (s->pending),
 * and everything a worker needs to continue is in the struct, so it can go
 * to JSON and back at any point (hpo__de_to_json, hpo__de_from_json).
 */
#ifndef HPO_DE_CORE_H
#define HPO_DE_CORE_H

#include <cJSON.h>

#include "core/internal.h"

/* Limits: the generation's scratch lives on the stack. */
#define HPO__DE_MAX_DIM 1000
#define HPO__DE_MAX_POP 1000

typedef enum {
    HPO__DE_RAND1BIN = 0, /* Storn & Price, fixed F and CR */
    HPO__DE_SHADE = 1     /* Tanabe & Fukunaga, adapted F and CR */
} hpo__de_strategy;

typedef struct hpo__de {
    hpo__de_strategy strategy;
    int dim;        /* n: coordinates, each in [0, 1] */
    int pop;        /* N: population size (>= 4) */
    int h;          /* H: SHADE's memory size */
    double f, cr;   /* rand/1/bin's constants */
    int k;          /* the memory slot the next update writes */
    int generation; /* selections done after the initial one */
    int evaluated;  /* the population has values */
    int pending;    /* trial vectors made, their selection not yet done */
    double *x;      /* pop x dim, row-major */
    double *fx;     /* pop values of x (+inf: failed) */
    double *archive;/* pop x dim, the first n_archive rows used */
    int n_archive;
    double *m_f, *m_cr; /* h each */
    double *u;      /* pop x dim: this generation's trial vectors */
    double *f_i, *cr_i; /* pop each: the F and CR each trial used */
} hpo__de;

/* Allocate s for dim coordinates and pop members (>= 4), memory size h
 * (>= 1, SHADE only), rand/1/bin's f in (0, 2] and cr in [0, 1]; the
 * population uniform in the cube from r.  HPO_OK, or HPO_EINVAL /
 * HPO_ENOMEM with a message in m (s is then empty, safe to free). */
int hpo__de_init(hpo__de *s, hpo__de_strategy strategy, int dim, int pop,
                 int h, double f, double cr, hpo__rng *r, hpo__msg *m);
void hpo__de_free(hpo__de *s);
/* hpo__de_init without the population and memory (all zero): for
 * hpo__de_from_json, which fills them. */
int hpo__de_alloc(hpo__de *s, hpo__de_strategy strategy, int dim, int pop,
                  int h, double f, double cr, hpo__msg *m);

/* Make the whole generation's trial vectors s->u (and s->f_i, s->cr_i)
 * from the population, archive and memory.  Calling it again while
 * pending makes fresh ones. */
void hpo__de_trials(hpo__de *s, hpo__rng *r);
/* Only trial vector i (row i of s->u, s->f_i[i], s->cr_i[i]), with the
 * same rule and draws as hpo__de_trials makes it: for a sampler whose
 * trials each make their own with their own stream.  Does not touch
 * s->pending. */
void hpo__de_trial(hpo__de *s, int i, hpo__rng *r);
/* Take the values of s->u (pop of them; NaN counts as +inf, a failed
 * trial) and update population, archive and memory.  HPO_EINVAL with a
 * message when no trials are pending. */
int hpo__de_select(hpo__de *s, const double *values, hpo__rng *r,
                   hpo__msg *m);
/* The index of the best member (lowest value). */
int hpo__de_best(const hpo__de *s);

/* ---- the pieces, exposed for the tests ---------------------------------- */

/* SHADE's F: Cauchy(mu, 0.1), drawn again while <= 0, cut to 1. */
double hpo__de_draw_f(double mu, hpo__rng *r);
/* SHADE's CR: N(mu, 0.1) clipped to [0, 1]. */
double hpo__de_draw_cr(double mu, hpo__rng *r);
/* A mutant's coordinate v outside [0, 1] moved halfway from the parent's
 * coordinate to the bound it crossed (SHADE); inside, v unchanged. */
double hpo__de_repair(double v, double parent);
/* SHADE's memory update from n successes (F, CR, improvement |f(u)-f(x)|):
 * M_F[*k] = weighted Lehmer mean of sf, M_CR[*k] = weighted mean of scr,
 * weights proportional to df; then *k moves on (mod h).  n == 0, or all
 * improvements 0, leaves everything unchanged. */
void hpo__de_memory_update(double *m_f, double *m_cr, int h, int *k,
                           const double *sf, const double *scr,
                           const double *df, int n);

/* The state as a JSON object (owned by the caller), or NULL with a
 * message when memory runs out.  Numbers are raw text, exact to the bit
 * (hpo__json_number): print it to store it, and read it back from the
 * parsed text. */
cJSON *hpo__de_to_json(const hpo__de *s, hpo__msg *m);
/* Read what hpo__de_to_json wrote into s (freed first when not empty is
 * the caller's job: s is overwritten).  HPO_OK, or HPO_EINVAL with a
 * message naming the bad field (s then empty). */
int hpo__de_from_json(hpo__de *s, const cJSON *j, hpo__msg *m);

#endif
