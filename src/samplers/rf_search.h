/*
 * rf_search.h — how the `rf` sampler encodes configurations for its forest
 * (rf_encode.c) and where it looks for the next one (rf_search.c).
 *
 * A configuration is a vector z with one feature per parameter of the
 * space:
 *   float, int   the unit-cube coordinate (hpo__dist_to_unit: log axes in
 *                log space), -1 when the parameter is inactive;
 *   categorical  the index of the choice; a conditional categorical has one
 *                more category, n_choices, meaning inactive.
 * Which parameters are active follows the space's conditions (a parent is
 * an earlier categorical), so the forest sees conditional parameters
 * whether they are active or not.
 */
#ifndef HPO_RF_SEARCH_H
#define HPO_RF_SEARCH_H

#include "../core/internal.h"
#include "rf_forest.h"

typedef struct rf_encoding {
    const hpo_space *space; /* borrowed */
    int dim;                /* space->n */
    int *n_cat;             /* per feature, for the forest: 0 = numeric */
    int conditional;        /* some parameter has a parent */
    int branch;             /* the branching categorical, or -1 (below) */
} rf_encoding;

/* The branching categorical is the top-level categorical with the most
 * parameters conditioned on it (directly or below them): its choices are
 * the branches of the space (model kinds, say), each with parameters of
 * its own, which rf.c keeps exploring (branch_fraction).
 * 0, or -1 when out of memory. */
int rf_encoding_init(rf_encoding *e, const hpo_space *space);
void rf_encoding_free(rf_encoding *e);

int rf_inactive(const rf_encoding *e, int i, const double *z);
/* Encode a trial: 0, or -1 when it lacks an unconditional parameter or a
 * value lies outside its parameter's domain (the trial is not modelled).
 * A conditional parameter the trial lacks is inactive. */
int rf_encode_trial(const rf_encoding *e, const hpo__trial_rec *t, double *z);
/* Internal values for the core (NaN for inactive parameters). */
void rf_decode(const rf_encoding *e, const double *z, double *values);
/* Make z consistent with the conditions, in space order: inactive
 * parameters get their inactive code, newly active ones a uniform value. */
void rf_fix_activity(const rf_encoding *e, hpo__rng *rng, double *z);
/* A uniform random configuration. */
void rf_random_config(const rf_encoding *e, hpo__rng *rng, double *z);
/* A uniform random configuration whose branching categorical (e->branch
 * >= 0) takes the given choice. */
void rf_random_in_branch(const rf_encoding *e, int choice, hpo__rng *rng,
                         double *z);

/* ---- maximizing expected improvement (rf_search.c) ------------------------ */

typedef struct rf_search {
    const rf_forest *forest;
    const rf_encoding *enc;
    double best;      /* the incumbent's (transformed) value */
    double sd_floor;  /* smallest predictive sd, so log-EI orders every point */
    int n_random;     /* random configurations scored */
    int n_starts;     /* local searches from the best observed points */
    int n_random_starts; /* ... and from the best random configurations */
    int max_steps;    /* moves per local search */
    int n_running;    /* the last rows of x that are running trials */
} rf_search;

/* How close, in the unit cube (the largest numeric coordinate difference,
 * categoricals equal), a proposal may come to a running trial. */
#define RF_RUNNING_APART 1e-2

/* log EI at z (higher is better). */
double rf_log_ei(const rf_search *s, const double *z);

/*
 * Write to out the configuration of highest log-EI found by local search
 * from the observed points best[0 .. n_best-1] (rows of x) and from the
 * best of n_random random configurations, among those that are not rows
 * of x (x holds every observed and running configuration, n_x rows) and
 * not within RF_RUNNING_APART of its last s->n_running rows.
 * Returns 1 when found, 0 when every candidate was already observed,
 * -1 when out of memory.
 */
int rf_search_maximize(const rf_search *s, const double *x, int n_x,
                       const int *best, int n_best, hpo__rng *rng,
                       double *out);

#endif
