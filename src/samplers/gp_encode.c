/*
 * gp_encode.c — the unit-cube encoding of the `gp` sampler (gp_encode.h).
 */
#include <math.h>
#include <stdlib.h>

#include "gp_encode.h"

static int param_width(const hpo__space_param *p)
{
    if (p->parent >= 0)
        return 0;
    if (p->dist.kind != HPO__CATEGORICAL)
        return 1;
    return p->dist.n_choices >= 2 ? p->dist.n_choices : 0;
}

int gp_layout_init(gp_layout *lay, const hpo_space *space)
{
    lay->n_params = space->n;
    lay->dim = 0;
    lay->offset = malloc(sizeof(int) * (size_t)(space->n + 1));
    lay->width = malloc(sizeof(int) * (size_t)(space->n + 1));
    if (!lay->offset || !lay->width) {
        gp_layout_free(lay);
        return -1;
    }
    for (int i = 0; i < space->n; i++) {
        lay->offset[i] = lay->dim;
        lay->width[i] = param_width(&space->p[i]);
        lay->dim += lay->width[i];
    }
    return 0;
}

void gp_layout_free(gp_layout *lay)
{
    free(lay->offset);
    free(lay->width);
    lay->offset = lay->width = NULL;
}

int gp_encode_trial(const gp_layout *lay, const hpo_space *space,
                    const hpo__trial_rec *trial, double *u)
{
    for (int i = 0; i < space->n; i++) {
        int w = lay->width[i];
        if (w == 0)
            continue;
        const hpo__dist *d = &space->p[i].dist;
        const hpo__param *p = hpo__rec_param(trial, space->p[i].name);
        if (!p || !hpo__dist_compatible(d, &p->dist) ||
            !hpo__dist_contains(d, p->internal))
            return -1;
        double *ui = u + lay->offset[i];
        if (d->kind == HPO__CATEGORICAL)
            for (int c = 0; c < w; c++)
                ui[c] = c == (int)p->internal;
        else
            ui[0] = hpo__dist_to_unit(d, p->internal);
    }
    return 0;
}

void gp_decode(const gp_layout *lay, const hpo_space *space, const double *u,
               double *values)
{
    for (int i = 0; i < space->n; i++) {
        const hpo__dist *d = &space->p[i].dist;
        const double *ui = u + lay->offset[i];
        int w = lay->width[i];
        if (w == 0) {
            /* A single choice is the only value; conditionals are left to
             * independent sampling. */
            values[i] = space->p[i].parent < 0 ? 0 : NAN;
        } else if (d->kind == HPO__CATEGORICAL) {
            int best = 0;
            for (int c = 1; c < w; c++)
                if (ui[c] > ui[best])
                    best = c;
            values[i] = best;
        } else {
            double v = ui[0] < 0 ? 0 : ui[0] > 1 ? 1 : ui[0];
            values[i] = hpo__dist_snap(d, hpo__dist_from_unit(d, v));
        }
    }
}
