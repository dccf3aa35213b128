/*
 * race.h — the insides of iterated racing, shared by race.c (iterations
 * and budgets), race_loop.c (one race), model.c (sampling), run_block.c
 * (one instance's experiments as trials, in parallel) and final.c (the
 * elites' summary and test trials).
 *
 * An iteration:
 *
 *   sample configurations ──> race: instance after instance ──┐
 *    (model around elites)    run the alive ones on it          │ test every
 *            ^                (an elite's old result is reused)  │ each_test
 *            │                drop the statistically worse <─────┘
 *            └── update model <── elites = best survivors (budget spent or
 *                                   <= min_survivors left)
 */
#ifndef HPO_RACE_H
#define HPO_RACE_H

#include "../core/internal.h"
#include "hpo.h"

/* One configuration: its values and its own copy of the sampling model
 * (irace keeps a model per elite, inherited from the parent). */
typedef struct race_conf {
    int id, parent;     /* parent: -1 when sampled uniformly */
    double *x;          /* internal values, NaN where inactive */
    double *sd;         /* numeric parameters: sd in the unit scale */
    double *prob;       /* categorical parameters: at prob + off[p] */
    double *res;        /* by stream position; NaN = not run */
    int alive;
    int elite;          /* it was an elite when this race began */
} race_conf;

typedef struct hpo__race {
    hpo_study *study;
    const hpo_race_options *o;
    const hpo_space *space;
    int np, nvar, n_prob; /* parameters, of them not fixed, probabilities */
    int *off;             /* offset of p's probabilities (categorical) */
    int minimize;
    hpo__rng rng;
    race_conf **conf;
    int n_conf, cap_conf;
    /* The instance stream: irace's (instance, seed) pairs, in shuffled
     * passes over the instances, each visit with a new seed. */
    int *inst;
    uint32_t *seed;
    int n_stream, cap_stream;
    int next_pos; /* the first position no race has used */
    int64_t used, budget;
    double t0;
    int iteration, n_iter, min_surv, first_test, each_test;
    double confidence;
    hpo__msg *msg;
} hpo__race;

/* model.c */
race_conf *hpo__race_conf_new(hpo__race *r);
void hpo__race_conf_free(race_conf *c);
/* Configuration c drawn uniformly; the model starts at irace's initial
 * sd (half the range) and uniform probabilities. */
void hpo__race_sample_uniform(hpo__race *r, race_conf *c);
/* A new configuration from the elites (parent by rank weight); elites[0]
 * is the best. */
void hpo__race_sample_model(hpo__race *r, race_conf **elites, int n_elites,
                            race_conf *c);
/* Tighten each elite's model for an iteration of n_new new ones. */
void hpo__race_update_model(hpo__race *r, race_conf **elites, int n_elites,
                            int n_new);
/* irace's soft restart: widen the models of elites whose offspring came
 * out (nearly) equal to another configuration; nonzero if any did. */
int hpo__race_soft_restart(hpo__race *r, race_conf **elites, int n_elites,
                           race_conf **fresh, int n_fresh, int n_new);

/* run_block.c: run the configurations `todo` on stream position pos,
 * storing each as a trial and its score in res[pos].  HPO_OK or the error
 * that stops the race. */
int hpo__race_run_block(hpo__race *r, race_conf **todo, int n, int pos);
/* Run configuration c on a test instance (stored, not counted). */
int hpo__race_run_test(hpo__race *r, race_conf **todo, int n, int ti,
                       double *scores);
/* A RUNNING trial holding c's params and the user attributes labels (may
 * be NULL), all stored in one write (hpo__study_ask_preset). */
int hpo__race_make_trial(hpo__race *r, const race_conf *c,
                         const hpo__attrs *labels, hpo_trial **out);
/* Set labels[key] to the JSON of v (taken, may be NULL: ENOMEM). */
struct cJSON;
int hpo__race_label(hpo__attrs *labels, const char *key, struct cJSON *v);

/* race_loop.c: race the configurations confs[0..n-1] (the elites first,
 * flagged) for iteration r->iteration within `budget` experiments; on
 * return the alive ones are ranked best first in confs[0..*n_alive-1]. */
int hpo__race_one(hpo__race *r, race_conf **confs, int n, int64_t budget,
                  int *n_alive);
/* A stream position, created (with a new seed) if needed. */
int hpo__race_position(hpo__race *r, int pos);

/* final.c */
int hpo__race_finish(hpo__race *r, race_conf **elites, int n,
                     hpo_race_elite **out);

#endif
