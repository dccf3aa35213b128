/*
 * ga_ops.h — the variation operators of the genetic algorithm (ga_ops.c):
 * crossover and mutation on one configuration, its "genome".
 *
 * A genome holds one gene per parameter of the space, in the space's order:
 *   - a float or int parameter: its value in the unit cube,
 *     hpo__dist_to_unit (log axes linear in log space);
 *   - a categorical: the index of its choice (0 .. n_choices - 1).
 * Ints and stepped floats are kept on their grid: every operator that
 * changes a gene snaps it to to_unit(from_unit(u)), so
 * hpo__ga_decode gives back exactly a legal internal value and encoding
 * that value again gives the same gene.
 *
 * Randomness comes from the caller's hpo__rng; the single-gene operators
 * (hpo__ga_sbx, hpo__ga_poly, hpo__ga_gauss) take their draws as arguments
 * so they can be checked against hand-worked values.
 */
#ifndef HPO_GA_OPS_H
#define HPO_GA_OPS_H

#include "../core/internal.h"

typedef enum hpo__ga_cross {
    HPO__GA_UNIFORM = 0, /* each gene from either parent, even odds */
    HPO__GA_SBX = 1      /* SBX on numbers, uniform on categoricals */
} hpo__ga_cross;

typedef enum hpo__ga_mut {
    HPO__GA_POLYNOMIAL = 0, /* Deb & Goyal's bounded polynomial mutation */
    HPO__GA_GAUSSIAN = 1    /* u + sigma * N(0, 1), reflected into [0, 1] */
} hpo__ga_mut;

/* Settings; hpo__ga_ops_default fills the usual values. */
typedef struct hpo__ga_ops {
    hpo__ga_cross cross;
    double p_cross;  /* chance a pair is crossed at all (0.9) */
    double eta_c;    /* SBX distribution index (20): larger, closer to parents */
    hpo__ga_mut mut;
    double p_mut;    /* chance per gene; <= 0 means 1 / genes (the usual) */
    double eta_m;    /* polynomial mutation index (20) */
    double sigma;    /* Gaussian mutation, in the unit cube (0.1) */
} hpo__ga_ops;

void hpo__ga_ops_default(hpo__ga_ops *ops);
/* HPO_OK, or HPO_EINVAL with a message naming the bad setting. */
int hpo__ga_ops_check(const hpo__ga_ops *ops, hpo__msg *m);

/* Single genes in [0, 1].  u is a uniform draw in [0, 1). */
void hpo__ga_sbx(double y1, double y2, double eta_c, double u, double *c1,
                 double *c2);
double hpo__ga_poly(double y, double eta_m, double u);
/* z is a standard normal draw. */
double hpo__ga_gauss(double y, double sigma, double z);

/* A numeric gene on its parameter's grid (continuous: clamped to [0, 1]). */
double hpo__ga_snap(const hpo__dist *d, double u);
/* The gene one grid step away from u (dir > 0 up, else down; at an end it
 * goes the other way); u itself when the parameter has a single value. */
double hpo__ga_step(const hpo__dist *d, double u, int dir);

/* Genome <-> internal values of the n parameters. */
void hpo__ga_encode(const hpo__dist *d, int n, const double *values,
                    double *genes);
void hpo__ga_decode(const hpo__dist *d, int n, const double *genes,
                    double *values);
/* Is every gene legal: a numeric one in [0, 1] and on its grid, a
 * categorical a whole index below n_choices?  The index of the first gene
 * that is not, or -1.  (For a genome read back from storage.) */
int hpo__ga_invalid_gene(const hpo__dist *d, int n, const double *genes);
/* A uniformly random genome (the initial population). */
void hpo__ga_random(const hpo__dist *d, int n, hpo__rng *r, double *genes);

/* Two children from parents a and b (n genes each); c1, c2 may not alias
 * a or b. */
void hpo__ga_crossover(const hpo__ga_ops *ops, const hpo__dist *d, int n,
                       const double *a, const double *b, hpo__rng *r,
                       double *c1, double *c2);
/* Mutate x in place: each gene with chance p_mut; a numeric gene mutated
 * on a grid moves by at least one step, a categorical takes one of its
 * other choices. */
void hpo__ga_mutate(const hpo__ga_ops *ops, const hpo__dist *d, int n,
                    double *x, hpo__rng *r);

#endif
