/*
 * mlp_net.c — the network of the mlp learner: a multilayer perceptron
 * (Rumelhart, Hinton & Williams, "Learning representations by
 * back-propagating errors", Nature 1986) with ReLU hidden units (Nair &
 * Hinton 2010) and a softmax output trained on cross-entropy (or a linear
 * output on squared loss for regression), initialised as He et al.,
 * "Delving deep into rectifiers", ICCV 2015, propose for ReLU layers.
 *
 * All parameters live in one flat vector (hpo__mlp_layout): layer by
 * layer, the weights (fan_in x fan_out, row-major) then the biases, so the
 * optimizer, the momentum buffer and the checkpoint each treat them as one
 * array.  A batch is a row-major matrix of rows; every product is one
 * cblas_dgemm.
 *
 * Deliberate choices:
 *   1. Weight decay is an L2 penalty (weight_decay / 2) * ||W||^2 on the
 *      weights only, added to the batch's mean loss; biases are not
 *      decayed (as in PyTorch recipes; scikit-learn's alpha is the same
 *      penalty divided by the batch size).
 *   2. The loss is the mean over the batch, so the learning rate does not
 *      depend on the batch size's scale of gradients.
 */
#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mlp.h"

int hpo__mlp_shape_check(const hpo__mlp_shape *s, hpo__msg *m)
{
    if (s->n_layers < 1 || s->n_layers > HPO__MLP_MAX_LAYERS)
        return hpo__fail(m, HPO_EINVAL, "mlp: layers must be 1 or 2, not %d",
                         s->n_layers);
    if (s->n_hidden < 1 || s->n_in < 1 || s->n_out < 1)
        return hpo__fail(m, HPO_EINVAL, "mlp: hidden units, features and "
                         "outputs must be >= 1 (hidden %d, features %d, "
                         "outputs %d)", s->n_hidden, s->n_in, s->n_out);
    if (s->regression && s->n_out != 1)
        return hpo__fail(m, HPO_EINVAL, "mlp: regression has one output");
    /* A bound that keeps every size_t product below overflow. */
    if (s->n_hidden > 1000000 || s->n_in > 10000000 || s->n_out > 1000000)
        return hpo__fail(m, HPO_EINVAL, "mlp: the network is too large");
    return HPO_OK;
}

void hpo__mlp_layout_of(const hpo__mlp_shape *s, hpo__mlp_layout *out)
{
    memset(out, 0, sizeof *out);
    int L = s->n_layers;
    out->n_weight_layers = L + 1;
    size_t at = 0;
    for (int l = 0; l <= L; l++) {
        out->fan_in[l] = l == 0 ? s->n_in : s->n_hidden;
        out->fan_out[l] = l == L ? s->n_out : s->n_hidden;
        out->w[l] = at;
        at += (size_t)out->fan_in[l] * (size_t)out->fan_out[l];
        out->b[l] = at;
        at += (size_t)out->fan_out[l];
    }
    out->n_params = at;
}

void hpo__mlp_work_free(hpo__mlp_work *w)
{
    for (int l = 0; l <= HPO__MLP_MAX_LAYERS; l++)
        free(w->z[l]);
    for (int l = 0; l < HPO__MLP_MAX_LAYERS; l++)
        free(w->a[l]);
    free(w->delta);
    free(w->delta2);
    memset(w, 0, sizeof *w);
}

int hpo__mlp_work_reserve(hpo__mlp_work *w, const hpo__mlp_shape *s,
                          int rows, hpo__msg *m)
{
    if (rows <= w->cap)
        return HPO_OK;
    hpo__mlp_work_free(w);
    size_t n = (size_t)rows;
    size_t widest = (size_t)(s->n_hidden > s->n_out ? s->n_hidden
                                                    : s->n_out);
    int ok = 1;
    for (int l = 0; l <= s->n_layers; l++) {
        size_t width = l == s->n_layers ? (size_t)s->n_out
                                        : (size_t)s->n_hidden;
        ok &= (w->z[l] = malloc(n * width * sizeof(double))) != NULL;
        if (l < s->n_layers)
            ok &= (w->a[l] = malloc(n * width * sizeof(double))) != NULL;
    }
    ok &= (w->delta = malloc(n * widest * sizeof(double))) != NULL;
    ok &= (w->delta2 = malloc(n * widest * sizeof(double))) != NULL;
    if (!ok) {
        hpo__mlp_work_free(w);
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    }
    w->cap = rows;
    return HPO_OK;
}

void hpo__mlp_init_weights(const hpo__mlp_shape *s, double *theta,
                           hpo__rng *rng)
{
    hpo__mlp_layout lay;
    hpo__mlp_layout_of(s, &lay);
    for (int l = 0; l < lay.n_weight_layers; l++) {
        double sd = sqrt(2.0 / lay.fan_in[l]);
        size_t nw = (size_t)lay.fan_in[l] * (size_t)lay.fan_out[l];
        for (size_t i = 0; i < nw; i++)
            theta[lay.w[l] + i] = sd * hpo__rng_normal(rng);
        memset(theta + lay.b[l], 0, (size_t)lay.fan_out[l] * sizeof *theta);
    }
}

/* z = in * W + b for n rows. */
static void affine(const double *in, int n, int fan_in, int fan_out,
                   const double *W, const double *b, double *z)
{
    for (int i = 0; i < n; i++)
        memcpy(z + (size_t)i * fan_out, b, (size_t)fan_out * sizeof *z);
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, fan_out, fan_in,
                1.0, in, fan_in, W, fan_out, 1.0, z, fan_out);
}

/* From the log-sum-exp, so a confident wrong answer is a large finite
 * loss, not log(0). */
double hpo__mlp_softmax_rows(double *z, int n, int k, const double *y)
{
    double loss = 0;
    for (int i = 0; i < n; i++) {
        double *r = z + (size_t)i * k;
        double top = r[0];
        for (int c = 1; c < k; c++)
            top = r[c] > top ? r[c] : top;
        double sum = 0;
        for (int c = 0; c < k; c++)
            sum += exp(r[c] - top);
        if (y)
            loss += top + log(sum) - r[(int)y[i]];
        for (int c = 0; c < k; c++)
            r[c] = exp(r[c] - top) / sum;
    }
    return loss;
}

void hpo__mlp_forward(const hpo__mlp_shape *s, const double *theta,
                      hpo__mlp_work *w, const double *x, int n)
{
    hpo__mlp_layout lay;
    hpo__mlp_layout_of(s, &lay);
    int L = s->n_layers;
    const double *in = x;
    for (int l = 0; l <= L; l++) {
        affine(in, n, lay.fan_in[l], lay.fan_out[l], theta + lay.w[l],
               theta + lay.b[l], w->z[l]);
        if (l == L)
            break;
        size_t cells = (size_t)n * (size_t)lay.fan_out[l];
        for (size_t i = 0; i < cells; i++)
            w->a[l][i] = w->z[l][i] > 0 ? w->z[l][i] : 0;
        in = w->a[l];
    }
    if (!s->regression)
        hpo__mlp_softmax_rows(w->z[L], n, s->n_out, NULL);
}

/* The output layer's loss (summed over rows) and delta = d(mean loss)/dz. */
static double output_delta(const hpo__mlp_shape *s, double *z, int n,
                           const double *y, double *delta)
{
    int k = s->n_out;
    double loss = 0;
    if (s->regression) {
        for (int i = 0; i < n; i++) {
            double e = z[i] - y[i];
            loss += 0.5 * e * e;
            delta[i] = e / n;
        }
        return loss;
    }
    loss = hpo__mlp_softmax_rows(z, n, k, y);
    for (int i = 0; i < n; i++)
        for (int c = 0; c < k; c++) {
            size_t at = (size_t)i * k + c;
            delta[at] = (z[at] - (c == (int)y[i])) / n;
        }
    return loss;
}

/* Layer l's gradient from its delta: gW = in^T delta + wd W, gb = column
 * sums of delta; returns (wd / 2) ||W||^2. */
static double layer_grad(const hpo__mlp_layout *lay, int l, const double *theta,
                         const double *in, const double *delta, int n,
                         double wd, double *grad)
{
    int fi = lay->fan_in[l], fo = lay->fan_out[l];
    const double *W = theta + lay->w[l];
    double *gW = grad + lay->w[l], *gb = grad + lay->b[l];
    cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, fi, fo, n, 1.0, in,
                fi, delta, fo, 0.0, gW, fo);
    double penalty = 0;
    size_t nw = (size_t)fi * (size_t)fo;
    for (size_t i = 0; i < nw; i++) {
        gW[i] += wd * W[i];
        penalty += W[i] * W[i];
    }
    for (int c = 0; c < fo; c++)
        gb[c] = 0;
    for (int i = 0; i < n; i++)
        for (int c = 0; c < fo; c++)
            gb[c] += delta[(size_t)i * fo + c];
    return 0.5 * wd * penalty;
}

double hpo__mlp_loss_grad(const hpo__mlp_shape *s, const double *theta,
                          hpo__mlp_work *w, const double *x, const double *y,
                          int n, double weight_decay, double *grad)
{
    hpo__mlp_layout lay;
    hpo__mlp_layout_of(s, &lay);
    int L = s->n_layers;
    /* The forward pass without the softmax: output_delta applies it. */
    hpo__mlp_shape linear = *s;
    linear.regression = 1;
    hpo__mlp_forward(&linear, theta, w, x, n);
    double loss = output_delta(s, w->z[L], n, y, w->delta) / n;
    double *delta = w->delta, *prev = w->delta2;
    for (int l = L; l >= 0; l--) {
        const double *in = l == 0 ? x : w->a[l - 1];
        loss += layer_grad(&lay, l, theta, in, delta, n, weight_decay, grad);
        if (l == 0)
            break;
        /* Back through W_l and the ReLU of layer l - 1. */
        int fi = lay.fan_in[l], fo = lay.fan_out[l];
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, fi, fo, 1.0,
                    delta, fo, theta + lay.w[l], fo, 0.0, prev, fi);
        size_t cells = (size_t)n * (size_t)fi;
        for (size_t i = 0; i < cells; i++)
            if (!(w->z[l - 1][i] > 0))
                prev[i] = 0;
        double *t = delta;
        delta = prev;
        prev = t;
    }
    return loss;
}
