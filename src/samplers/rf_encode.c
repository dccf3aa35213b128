/*
 * rf_encode.c — configurations of the `rf` sampler as forest features
 * (rf_search.h).  Unlike the GP's encoding, conditional parameters are
 * modelled: inactive is a value of its own, so a split can separate the
 * trials where a parameter was active from those where it was not (SMAC
 * imputes inactive parameters the same way, below their range).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rf_search.h"
#include "sampler.h"

#define INACTIVE_NUMERIC (-1.0)

/* The top-level categorical most parameters descend from, or -1.
 * n_below is scratch of space->n ints. */
static int branching_param(const hpo_space *space, int *n_below)
{
    for (int i = 0; i < space->n; i++)
        n_below[i] = 0;
    for (int i = 0; i < space->n; i++) {
        int root = i;
        while (space->p[root].parent >= 0)
            root = space->p[root].parent;
        n_below[root] += root != i;
    }
    int best = -1;
    for (int i = 0; i < space->n; i++)
        if (n_below[i] > 0 && (best < 0 || n_below[i] > n_below[best]))
            best = i;
    return best;
}

int rf_encoding_init(rf_encoding *e, const hpo_space *space)
{
    e->space = space;
    e->dim = space->n;
    e->n_cat = malloc(sizeof(int) * (size_t)(space->n + 1));
    if (!e->n_cat)
        return -1;
    e->conditional = 0;
    for (int i = 0; i < space->n; i++) {
        const hpo__space_param *p = &space->p[i];
        e->conditional |= p->parent >= 0;
        e->n_cat[i] = p->dist.kind != HPO__CATEGORICAL ? 0
                      : p->dist.n_choices + (p->parent >= 0);
    }
    int *n_below = malloc(sizeof(int) * (size_t)(space->n + 1));
    if (!n_below) {
        rf_encoding_free(e);
        return -1;
    }
    e->branch = branching_param(space, n_below);
    free(n_below);
    return 0;
}

void rf_encoding_free(rf_encoding *e)
{
    free(e->n_cat);
    e->n_cat = NULL;
}

static double inactive_code(const rf_encoding *e, int i)
{
    const hpo__dist *d = &e->space->p[i].dist;
    return d->kind == HPO__CATEGORICAL ? d->n_choices : INACTIVE_NUMERIC;
}

int rf_inactive(const rf_encoding *e, int i, const double *z)
{
    return z[i] == inactive_code(e, i);
}

/* The trial's parameter i, looked up where this sampler stores it first
 * (the space's order), then by name. */
static const hpo__param *find_param(const hpo__trial_rec *t, int i,
                                    const char *name)
{
    if (i < t->n_params && strcmp(t->params[i].name, name) == 0)
        return &t->params[i];
    return hpo__rec_param(t, name);
}

int rf_encode_trial(const rf_encoding *e, const hpo__trial_rec *t, double *z)
{
    for (int i = 0; i < e->dim; i++) {
        const hpo__space_param *sp = &e->space->p[i];
        const hpo__param *p = find_param(t, i, sp->name);
        if (!p) {
            if (sp->parent < 0)
                return -1;
            z[i] = inactive_code(e, i);
            continue;
        }
        if (!hpo__dist_compatible(&sp->dist, &p->dist) ||
            !hpo__dist_contains(&sp->dist, p->internal))
            return -1;
        z[i] = sp->dist.kind == HPO__CATEGORICAL
                   ? p->internal
                   : hpo__dist_to_unit(&sp->dist, p->internal);
    }
    return 0;
}

void rf_decode(const rf_encoding *e, const double *z, double *values)
{
    for (int i = 0; i < e->dim; i++) {
        const hpo__dist *d = &e->space->p[i].dist;
        if (rf_inactive(e, i, z))
            values[i] = NAN;
        else if (d->kind == HPO__CATEGORICAL)
            values[i] = z[i];
        else
            values[i] = hpo__dist_snap(
                d, hpo__dist_from_unit(d, z[i] < 0 ? 0 : z[i] > 1 ? 1 : z[i]));
    }
}

static int condition_holds(const hpo__space_param *p, double parent_value)
{
    for (int k = 0; k < p->n_cond; k++)
        if (p->cond[k] == (int)parent_value)
            return 1;
    return 0;
}

void rf_fix_activity(const rf_encoding *e, hpo__rng *rng, double *z)
{
    for (int i = 0; i < e->dim; i++) {
        const hpo__space_param *p = &e->space->p[i];
        /* Parents come earlier, so their activity is already settled. */
        int active = p->parent < 0 ||
                     (!rf_inactive(e, p->parent, z) &&
                      condition_holds(p, z[p->parent]));
        if (!active) {
            z[i] = inactive_code(e, i);
        } else if (rf_inactive(e, i, z)) {
            double v = hpo__sample_uniform(&p->dist, rng);
            z[i] = p->dist.kind == HPO__CATEGORICAL
                       ? v
                       : hpo__dist_to_unit(&p->dist, v);
        }
    }
}

void rf_random_config(const rf_encoding *e, hpo__rng *rng, double *z)
{
    for (int i = 0; i < e->dim; i++)
        z[i] = inactive_code(e, i);
    rf_fix_activity(e, rng, z);
}

void rf_random_in_branch(const rf_encoding *e, int choice, hpo__rng *rng,
                         double *z)
{
    rf_random_config(e, rng, z);
    z[e->branch] = choice;
    rf_fix_activity(e, rng, z);
}
