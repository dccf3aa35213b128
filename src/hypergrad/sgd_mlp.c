/*
 * sgd_mlp.c — the project's MLP (src/ml/mlp_net.c: ReLU hidden layers, a
 * softmax output, the mean cross-entropy) as a learner of the unrolled
 * hypergradients: its gradient is mlp_net.c's own, so training here is
 * hpo__mlp_train_epoch's to the bit, and its Hessian-vector product is
 * the R-operator (Pearlmutter, "Fast exact multiplication by the
 * Hessian", Neural Computation 1994): forward-mode differentiation of
 * the back-propagated gradient along a direction U = (U_l, u_l).
 *
 * Forward (rows of the batch; in_0 = x, in_l = a_{l-1}):
 *
 *     R{z_l} = R{in_l} W_l + in_l U_l + u_l          (R{in_0} = 0)
 *     R{a_l} = R{z_l} * [z_l > 0]
 *     R{d_L} = p * (R{z_L} - <p, R{z_L}>) / n        (d_L = (p - y) / n)
 *
 * Backward (d_{l-1} = d_l W_l^T * [z_{l-1} > 0]; ReLU's second derivative
 * is zero almost everywhere):
 *
 *     H u for W_l = in_l^T R{d_l} + R{in_l}^T d_l,  for b_l: sums of R{d_l}
 *     R{d_{l-1}}  = (R{d_l} W_l^T + d_l U_l^T) * [z_{l-1} > 0]
 *
 * tests/test_hypergrad_sgd_mlp.c checks H u against central differences of
 * the gradient.
 */
#include <cblas.h>
#include <stdlib.h>
#include <string.h>

#include "../ml/mlp.h"
#include "sgd.h"

#define NL (HPO__MLP_MAX_LAYERS + 1)

typedef struct mlp_model {
    hpo__sgd_model base;
    hpo__mlp_shape shape;
    hpo__mlp_layout lay;
    hpo__mlp_work work;   /* loss_grad and probs */
    hpo__mlp_work fwd;    /* the prepared forward pass */
    unsigned char *mask;
    double *d[NL], *rz[NL], *ra[NL], *rd[NL];  /* cap x fan_out[l] each */
    const double *x, *w;  /* the prepared rows and weights */
    int n;
} mlp_model;

static double mlp_loss_grad(hpo__sgd_model *mdl, const double *w,
                            const double *x, const double *y, int n,
                            double wd, double *grad)
{
    mlp_model *M = (mlp_model *)mdl;
    return hpo__mlp_loss_grad(&M->shape, w, &M->work, x, y, n, wd, grad);
}

/* out = (a * B^T or a * B) with out n x cols, accumulating when beta = 1. */
static void gemm(int trans_b, int n, int cols, int inner, const double *a,
                 const double *b, int ldb, double beta, double *out)
{
    cblas_dgemm(CblasRowMajor, CblasNoTrans,
                trans_b ? CblasTrans : CblasNoTrans, n, cols, inner, 1.0, a,
                inner, b, ldb, beta, out, cols);
}

/* Zero the cells where the pre-activation z is not positive. */
static void relu_mask(double *v, const double *z, size_t cells)
{
    for (size_t i = 0; i < cells; i++)
        if (!(z[i] > 0))
            v[i] = 0;
}

static void mlp_prepare(hpo__sgd_model *mdl, const double *w,
                        const double *x, const double *y, int n)
{
    mlp_model *M = (mlp_model *)mdl;
    int L = M->shape.n_layers, k = M->shape.n_out;
    hpo__mlp_forward(&M->shape, w, &M->fwd, x, n);
    const double *p = M->fwd.z[L];
    for (int i = 0; i < n; i++)
        for (int c = 0; c < k; c++) {
            size_t at = (size_t)i * k + c;
            M->d[L][at] = (p[at] - (c == (int)y[i])) / n;
        }
    for (int l = L; l > 0; l--) {
        int fi = M->lay.fan_in[l], fo = M->lay.fan_out[l];
        gemm(1, n, fi, fo, M->d[l], w + M->lay.w[l], fo, 0.0, M->d[l - 1]);
        relu_mask(M->d[l - 1], M->fwd.z[l - 1], (size_t)n * fi);
    }
    M->x = x, M->w = w, M->n = n;
}

/* R{z_l} for every layer and R{d_L}. */
static void r_forward(mlp_model *M, const double *u)
{
    int L = M->shape.n_layers, n = M->n;
    for (int l = 0; l <= L; l++) {
        int fi = M->lay.fan_in[l], fo = M->lay.fan_out[l];
        const double *in = l == 0 ? M->x : M->fwd.a[l - 1];
        for (int i = 0; i < n; i++)
            memcpy(M->rz[l] + (size_t)i * fo, u + M->lay.b[l],
                   (size_t)fo * sizeof *u);
        gemm(0, n, fo, fi, in, u + M->lay.w[l], fo, 1.0, M->rz[l]);
        if (l > 0)
            gemm(0, n, fo, fi, M->ra[l - 1], M->w + M->lay.w[l], fo, 1.0,
                 M->rz[l]);
        if (l < L) {
            size_t cells = (size_t)n * fo;
            memcpy(M->ra[l], M->rz[l], cells * sizeof *M->ra[l]);
            relu_mask(M->ra[l], M->fwd.z[l], cells);
        }
    }
    int k = M->shape.n_out;
    const double *p = M->fwd.z[L];
    for (int i = 0; i < n; i++) {
        const double *pi = p + (size_t)i * k;
        const double *r = M->rz[L] + (size_t)i * k;
        double *rd = M->rd[L] + (size_t)i * k, mean = 0;
        for (int c = 0; c < k; c++)
            mean += pi[c] * r[c];
        for (int c = 0; c < k; c++)
            rd[c] = pi[c] * (r[c] - mean) / n;
    }
}

static void mlp_hvp(hpo__sgd_model *mdl, const double *u, double *hu)
{
    mlp_model *M = (mlp_model *)mdl;
    int L = M->shape.n_layers, n = M->n;
    r_forward(M, u);
    for (int l = L; l >= 0; l--) {
        int fi = M->lay.fan_in[l], fo = M->lay.fan_out[l];
        const double *in = l == 0 ? M->x : M->fwd.a[l - 1];
        double *hw = hu + M->lay.w[l], *hb = hu + M->lay.b[l];
        cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, fi, fo, n, 1.0,
                    in, fi, M->rd[l], fo, 0.0, hw, fo);
        if (l > 0)
            cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, fi, fo, n,
                        1.0, M->ra[l - 1], fi, M->d[l], fo, 1.0, hw, fo);
        memset(hb, 0, (size_t)fo * sizeof *hb);
        for (int i = 0; i < n; i++)
            for (int c = 0; c < fo; c++)
                hb[c] += M->rd[l][(size_t)i * fo + c];
        if (l == 0)
            break;
        gemm(1, n, fi, fo, M->rd[l], M->w + M->lay.w[l], fo, 0.0,
             M->rd[l - 1]);
        gemm(1, n, fi, fo, M->d[l], u + M->lay.w[l], fo, 1.0, M->rd[l - 1]);
        relu_mask(M->rd[l - 1], M->fwd.z[l - 1], (size_t)n * fi);
    }
}

static const double *mlp_probs(hpo__sgd_model *mdl, const double *w,
                               const double *x, int n)
{
    mlp_model *M = (mlp_model *)mdl;
    hpo__mlp_forward(&M->shape, w, &M->work, x, n);
    return M->work.z[M->shape.n_layers];
}

static void mlp_init(hpo__sgd_model *mdl, double *w, hpo__rng *rng)
{
    hpo__mlp_init_weights(&((mlp_model *)mdl)->shape, w, rng);
}

static void mlp_destroy(hpo__sgd_model *mdl)
{
    mlp_model *M = (mlp_model *)mdl;
    if (!M)
        return;
    hpo__mlp_work_free(&M->work);
    hpo__mlp_work_free(&M->fwd);
    free(M->mask);
    for (int l = 0; l < NL; l++) {
        free(M->d[l]);
        free(M->rz[l]);
        free(M->ra[l]);
        free(M->rd[l]);
    }
    free(M);
}

static int alloc_scratch(mlp_model *M, int rows, hpo__msg *m)
{
    int ok = 1;
    for (int l = 0; l <= M->shape.n_layers; l++) {
        size_t cells = (size_t)rows * (size_t)M->lay.fan_out[l];
        ok &= (M->d[l] = malloc(cells * sizeof(double))) != NULL;
        ok &= (M->rz[l] = malloc(cells * sizeof(double))) != NULL;
        ok &= (M->ra[l] = malloc(cells * sizeof(double))) != NULL;
        ok &= (M->rd[l] = malloc(cells * sizeof(double))) != NULL;
    }
    size_t p = M->lay.n_params;
    ok &= (M->mask = calloc(p, 1)) != NULL;
    if (!ok)
        return hpo__oom(m);
    for (int l = 0; l <= M->shape.n_layers; l++)
        memset(M->mask + M->lay.w[l], 1,
               (size_t)M->lay.fan_in[l] * (size_t)M->lay.fan_out[l]);
    int rc = hpo__mlp_work_reserve(&M->work, &M->shape, rows, m);
    return rc == HPO_OK ? hpo__mlp_work_reserve(&M->fwd, &M->shape, rows, m)
                        : rc;
}

int hpo__sgd_mlp_new(hpo__sgd_model **out, int n_in, int n_out, int hidden,
                     int layers, int rows, hpo__msg *m)
{
    *out = NULL;
    hpo__mlp_shape shape = {.n_in = n_in, .n_hidden = hidden,
                            .n_layers = layers, .n_out = n_out};
    int rc = hpo__mlp_shape_check(&shape, m);
    if (rc != HPO_OK)
        return rc;
    if (n_out < 2 || rows < 1)
        return hpo__fail(m, HPO_EINVAL, "mlp: at least 2 classes, not %d",
                         n_out);
    mlp_model *M = calloc(1, sizeof *M);
    if (!M)
        return hpo__oom(m);
    M->shape = shape;
    hpo__mlp_layout_of(&shape, &M->lay);
    if ((rc = alloc_scratch(M, rows, m)) != HPO_OK) {
        mlp_destroy(&M->base);
        return rc;
    }
    M->base = (hpo__sgd_model){
        .n_params = M->lay.n_params, .n_out = n_out, .decayed = M->mask,
        .init = mlp_init, .loss_grad = mlp_loss_grad,
        .hvp_prepare = mlp_prepare, .hvp = mlp_hvp, .probs = mlp_probs,
        .destroy = mlp_destroy};
    *out = &M->base;
    return HPO_OK;
}
