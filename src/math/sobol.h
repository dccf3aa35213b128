/*
 * sobol.h — Sobol low-discrepancy sequences, plain or scrambled.
 *
 * A generator holds, per dimension, 64 direction numbers built from the
 * Joe–Kuo table (sobol_directions.c), and a digital shift.  Point k of the
 * sequence is computed directly from k (Gray-code order, the order SciPy and
 * the Bratley–Fox / Joe–Kuo codes produce), so any point can be had in any
 * order: the qmc sampler maps trial number k to point k.
 *
 * Scrambling (Matoušek 1998, "linear matrix scrambling" plus a digital
 * shift) keeps the net structure: any 2^m consecutive points starting at a
 * multiple of 2^m still put exactly one point into each interval
 * [i/2^m, (i+1)/2^m) of every coordinate.
 *
 * Use:
 *     hpo__sobol s;
 *     if (hpo__sobol_init(&s, dim, msg) != HPO_OK) ...
 *     hpo__sobol_scramble(&s, rng);            (optional)
 *     hpo__sobol_point(&s, k, x);              x[0..dim-1] in [0, 1)
 *     hpo__sobol_free(&s);
 */
#ifndef HPO_SOBOL_H
#define HPO_SOBOL_H

#include <stdint.h>

#include "../core/internal.h"

/* Digits per coordinate: the width of the integers the points are made of.
 * Points are exact up to index 2^64 - 1; doubles keep the top 53 digits. */
#define HPO__SOBOL_BITS 64

typedef struct hpo__sobol {
    int dim;
    /* dirs[d * HPO__SOBOL_BITS + j] is direction number v_{j+1} of
     * dimension d, as a 64-bit binary fraction (scrambled, once asked). */
    uint64_t *dirs;
    uint64_t *shift;  /* per dimension; zero when not scrambled */
    /* Sequential generation (hpo__sobol_next): the point to return next,
     * and the integer coordinates of the one returned last; each step costs
     * one XOR per dimension. */
    uint64_t next_index;
    uint64_t *current;
} hpo__sobol;

/* Set up the unscrambled sequence in dim dimensions, 1 <= dim <=
 * hpo__sobol_max_dim().  HPO_EINVAL or HPO_ENOMEM with a message in *m; on
 * failure *s is left empty (hpo__sobol_free is still fine). */
int hpo__sobol_init(hpo__sobol *s, int dim, hpo__msg *m);
void hpo__sobol_free(hpo__sobol *s);
/* The most dimensions the direction table covers. */
int hpo__sobol_max_dim(void);

/* Scramble with random lower-triangular matrices and digital shifts drawn
 * from rng, dimension by dimension, a fixed number of draws each (so the
 * first d dimensions come out the same whatever dim is).  Restarts
 * sequential generation. */
void hpo__sobol_scramble(hpo__sobol *s, hpo__rng *rng);

/* Point `index` (0-based): out[0..dim-1] in [0, 1). */
void hpo__sobol_point(const hpo__sobol *s, uint64_t index, double *out);
/* The same point as 64-bit binary fractions (digit 1 is the top bit). */
void hpo__sobol_point_bits(const hpo__sobol *s, uint64_t index,
                           uint64_t *out);

/* Sequential generation: points 0, 1, 2, ... one per call. */
void hpo__sobol_next(hpo__sobol *s, double *out);
void hpo__sobol_restart(hpo__sobol *s);

/* The direction table (sobol_directions.c, generated). */
extern const int hpo__sobol_table_dim;
extern const uint16_t hpo__sobol_poly[];
extern const uint32_t hpo__sobol_offset[];
extern const uint16_t hpo__sobol_minit[];

#endif
