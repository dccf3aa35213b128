/*
 * pbt_explore.c — the "explore" step of population-based training
 * (Jaderberg et al. 2017, section 3.1 and appendix A: "perturb" — each
 * hyperparameter multiplied by 0.8 or 1.2 — and "resample" from the prior),
 * as Ray Tune's PBT combines them: resample with a probability, else
 * perturb.
 *
 * Deviations, each so a perturbation always moves within the space:
 *   1. Values are clipped to the bounds and snapped to the grid of the
 *      distribution (an int is rounded).
 *   2. An int (or stepped float) that the factor leaves on the same grid
 *      point moves one step in the factor's direction, else small ints
 *      (1, 2, 3 layers) would never change.
 *   3. A categorical moves to a neighbouring choice (index -1 or +1,
 *      clipped) unless resampled: choices have no order in general, but
 *      a neighbour is the smallest change the space can describe.
 */
#include <math.h>

#include "pbt.h"

void hpo__pbt_sample(const hpo_space *s, hpo__rng *r, double *out)
{
    for (int i = 0; i < s->n; i++)
        out[i] = hpo__dist_from_unit(&s->p[i].dist, hpo__rng_uniform(r));
}

static double perturb_number(const hpo__dist *d, double x, double f)
{
    double y = hpo__dist_snap(d, x * f);
    int discrete = d->kind == HPO__INT || d->step > 0;
    if (discrete && y == x) {
        double step = d->step > 0 ? d->step : 1;
        y = hpo__dist_snap(d, f > 1 ? x + step : x - step);
    }
    return y;
}

/* At either end the only neighbour is the one inside. */
static double perturb_choice(const hpo__dist *d, double x, int up)
{
    double y = up ? x + 1 : x - 1;
    if (y < 0 || y > d->n_choices - 1)
        y = up ? x - 1 : x + 1;
    return hpo__dist_snap(d, y);
}

void hpo__pbt_perturb(const hpo_space *s, const hpo__pbt_opts *o,
                      hpo__rng *r, const double *in, double *out)
{
    for (int i = 0; i < s->n; i++) {
        const hpo__dist *d = &s->p[i].dist;
        /* Both draws are made for every parameter, so the stream (and a
         * seeded run) does not depend on which branch was taken. */
        double u = hpo__rng_uniform(r), v = hpo__rng_uniform(r);
        int up = hpo__rng_uniform(r) < 0.5;
        if (isnan(in[i]) || u < o->resample_probability)
            out[i] = hpo__dist_from_unit(d, v);
        else if (d->kind == HPO__CATEGORICAL)
            out[i] = perturb_choice(d, in[i], up);
        else
            out[i] = perturb_number(d, in[i], up ? o->up : o->down);
    }
}
