/*
 * rbf_fit.h — the radial-basis-function interpolant of the `rbf` sampler
 * (rbf_fit.c): s(u) = sum_i lambda_i phi(|u - x_i|) + c_0 + sum_k c_k u_k,
 * a cubic (phi(r) = r^3) or thin-plate spline (phi(r) = r^2 log r) with a
 * linear polynomial tail, fitted so that s(x_i) = y_i at every centre.
 */
#ifndef HPO_RBF_FIT_H
#define HPO_RBF_FIT_H

typedef enum rbf_kernel { RBF_CUBIC, RBF_THIN_PLATE } rbf_kernel;

typedef struct rbf_model {
    rbf_kernel kernel;
    int n, dim;    /* centres kept (near-duplicates merged), coordinates */
    double *x;     /* n x dim, row-major: the centres */
    int *row;      /* n: each centre's row in the points fitted */
    int n_rows;    /* points fitted */
    double *lambda_row; /* n_rows: lambda by row, 0 for merged rows */
    double *lambda; /* n: the radial weights */
    int n_tail;    /* 1 (constant) + the linear coordinates used */
    int *tail;     /* n_tail - 1 coordinates of the linear part */
    double *c;     /* n_tail: c[0] constant, c[1 + k] for tail[k] */
} rbf_model;

/* Two centres closer than this (unit-cube distance) are one: only the
 * lower value is kept, since an interpolant cannot pass through two
 * values at one point and a minimizer wants the better one. */
#define RBF_DUPLICATE_DIST 1e-9

/*
 * Fit the interpolant through the n points x (n x dim, row-major) with
 * values y.  `linear` (dim flags, NULL: all) says which coordinates may
 * enter the linear tail: one-hot blocks must not, since their columns sum
 * to the constant one.  A coordinate that is constant over the centres is
 * left out too, and with too few centres for a linear tail the tail is
 * the constant alone.  The augmented (saddle-point) system
 *
 *     [ Phi  P ] [lambda]   [y]
 *     [ P^T   0 ] [  c   ] = [0]
 *
 * is solved by LAPACK's symmetric-indefinite solver (dsysv); when it is
 * singular, or the solution does not reproduce y, the fit is retried with
 * a constant tail.  Returns 0, 1 when no interpolant could be fitted, -1
 * when out of memory.  m is owned by the caller: rbf_model_free().
 */
int rbf_fit(rbf_model *m, rbf_kernel kernel, const double *x,
            const double *y, int n, int dim, const unsigned char *linear);

/* s(u) for one point u (dim). */
double rbf_eval(const rbf_model *m, const double *u);

/* s(u) from d2[k], the squared distance from u to row k of the points
 * fitted (so a caller that needs those distances anyway computes them
 * once). */
double rbf_eval_d2(const rbf_model *m, const double *u, const double *d2);

void rbf_model_free(rbf_model *m);

#endif
