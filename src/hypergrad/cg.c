/*
 * cg.c — conjugate gradients for A x = b, A symmetric positive definite,
 * given only as a product v -> A v (Hestenes & Stiefel, "Methods of
 * conjugate gradients for solving linear systems", J. Res. NBS 49, 1952).
 *
 * The hypergradient problems use it twice per outer step when the system
 * is too large to factor: for the fit (the inner problem) and for
 * H^-1 g_val, each to the step's tolerance, warm-started from the last
 * step's solution (HOAG, Pedregosa 2016, does the same).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "implicit.h"

static double dot(const double *a, const double *b, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += a[i] * b[i];
    return s;
}

int hpo__hg_cg(hpo__hg_matvec a, void *ud, int n, const double *b, double *x,
               double tol, int max_iter)
{
    double *r = malloc(sizeof(double) * 3 * (size_t)n);
    if (!r)
        return HPO_ENOMEM;
    double *p = r + n, *ap = p + n;
    a(ud, x, ap);
    for (int i = 0; i < n; i++)
        r[i] = b[i] - ap[i];
    memcpy(p, r, sizeof(double) * (size_t)n);
    double rr = dot(r, r, n), stop = tol * tol * dot(b, b, n);
    int k = 0;
    while (k < max_iter && rr > stop && rr > 0) {
        a(ud, p, ap);
        double pap = dot(p, ap, n);
        if (!(pap > 0))
            break; /* not positive definite to working precision */
        double alpha = rr / pap;
        for (int i = 0; i < n; i++) {
            x[i] += alpha * p[i];
            r[i] -= alpha * ap[i];
        }
        double rr_new = dot(r, r, n);
        for (int i = 0; i < n; i++)
            p[i] = r[i] + rr_new / rr * p[i];
        rr = rr_new;
        k++;
    }
    free(r);
    return k;
}
