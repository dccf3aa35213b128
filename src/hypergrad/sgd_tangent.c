/*
 * sgd_tangent.c — SGD training that carries, beside the weights w and the
 * momentum buffer v, their derivatives with respect to every
 * hyperparameter: forward-mode hypergradients (Franceschi, Donini,
 * Frasconi & Pontil, "Forward and reverse gradient-based hyperparameter
 * optimization", ICML 2017, the RTHO / forward accumulation; the unrolled
 * view of Maclaurin, Duvenaud & Adams, ICML 2015).
 *
 * One step of hpo__mlp_train_epoch's SGD, at the epoch's lr eta, momentum
 * mu and weight decay lambda (M masks the decayed weights):
 *
 *     g  = grad L_batch(w) + lambda M w
 *     v' = mu v + g
 *     w' = w - eta v'
 *
 * and its tangent along log-hyperparameter h_j (H: the batch loss's
 * Hessian at w, a Hessian-vector product per tangent, Pearlmutter 1994):
 *
 *     dv' = mu dv + H dw + lambda M dw + [j is mu] mu v + [j is lambda] lambda M w
 *     dw' = dw - eta dv' - [j is eta] eta v'
 *
 * (the bracketed terms are d(quantity)/dh_j = quantity, h being a log).
 *
 * Deliberate choices:
 *   1. Cost: a hyperparameter that first acts in epoch t has a zero tangent
 *      before t, so its tangent is neither stored nor propagated until
 *      then; a per-epoch schedule of E values costs about E/2 tangents per
 *      step, not E.
 *   2. Truncation (Shaban, Cheng, Hatch & Boots, "Truncated
 *      back-propagation for bilevel optimization", AISTATS 2019; arXiv
 *      2018): with K > 0 the tangents start from zero K steps before the
 *      end, so the weights before that are treated as constants.  The
 *      gradient is then biased (it misses the hyperparameters' effect
 *      through the earlier weights), and hyperparameters acting only
 *      before the window get zero.
 *   3. The batch order comes from the seed exactly as in
 *      hpo__mlp_train_epoch (the same RNG draws the initial weights, then
 *      shuffles each epoch), so the value and its gradient are of one
 *      deterministic function, and the MLP's value is that training's.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sgd.h"

typedef struct tangent_state {
    hpo__sgd_model *mdl;
    const hpo__sgd_schedule *s;
    size_t p;
    double *w, *v, *g, *hu, *xb, *yb, *dw, *dv;
    int *order;
    long truncate_from;  /* the first differentiated step */
    int eta_i, mu_i, lambda_i;  /* which hyper sets this epoch's values */
    double eta, mu, lambda;
} tangent_state;

static void gather(const hpo__sgd_data *d, const int *rows, int b,
                   double *xb, double *yb)
{
    for (int i = 0; i < b; i++) {
        memcpy(xb + (size_t)i * d->n_in, d->x + (size_t)rows[i] * d->n_in,
               (size_t)d->n_in * sizeof *xb);
        yb[i] = d->y[rows[i]];
    }
}

/* Is hyperparameter j's tangent nonzero at step `step` of epoch e? */
static int active(const tangent_state *t, int j, int e, long step)
{
    return step >= t->truncate_from &&
           e >= hpo__sgd_schedule_first_epoch(t->s, j);
}

/* dv' of every active tangent, at w and v before the step. */
static void tangent_velocity(tangent_state *t, int e, long step)
{
    const unsigned char *mask = t->mdl->decayed;
    for (int j = 0; j < t->s->n_hyper; j++) {
        if (!active(t, j, e, step))
            continue;
        double *dw = t->dw + (size_t)j * t->p, *dv = t->dv + (size_t)j * t->p;
        t->mdl->hvp(t->mdl, dw, t->hu);
        double own_mu = j == t->mu_i ? t->mu : 0;
        double own_lambda = j == t->lambda_i ? t->lambda : 0;
        for (size_t i = 0; i < t->p; i++) {
            double decay = mask[i] ? t->lambda * dw[i] + own_lambda * t->w[i]
                                   : 0;
            dv[i] = t->mu * dv[i] + t->hu[i] + decay + own_mu * t->v[i];
        }
    }
}

/* dw' of every active tangent, with v already updated. */
static void tangent_weights(tangent_state *t, int e, long step)
{
    for (int j = 0; j < t->s->n_hyper; j++) {
        if (!active(t, j, e, step))
            continue;
        double *dw = t->dw + (size_t)j * t->p, *dv = t->dv + (size_t)j * t->p;
        double own_eta = j == t->eta_i ? t->eta : 0;
        for (size_t i = 0; i < t->p; i++)
            dw[i] -= t->eta * dv[i] + own_eta * t->v[i];
    }
}

static long active_count(const tangent_state *t, int e, long step)
{
    long k = 0;
    for (int j = 0; j < t->s->n_hyper; j++)
        k += active(t, j, e, step);
    return k;
}

/* One SGD step on rows [at, at + b) of the epoch's order; 0 when the loss
 * was not finite. */
static int step(tangent_state *t, const hpo__sgd_data *d, int at, int b,
                int e, long index, hpo__sgd_run *run)
{
    gather(d, t->order + at, b, t->xb, t->yb);
    double loss = t->mdl->loss_grad(t->mdl, t->w, t->xb, t->yb, b, t->lambda,
                                    t->g);
    if (!isfinite(loss))
        return 0;
    long k = t->dw ? active_count(t, e, index) : 0;
    if (k > 0) {
        t->mdl->hvp_prepare(t->mdl, t->w, t->xb, t->yb, b);
        tangent_velocity(t, e, index);
        run->hvps += k;
    }
    for (size_t i = 0; i < t->p; i++) {
        t->v[i] = t->mu * t->v[i] + t->g[i];
        t->w[i] -= t->eta * t->v[i];
    }
    if (k > 0)
        tangent_weights(t, e, index);
    return 1;
}

static int all_finite(const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(v[i]))
            return 0;
    return 1;
}

static void epoch_values(tangent_state *t, const double *h, int e)
{
    t->eta = hpo__sgd_schedule_value(t->s, h, HPO__SGD_LR, e, &t->eta_i);
    t->mu = hpo__sgd_schedule_value(t->s, h, HPO__SGD_MOMENTUM, e, &t->mu_i);
    t->lambda = hpo__sgd_schedule_value(t->s, h, HPO__SGD_DECAY, e,
                                        &t->lambda_i);
}

static void free_state(tangent_state *t)
{
    free(t->v);
    free(t->g);
    free(t->hu);
    free(t->xb);
    free(t->yb);
    free(t->dv);
    free(t->order);
}

int hpo__sgd_train(hpo__sgd_model *mdl, const hpo__sgd_data *data,
                   const hpo__sgd_schedule *s, const double *h, int batch,
                   uint64_t seed, long truncate, double *dw,
                   hpo__sgd_run *run, hpo__msg *m)
{
    int n = data->n_train, b = batch < n ? batch : n;
    size_t p = mdl->n_params, nh = (size_t)s->n_hyper;
    tangent_state t = {.mdl = mdl, .s = s, .p = p, .w = run->w, .dw = dw};
    t.v = calloc(p, sizeof *t.v);
    t.g = malloc(p * sizeof *t.g);
    t.hu = malloc(p * sizeof *t.hu);
    t.xb = malloc((size_t)b * (size_t)data->n_in * sizeof *t.xb);
    t.yb = malloc((size_t)b * sizeof *t.yb);
    t.order = malloc((size_t)n * sizeof *t.order);
    t.dv = dw ? calloc(nh * p, sizeof *t.dv) : NULL;
    if (!t.v || !t.g || !t.hu || !t.xb || !t.yb || !t.order ||
        (dw && !t.dv)) {
        free_state(&t);
        return hpo__oom(m);
    }
    if (dw)
        memset(dw, 0, nh * p * sizeof *dw);
    long per_epoch = (n + b - 1) / b, total = per_epoch * s->epochs;
    t.truncate_from = truncate > 0 && truncate < total ? total - truncate : 0;
    run->diverged = 0;
    run->steps = run->hvps = 0;
    hpo__rng rng;
    hpo__rng_seed(&rng, seed);
    mdl->init(mdl, run->w, &rng);
    for (int e = 0; e < s->epochs && !run->diverged; e++) {
        epoch_values(&t, h, e);
        hpo__rng_permutation(&rng, t.order, n);
        for (int at = 0; at < n && !run->diverged; at += b) {
            int size = n - at < b ? n - at : b;
            run->diverged = !step(&t, data, at, size, e, run->steps, run);
            run->steps++;
        }
        run->diverged |= !all_finite(run->w, p);
    }
    free_state(&t);
    return HPO_OK;
}
