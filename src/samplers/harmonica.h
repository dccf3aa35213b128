/*
 * harmonica.h — what the files of the `harmonica` sampler share (Hazan,
 * Klivans & Yuan 2018, "Hyperparameter Optimization: A Spectral Approach",
 * ICLR; arXiv 1706.00764, 2017):
 *
 *   harmonica_bits.c   parameters <-> +-1 bits (the layout)
 *   harmonica_lasso.c  the sparse low-degree Fourier fit (Lasso by
 *                      coordinate descent over parity features)
 *   harmonica_stage.c  one stage's decision: the most important
 *                      monomials, their variables fixed to the values
 *                      minimizing the sparse polynomial
 *   harmonica.c        the sampler: stages of random samples, the
 *                      decisions shared through the study's attributes,
 *                      the hand-off to a base sampler
 */
#ifndef HPO_HARMONICA_H
#define HPO_HARMONICA_H

#include "sampler.h"

/* ---- the layout: each parameter as a block of bits (harmonica_bits.c) --- */

/* Fewer bits than this make a problem of any size; more are refused: the
 * degree-3 monomials of 1,024 bits are 1.8e8 features. */
#define HARMONICA_MAX_BITS 1024

typedef struct harmonica_param {
    int offset, n_bits; /* its bits in the study's bit vector */
    int64_t n_levels;   /* values it takes: choices, or levels */
    /* A numeric parameter with more values than 2^numeric_bits takes
     * 2^numeric_bits levels evenly spread in its unit encoding; else its
     * own values. */
    int spread;
} harmonica_param;

typedef struct harmonica_layout {
    int n_params, n_bits;
    harmonica_param *p; /* n_params, in the space's order */
} harmonica_layout;

/* The layout of space, numeric parameters at numeric_bits bits each (0:
 * refuse them).  HPO_EUNSUPPORTED with a message naming the parameter
 * when the space cannot be encoded. */
int harmonica_layout_init(harmonica_layout *l, const hpo_space *space,
                          int numeric_bits, hpo__msg *m);
void harmonica_layout_free(harmonica_layout *l);

/* A bit vector is one signed char per bit, +1 or -1 (0: free, in a
 * restriction).  A parameter's code is its bits read as a binary number,
 * its first bit the most significant, +1 = 1. */
/* The internal value of parameter i for the bits x[offset ...]. */
double harmonica_decode(const harmonica_layout *l, const hpo_space *space,
                        int i, const signed char *x);
/* Bits for value, the parameter's first code that decodes to it; -1 when
 * the value is none of its levels. */
int harmonica_encode(const harmonica_layout *l, const hpo_space *space,
                     int i, double internal, signed char *x);
/* Uniform bits where fixed[b] == 0, fixed[b] elsewhere. */
void harmonica_draw(const harmonica_layout *l, const signed char *fixed,
                    hpo__rng *rng, signed char *x);

/* ---- the sparse Fourier fit (harmonica_lasso.c) ------------------------- */

/* The monomials of degree 1..degree over the n_vars variables: idx holds
 * `degree` variable indices per monomial, -1 padded. */
typedef struct harmonica_monomials {
    int n, degree;
    int *idx;
} harmonica_monomials;

/* All of them, or -1 when out of memory or more than max_n. */
int harmonica_monomials_init(harmonica_monomials *m, int n_vars, int degree,
                             int64_t max_n);
void harmonica_monomials_free(harmonica_monomials *m);
/* How many there are (a double: it may be huge). */
double harmonica_monomials_count(int n_vars, int degree);

/* n samples: x column by variable (x[v * n + i], +-1), y the values. */
typedef struct harmonica_data {
    int n, n_vars;
    const signed char *x;
    const double *y;
} harmonica_data;

typedef struct harmonica_fit {
    double intercept, lambda;
    double *coef; /* one per monomial */
} harmonica_fit;

/* The Lasso of y on the monomials' parities, (1/2n) |y - b0 - X b|^2 +
 * lambda |b|_1 with y scaled to unit standard deviation.  lambda > 0:
 * that one; NaN: chosen by k-fold cross-validation over a path (folds
 * drawn from rng).  fit->coef is malloc'd (the caller frees it); 0, or -1
 * when out of memory. */
int harmonica_lasso(const harmonica_data *d, const harmonica_monomials *m,
                    double lambda, int folds, hpo__rng *rng,
                    harmonica_fit *fit);

/* ---- one stage's decision (harmonica_stage.c) --------------------------- */

/* Up to HARMONICA_MAX_PICKED bits fixed per stage: 2^20 assignments to
 * enumerate at most. */
#define HARMONICA_MAX_PICKED 20

typedef struct harmonica_choice {
    int n_top;              /* monomials picked */
    int top[16];            /* their indices in the monomials */
    int n_fixed;            /* variables fixed */
    int var[HARMONICA_MAX_PICKED];
    signed char value[HARMONICA_MAX_PICKED];
} harmonica_choice;

/* The (up to) s largest nonzero coefficients' monomials, and the values of
 * their variables that minimize the fitted polynomial restricted to the
 * terms over those variables only (ties: the first assignment counting
 * from all -1).  At most HARMONICA_MAX_PICKED variables: monomials that
 * would add more, and terms below 1% of the largest, are passed over. */
void harmonica_choose(const harmonica_monomials *m, const harmonica_fit *fit,
                      int s, harmonica_choice *c);

#endif
