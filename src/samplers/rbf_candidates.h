/*
 * rbf_candidates.h — how the `rbf` sampler proposes a point
 * (rbf_candidates.c): DYCORS's perturbation radius, replayed from the
 * history; its candidates around the best point; and the weighted score
 * of surrogate value and distance that picks one of them.
 */
#ifndef HPO_RBF_CANDIDATES_H
#define HPO_RBF_CANDIDATES_H

#include "gp_encode.h"

/* The radius rule (DYCORS's step-size control, in the unit cube). */
typedef struct rbf_radius_rule {
    double sigma_init, sigma_min, sigma_max;
    int fail_tolerance, success_tolerance;
} rbf_radius_rule;

/*
 * The radius after the values y[0..n) (minimized, in trial-number order):
 * the first n_start are the initial design and only set the incumbent;
 * each later value is a success when it beats the incumbent by more than
 * 1e-3 |incumbent|, else a failure.  After success_tolerance successes in
 * a row the radius doubles (up to sigma_max), after fail_tolerance
 * failures in a row it halves (down to sigma_min).  A function of the
 * history alone, so every worker of a study finds the same radius.
 */
double rbf_radius_replay(const rbf_radius_rule *rule, const double *y, int n,
                         int n_start);

/*
 * DYCORS's probability of perturbing each parameter after n_done values,
 * n_start of them the initial design, in a study of `horizon` trials:
 * min(20/d, 1) (1 - ln(n_done - n_start + 1) / ln(horizon - n_start)),
 * never below 1/d (one parameter on average) — d modelled parameters.
 */
double rbf_perturb_probability(int n_done, int n_start, int horizon, int d);

/*
 * One candidate into u (lay->dim coordinates): the best point `best`, each
 * modelled parameter perturbed with probability p (at least one always):
 * a numeric one by sigma * N(0, 1) in the unit cube, reflected at its
 * bounds and snapped to its grid (an int or step that the snap would put
 * back moves one step), a categorical redrawn among its other choices.
 */
void rbf_perturb(const gp_layout *lay, const hpo_space *space,
                 const double *best, double sigma, double p, hpo__rng *rng,
                 double *u);

/*
 * The candidate with the lowest score
 *     w * V_S + (1 - w) * V_D,
 * V_S the surrogate value pred[k] scaled to [0, 1] over the candidates,
 * V_D = 1 - dist[k] (the distance to the nearest evaluated or running
 * trial) scaled likewise, so both terms are small for a good candidate
 * (Regis & Shoemaker 2007).  Candidates within min_gap of a trial lose to
 * any that are not.
 */
int rbf_pick(const double *pred, const double *dist, int n_cand, double w,
             double min_gap);

#endif
