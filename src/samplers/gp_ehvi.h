/*
 * gp_ehvi.h — expected hypervolume improvement for two minimized
 * objectives with independent Gaussian predictions (gp_ehvi.c), for the
 * `gp` sampler's acquisition=ehvi.
 */
#ifndef HPO_GP_EHVI_H
#define HPO_GP_EHVI_H

/* A two-objective non-dominated front: m points as pairs (f1, f2), f1
 * strictly ascending and so f2 strictly descending, all strictly inside the
 * reference point's box. */
typedef struct gp_front2 {
    int m;
    double *pt; /* 2 m doubles: pt[2i] = f1, pt[2i + 1] = f2 */
    double ref[2];
} gp_front2;

/*
 * The front of the n points y (row i: y[i * stride], y[i * stride + 1])
 * with use[i] != 0 (use may be NULL: all), keeping only points inside
 * (ref1, ref2).  storage: 2 n doubles, becomes f->pt.
 */
void gp_front2_build(gp_front2 *f, const double *y, int stride,
                     const unsigned char *use, int n, double ref1,
                     double ref2, double *storage);

/* The hypervolume the front dominates within its reference box. */
double gp_front2_volume(const gp_front2 *f);

/*
 * log EHVI at a point whose objectives are predicted as independent
 * normals N(mu[k], sd[k]^2), sd > 0; finite whenever the box around the
 * front is not empty.  dmu and dsd (both NULL, or both 2 doubles) receive
 * its partial derivatives in mu and sd.
 */
double gp_log_ehvi2(const gp_front2 *f, const double mu[2],
                    const double sd[2], double dmu[2], double dsd[2]);

#endif
