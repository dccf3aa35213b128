/*
 * gp_constraints.h — what the `gp` sampler knows of a study's constraints
 * (gp_constraints.c): which trials are feasible, and a training set per
 * constraint for its own Gaussian process.
 */
#ifndef HPO_GP_CONSTRAINTS_H
#define HPO_GP_CONSTRAINTS_H

#include "sampler.h"

/* At most this many constraints are modelled (one GP each); the rest
 * still decide feasibility. */
#define GP_MAX_CONSTRAINTS 8

/*
 * A trial's constraint values, from its system attribute "constraints" (a
 * JSON list of numbers, each <= 0 when satisfied: Optuna's constraints_func
 * rule; hpo_trial_set_constraints writes it).  Writes up to cap values to
 * c; returns how many the list holds, 0 when the attribute is absent, -1
 * when it is not a list of numbers.  (Feasibility is
 * hpo__trial_violation's to decide.)
 */
int gp_constraints_read(const hpo__trial_rec *t, double *c, int cap);

typedef struct gp_constraint_set {
    int k;            /* constraints modelled; 0: none */
    int n;            /* trials that report k values: the models' rows */
    double *x;        /* n x dim, their encoded points */
    double *y;        /* constraint j's standardized values at y + j n */
    double *threshold; /* k: where 0 lands after standardizing */
    double *violation; /* per trial of the caller's list; 0: feasible */
    int n_feasible;
} gp_constraint_set;

/*
 * From the n completed trials done[] and their encoded points x (n x dim):
 * feasibility of each (hpo__trial_violation: a trial without the attribute
 * is feasible, one with a malformed list is not), and the
 * constraints' training sets, whose count k is the length of the newest
 * list (trials with another length are left out of the models).  Memory
 * from the context's scratch.  HPO_OK or HPO_ENOMEM.
 */
int gp_constraints_collect(gp_constraint_set *cs, hpo_plugin_ctx *ctx,
                           const hpo__trial_rec *const *done, int n,
                           const double *x, int dim);

#endif
