/*
 * gp_encode.h — how the `gp` sampler lays a search space onto the unit
 * cube its Gaussian process works in (gp_encode.c).
 *
 * Floats and ints take one coordinate each through hpo__dist_to_unit (log
 * parameters linear in log space; ints and steps round back on decoding);
 * a categorical with c >= 2 choices takes c one-hot coordinates and decodes
 * to the largest; a single-choice categorical takes none.  Conditional
 * parameters (those with a parent) take none either: the model covers the
 * unconditional ones and leaves the rest to independent sampling.
 */
#ifndef HPO_GP_ENCODE_H
#define HPO_GP_ENCODE_H

#include "../core/internal.h"

typedef struct gp_layout {
    int n_params; /* of the space */
    int dim;      /* coordinates in all */
    int *offset;  /* per parameter: its first coordinate */
    int *width;   /* per parameter: 0 (not modelled), 1, or c one-hot */
} gp_layout;

/* 0, or -1 when out of memory. */
int gp_layout_init(gp_layout *lay, const hpo_space *space);
void gp_layout_free(gp_layout *lay);

/* Encode a trial's values of the space's parameters into u (lay->dim);
 * 0, or -1 when the trial lacks one of the modelled parameters or has a
 * value outside its domain. */
int gp_encode_trial(const gp_layout *lay, const hpo_space *space,
                    const hpo__trial_rec *trial, double *u);

/* Decode u into internal values (NaN for parameters not modelled). */
void gp_decode(const gp_layout *lay, const hpo_space *space, const double *u,
               double *values);

#endif
