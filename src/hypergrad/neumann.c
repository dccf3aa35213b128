/*
 * neumann.c — the inverse-Hessian-vector product by a truncated Neumann
 * series, H^-1 b = alpha sum_k (I - alpha H)^k b for 0 < alpha < 2 /
 * lambda_max(H) (Lorraine, Vicol & Duvenaud, "Optimizing millions of
 * hyperparameters by implicit differentiation", AISTATS 2020, section 3;
 * the series itself is Liao et al., "Reviving and improving recurrent
 * back-propagation", ICML 2018).  It needs only Hessian-vector products
 * and no solve; it converges like (1 - lambda_min / lambda_max)^k, so it
 * suits well-conditioned Hessians, and truncating it early is a biased but
 * cheap approximation, which is the paper's point.
 *
 * Deviation: alpha is 1 / (1.1 x the power-iteration estimate of
 * lambda_max) rather than a tuned learning rate.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "implicit.h"

static double norm(const double *v, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += v[i] * v[i];
    return sqrt(s);
}

/* The largest eigenvalue of A by 30 power iterations from a fixed start. */
static double largest_eigenvalue(hpo__hg_matvec a, void *ud, int n,
                                 double *v, double *av)
{
    for (int i = 0; i < n; i++)
        v[i] = 1.0 + 0.01 * (i % 7);
    double lam = 0;
    for (int it = 0; it < 30; it++) {
        double nv = norm(v, n);
        for (int i = 0; i < n; i++)
            v[i] /= nv;
        a(ud, v, av);
        lam = norm(av, n);
        memcpy(v, av, sizeof(double) * (size_t)n);
    }
    return lam;
}

int hpo__hg_neumann(hpo__hg_matvec a, void *ud, int n, const double *b,
                    double *x, double tol, int max_terms)
{
    double *term = malloc(sizeof(double) * 2 * (size_t)n);
    if (!term)
        return HPO_ENOMEM;
    double *aterm = term + n;
    double lmax = largest_eigenvalue(a, ud, n, term, aterm);
    double alpha = lmax > 0 ? 1.0 / (1.1 * lmax) : 1.0;
    /* term_k = (I - alpha A)^k b; x = alpha sum term_k */
    memcpy(term, b, sizeof(double) * (size_t)n);
    for (int i = 0; i < n; i++)
        x[i] = alpha * b[i];
    int k = 1;
    for (; k < max_terms; k++) {
        a(ud, term, aterm);
        for (int i = 0; i < n; i++)
            term[i] -= alpha * aterm[i];
        for (int i = 0; i < n; i++)
            x[i] += alpha * term[i];
        if (alpha * norm(term, n) <= tol * norm(x, n))
            break;
    }
    free(term);
    return k;
}
