/*
 * sgd_linear.c — the linear learner of the unrolled hypergradients:
 * multinomial logistic (softmax) regression, p = softmax(x W + b), on the
 * mean cross-entropy, with its exact Hessian-vector product (Pearlmutter,
 * "Fast exact multiplication by the Hessian", Neural Computation 1994):
 *
 *     R{z} = x U + u_b,   R{p} = p * (R{z} - <p, R{z}>)   (row by row)
 *     H u  = ( x^T R{p} / n,  column sums of R{p} / n )
 *
 * Deliberate choices:
 *   1. The weights start at zero (the loss is convex; no seed needed), so
 *      the seed only orders the mini-batches.
 *   2. The bias is not decayed, as in the MLP (mlp_net.c).
 */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../ml/mlp.h"
#include "sgd.h"

typedef struct linear_model {
    hpo__sgd_model base;
    int n_in, k, cap;
    unsigned char *mask;
    double *z, *rz;          /* cap x k: probabilities, R{z} / R{p} */
    const double *x;         /* the prepared rows */
    int n;
} linear_model;

/* z = x W + b for n rows, then softmax in place; the summed
 * cross-entropy when y is given. */
static double probabilities(const linear_model *L, const double *w,
                            const double *x, int n, const double *y)
{
    int k = L->k;
    const double *b = w + (size_t)L->n_in * k;
    for (int i = 0; i < n; i++)
        memcpy(L->z + (size_t)i * k, b, (size_t)k * sizeof *b);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, k, L->n_in, 1.0,
                x, L->n_in, w, k, 1.0, L->z, k);
    return hpo__mlp_softmax_rows(L->z, n, k, y);
}

/* grad = (x^T d, column sums of d), d: n x k. */
static void backward(const linear_model *L, const double *x, int n,
                     const double *d, double *grad)
{
    int k = L->k;
    double *gb = grad + (size_t)L->n_in * k;
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, L->n_in, k, n, 1.0,
                x, L->n_in, d, k, 0.0, grad, k);
    for (int c = 0; c < k; c++)
        gb[c] = 0;
    for (int i = 0; i < n; i++)
        for (int c = 0; c < k; c++)
            gb[c] += d[(size_t)i * k + c];
}

static double linear_loss_grad(hpo__sgd_model *mdl, const double *w,
                               const double *x, const double *y, int n,
                               double wd, double *grad)
{
    linear_model *L = (linear_model *)mdl;
    int k = L->k;
    double loss = probabilities(L, w, x, n, y) / n;
    for (int i = 0; i < n; i++)
        for (int c = 0; c < k; c++) {
            size_t at = (size_t)i * k + c;
            L->rz[at] = (L->z[at] - (c == (int)y[i])) / n;
        }
    backward(L, x, n, L->rz, grad);
    size_t nw = (size_t)L->n_in * k;
    double penalty = 0;
    for (size_t i = 0; i < nw; i++) {
        grad[i] += wd * w[i];
        penalty += w[i] * w[i];
    }
    return loss + 0.5 * wd * penalty;
}

static void linear_prepare(hpo__sgd_model *mdl, const double *w,
                           const double *x, const double *y, int n)
{
    linear_model *L = (linear_model *)mdl;
    (void)y; /* the softmax Hessian does not depend on the labels */
    probabilities(L, w, x, n, NULL);
    L->x = x;
    L->n = n;
}

static void linear_hvp(hpo__sgd_model *mdl, const double *u, double *hu)
{
    linear_model *L = (linear_model *)mdl;
    int k = L->k, n = L->n;
    const double *ub = u + (size_t)L->n_in * k;
    for (int i = 0; i < n; i++)
        memcpy(L->rz + (size_t)i * k, ub, (size_t)k * sizeof *ub);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, k, L->n_in, 1.0,
                L->x, L->n_in, u, k, 1.0, L->rz, k);
    for (int i = 0; i < n; i++) {
        const double *p = L->z + (size_t)i * k;
        double *r = L->rz + (size_t)i * k, mean = 0;
        for (int c = 0; c < k; c++)
            mean += p[c] * r[c];
        for (int c = 0; c < k; c++)
            r[c] = p[c] * (r[c] - mean) / n;
    }
    backward(L, L->x, n, L->rz, hu);
}

static const double *linear_probs(hpo__sgd_model *mdl, const double *w,
                                  const double *x, int n)
{
    linear_model *L = (linear_model *)mdl;
    probabilities(L, w, x, n, NULL);
    return L->z;
}

static void linear_init(hpo__sgd_model *mdl, double *w, hpo__rng *rng)
{
    (void)rng;
    memset(w, 0, mdl->n_params * sizeof *w);
}

static void linear_destroy(hpo__sgd_model *mdl)
{
    linear_model *L = (linear_model *)mdl;
    if (!L)
        return;
    free(L->mask);
    free(L->z);
    free(L->rz);
    free(L);
}

int hpo__sgd_linear_new(hpo__sgd_model **out, int n_in, int n_out, int rows,
                        hpo__msg *m)
{
    *out = NULL;
    if (n_in < 1 || n_out < 2 || rows < 1 || n_in > 10000000 ||
        n_out > 100000)
        return hpo__fail(m, HPO_EINVAL, "linear: features >= 1 and classes "
                         ">= 2 (features %d, classes %d)", n_in, n_out);
    linear_model *L = calloc(1, sizeof *L);
    if (!L)
        return hpo__oom(m);
    size_t nw = (size_t)n_in * (size_t)n_out, cells = (size_t)rows * n_out;
    L->n_in = n_in, L->k = n_out, L->cap = rows;
    L->mask = calloc(nw + (size_t)n_out, 1);
    L->z = malloc(cells * sizeof *L->z);
    L->rz = malloc(cells * sizeof *L->rz);
    if (!L->mask || !L->z || !L->rz) {
        linear_destroy(&L->base);
        return hpo__oom(m);
    }
    memset(L->mask, 1, nw);
    L->base = (hpo__sgd_model){
        .n_params = nw + (size_t)n_out, .n_out = n_out, .decayed = L->mask,
        .init = linear_init, .loss_grad = linear_loss_grad,
        .hvp_prepare = linear_prepare, .hvp = linear_hvp,
        .probs = linear_probs, .destroy = linear_destroy};
    *out = &L->base;
    return HPO_OK;
}
