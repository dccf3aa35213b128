/*
 * rbf_candidates.c — candidate points and their choice for the `rbf`
 * sampler (rbf_candidates.h), after Regis & Shoemaker (2013), "Combining
 * radial basis function surrogates and dynamic coordinate search in
 * high-dimensional expensive black-box optimization" (DYCORS, Eng. Optim.
 * 45), and the weighted score of Regis & Shoemaker (2007), "A stochastic
 * radial basis function method for the global optimization of expensive
 * functions".
 *
 * Deviations: the radius counters are replayed from the history in
 * trial-number order instead of kept in memory (so workers agree); a
 * perturbation is reflected at the bounds (DYCORS projects onto them,
 * which piles candidates on the faces); ints and steps that round back
 * to the best point's value move one grid step, as a perturbation that
 * changes nothing wastes the candidate; categoricals are redrawn.
 */
#include <math.h>

#include "rbf_candidates.h"

#define SUCCESS_MARGIN 1e-3

double rbf_radius_replay(const rbf_radius_rule *rule, const double *y, int n,
                         int n_start)
{
    double sigma = rule->sigma_init, best = HUGE_VAL;
    int fails = 0, successes = 0;
    for (int i = 0; i < n; i++) {
        if (i >= n_start) {
            int success = y[i] < best - SUCCESS_MARGIN * fabs(best);
            fails = success ? 0 : fails + 1;
            successes = success ? successes + 1 : 0;
            if (successes >= rule->success_tolerance) {
                sigma = fmin(2 * sigma, rule->sigma_max);
                successes = 0;
            } else if (fails >= rule->fail_tolerance) {
                sigma = fmax(sigma / 2, rule->sigma_min);
                fails = 0;
            }
        }
        best = fmin(best, y[i]);
    }
    return sigma;
}

double rbf_perturb_probability(int n_done, int n_start, int horizon, int d)
{
    if (d <= 0)
        return 1;
    double p0 = fmin(20.0 / d, 1.0), floor = 1.0 / d;
    int span = horizon - n_start;
    if (span <= 1)
        return floor;
    int k = n_done - n_start;
    double p = p0 * (1 - log(k > 0 ? k + 1 : 1) / log(span));
    return fmax(p, floor);
}

/* Reflect v into [0, 1] (a step is rarely longer than the cube, so a
 * loop beats fmod). */
static double reflect(double v)
{
    if (!isfinite(v))
        return 0.5;
    while (v < 0 || v > 1)
        v = v < 0 ? -v : 2 - v;
    return v;
}

static void perturb_numeric(const hpo__dist *d, double from, double sigma,
                            hpo__rng *rng, double *u)
{
    double step = sigma * hpo__rng_normal(rng);
    double v = reflect(from + step);
    if (d->kind != HPO__INT && !(d->step > 0)) {
        *u = v;
        return;
    }
    double at = hpo__dist_snap(d, hpo__dist_from_unit(d, from));
    double to = hpo__dist_snap(d, hpo__dist_from_unit(d, v));
    if (to == at) {
        /* One grid step in the direction drawn, or the other way at a
         * bound. */
        double g = d->kind == HPO__INT && !(d->step > 0) ? 1 : d->step;
        double up = hpo__dist_snap(d, at + g), down = hpo__dist_snap(d, at - g);
        to = (step >= 0 && up != at) || down == at ? up : down;
    }
    *u = hpo__dist_to_unit(d, to);
}

static void redraw_categorical(int w, hpo__rng *rng, double *u)
{
    int now = 0;
    for (int c = 1; c < w; c++)
        now = u[c] > u[now] ? c : now;
    int pick = (int)hpo__rng_below(rng, (uint64_t)(w - 1));
    pick += pick >= now;
    for (int c = 0; c < w; c++)
        u[c] = c == pick;
}

static void perturb_param(const gp_layout *lay, const hpo_space *space,
                          int i, double sigma, hpo__rng *rng, double *u)
{
    const hpo__dist *d = &space->p[i].dist;
    double *ui = u + lay->offset[i];
    if (d->kind == HPO__CATEGORICAL)
        redraw_categorical(lay->width[i], rng, ui);
    else
        perturb_numeric(d, ui[0], sigma, rng, ui);
}

void rbf_perturb(const gp_layout *lay, const hpo_space *space,
                 const double *best, double sigma, double p, hpo__rng *rng,
                 double *u)
{
    int n_modelled = 0, moved = 0;
    for (int j = 0; j < lay->dim; j++)
        u[j] = best[j];
    for (int i = 0; i < space->n; i++) {
        if (lay->width[i] == 0)
            continue;
        n_modelled++;
        if (hpo__rng_uniform(rng) < p) {
            perturb_param(lay, space, i, sigma, rng, u);
            moved++;
        }
    }
    if (moved || n_modelled == 0)
        return;
    /* DYCORS: when no coordinate was drawn, perturb one at random. */
    int k = (int)hpo__rng_below(rng, (uint64_t)n_modelled);
    for (int i = 0; i < space->n; i++)
        if (lay->width[i] > 0 && k-- == 0) {
            perturb_param(lay, space, i, sigma, rng, u);
            return;
        }
}

static double scaled(double v, double lo, double hi)
{
    return hi > lo ? (v - lo) / (hi - lo) : 1;
}

int rbf_pick(const double *pred, const double *dist, int n_cand, double w,
             double min_gap)
{
    double s_lo = HUGE_VAL, s_hi = -HUGE_VAL, d_lo = HUGE_VAL, d_hi = -HUGE_VAL;
    for (int k = 0; k < n_cand; k++) {
        s_lo = fmin(s_lo, pred[k]);
        s_hi = fmax(s_hi, pred[k]);
        d_lo = fmin(d_lo, dist[k]);
        d_hi = fmax(d_hi, dist[k]);
    }
    int pick = 0, pick_apart = 0;
    double pick_score = HUGE_VAL;
    for (int k = 0; k < n_cand; k++) {
        int apart = dist[k] > min_gap;
        double score = w * scaled(pred[k], s_lo, s_hi) +
                       (1 - w) * (1 - scaled(dist[k], d_lo, d_hi));
        if (isnan(score))
            score = HUGE_VAL;
        if (apart > pick_apart || (apart == pick_apart && score < pick_score)) {
            pick = k;
            pick_apart = apart;
            pick_score = score;
        }
    }
    return pick;
}
