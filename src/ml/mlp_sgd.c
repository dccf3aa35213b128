/*
 * mlp_sgd.c — the training state of the mlp learner and one epoch of
 * mini-batch stochastic gradient descent (Robbins & Monro 1951) with
 * heavy-ball momentum (Polyak, "Some methods of speeding up the
 * convergence of iteration methods", 1964) and L2 weight decay.
 *
 * Deliberate choices:
 *   1. Heavy ball, not Nesterov, in the form PyTorch's SGD uses:
 *      v = momentum * v + g; w -= lr * v.  The buffer is in gradient units,
 *      so a learning rate changed between epochs (PBT's explore step)
 *      applies at once instead of being folded into the old velocity.
 *      With a constant rate it is the same sequence of weights as
 *      scikit-learn's v = momentum * v - lr * g; w += v.
 *   2. The rows are reshuffled every epoch from the state's own RNG, which
 *      the checkpoint saves: resuming replays the same batches.
 *   3. Divergence (a non-finite loss or weight, from too large a learning
 *      rate) stops training for good and is recorded with its epoch;
 *      nothing NaN is ever handed on as a score (mlp.c predicts the
 *      majority class for such a model).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../math/linalg.h"
#include "mlp.h"

void hpo__mlp_free(hpo__mlp *t)
{
    if (!t)
        return;
    free(t->theta);
    free(t->velocity);
    hpo__scaler_free(&t->scaler);
    hpo__mlp_work_free(&t->work);
    free(t->grad);
    free(t->xb);
    free(t->yb);
    free(t->order);
    free(t);
}

int hpo__mlp_opt_check(const hpo__mlp_opt *o, hpo__msg *m)
{
    if (!(o->lr > 0 && isfinite(o->lr)) ||
        !(o->momentum >= 0 && o->momentum < 1) ||
        !(o->weight_decay >= 0 && isfinite(o->weight_decay)) ||
        o->batch_size < 1)
        return hpo__fail(m, HPO_EINVAL, "mlp: lr > 0, 0 <= momentum < 1, "
                         "weight_decay >= 0 and batch_size >= 1 (lr %g, "
                         "momentum %g, weight_decay %g, batch_size %d)",
                         o->lr, o->momentum, o->weight_decay, o->batch_size);
    return HPO_OK;
}

int hpo__mlp_new(hpo__mlp **out, const hpo__mlp_shape *shape,
                 const hpo__mlp_opt *opt, uint64_t seed, hpo__msg *m)
{
    *out = NULL;
    int rc = hpo__mlp_shape_check(shape, m);
    if (rc == HPO_OK)
        rc = hpo__mlp_opt_check(opt, m);
    if (rc != HPO_OK)
        return rc;
    /* One BLAS thread: these products are small, and a BLAS pool's
     * spinning workers only slow a shared machine (linalg.c says more). */
    hpo__linalg_init();
    hpo__mlp *t = calloc(1, sizeof *t);
    if (!t)
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    t->shape = *shape;
    t->opt = *opt;
    t->y_sd = 1;
    hpo__mlp_layout_of(shape, &t->layout);
    size_t p = t->layout.n_params;
    t->theta = malloc(p * sizeof *t->theta);
    t->velocity = calloc(p, sizeof *t->velocity);
    t->grad = malloc(p * sizeof *t->grad);
    t->scaler.n_features = shape->n_in;
    t->scaler.mean = calloc((size_t)shape->n_in, sizeof *t->scaler.mean);
    t->scaler.std = malloc((size_t)shape->n_in * sizeof *t->scaler.std);
    if (!t->theta || !t->velocity || !t->grad || !t->scaler.mean ||
        !t->scaler.std) {
        hpo__mlp_free(t);
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    }
    for (int j = 0; j < shape->n_in; j++)
        t->scaler.std[j] = 1;
    hpo__rng_seed(&t->rng, seed);
    hpo__mlp_init_weights(shape, t->theta, &t->rng);
    *out = t;
    return HPO_OK;
}

/* Scratch for an epoch of n rows in batches of b. */
static int reserve(hpo__mlp *t, int n, int b, hpo__msg *m)
{
    if (n > t->n_order) {
        int *order = realloc(t->order, (size_t)n * sizeof *order);
        if (!order)
            return hpo__fail(m, HPO_ENOMEM, "out of memory");
        t->order = order;
        t->n_order = n;
    }
    if (b > t->batch_cap) {
        free(t->xb);
        free(t->yb);
        t->batch_cap = 0;
        t->xb = malloc((size_t)b * (size_t)t->shape.n_in * sizeof *t->xb);
        t->yb = malloc((size_t)b * sizeof *t->yb);
        if (!t->xb || !t->yb)
            return hpo__fail(m, HPO_ENOMEM, "out of memory");
        t->batch_cap = b;
    }
    return hpo__mlp_work_reserve(&t->work, &t->shape, b, m);
}

static int all_finite(const double *v, size_t n)
{
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i] * 0.0; /* NaN for any NaN or infinity, else 0 */
    return sum == 0;
}

/* One batch: gradient, momentum, step; returns the batch's mean loss. */
static double step(hpo__mlp *t, const double *x, const double *y,
                   const int *rows, int b)
{
    int nf = t->shape.n_in;
    for (int i = 0; i < b; i++) {
        memcpy(t->xb + (size_t)i * nf, x + (size_t)rows[i] * nf,
               (size_t)nf * sizeof *t->xb);
        t->yb[i] = y[rows[i]];
    }
    double loss = hpo__mlp_loss_grad(&t->shape, t->theta, &t->work, t->xb,
                                     t->yb, b, t->opt.weight_decay, t->grad);
    double mu = t->opt.momentum, lr = t->opt.lr;
    size_t p = t->layout.n_params;
    for (size_t i = 0; i < p; i++) {
        t->velocity[i] = mu * t->velocity[i] + t->grad[i];
        t->theta[i] -= lr * t->velocity[i];
    }
    return loss;
}

int hpo__mlp_train_epoch(hpo__mlp *t, const double *x, const double *y,
                         int n, hpo__msg *m)
{
    if (t->diverged_at)
        return HPO_OK;
    int b = t->opt.batch_size < n ? t->opt.batch_size : n;
    if (n < 1)
        return hpo__fail(m, HPO_EINVAL, "mlp: no training rows");
    int rc = reserve(t, n, b, m);
    if (rc != HPO_OK)
        return rc;
    hpo__rng_permutation(&t->rng, t->order, n);
    double total = 0;
    int finite = 1;
    for (int at = 0; at < n && finite; at += b) {
        int size = n - at < b ? n - at : b;
        double loss = step(t, x, y, t->order + at, size);
        total += loss * size;
        finite = isfinite(loss);
    }
    t->epoch++;
    t->last_loss = total / n;
    if (!finite || !all_finite(t->theta, t->layout.n_params))
        t->diverged_at = t->epoch;
    return HPO_OK;
}

int hpo__mlp_predict(hpo__mlp *t, const double *x, int n, double *out,
                     hpo__msg *m)
{
    enum { CHUNK = 256 };
    int rc = hpo__mlp_work_reserve(&t->work, &t->shape, CHUNK, m);
    int k = t->shape.n_out, L = t->shape.n_layers;
    for (int at = 0; rc == HPO_OK && at < n; at += CHUNK) {
        int size = n - at < CHUNK ? n - at : CHUNK;
        hpo__mlp_forward(&t->shape, t->theta, &t->work,
                         x + (size_t)at * t->shape.n_in, size);
        memcpy(out + (size_t)at * k, t->work.z[L],
               (size_t)size * k * sizeof *out);
    }
    return rc;
}
