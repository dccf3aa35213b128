/*
 * hypergrad_sgd_fixture.h — what the tests of the unrolled hypergradients
 * (src/hypergrad/sgd_*.c) share: a small overlapping three-class data set,
 * a problem built on it, and the check of every hypergradient against
 * central finite differences of the validation loss.
 */
#ifndef HPO_HYPERGRAD_SGD_FIXTURE_H
#define HPO_HYPERGRAD_SGD_FIXTURE_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "hypergrad/sgd.h"

enum { FX_ROWS = 48, FX_TRAIN = 32, FX_FEATURES = 4 };

/* Three Gaussian blobs that overlap (no separating weights, so the loss
 * stays curved), as a CSV data set; labels 0, 1, 2. */
static void fx_dataset(hpo__dataset *d, int regression)
{
    hpo__rng rng;
    hpo__rng_seed(&rng, 11);
    char *text = malloc(FX_ROWS * 128 + 64), *at = text;
    at += sprintf(at, "a,b,c,d,y\n");
    for (int i = 0; i < FX_ROWS; i++) {
        int c = i % 3;
        for (int j = 0; j < FX_FEATURES; j++)
            at += sprintf(at, "%.17g,", (j == c) * 1.5 +
                                            hpo__rng_normal(&rng));
        at += sprintf(at, "%d\n", c);
    }
    hpo__msg m = {0};
    CHECK_RC(hpo__data_parse(d, "blobs", text, strlen(text), NULL,
                             HPO__DATA_CSV, &m), HPO_OK);
    CHECK_RC(hpo__data_set_task(d, regression ? HPO__REGRESSION
                                              : HPO__CLASSIFICATION, &m),
             HPO_OK);
    free(text);
    hpo__msg_free(&m);
}

/* Train on the first FX_TRAIN rows, validate on the rest. */
typedef struct fx_split {
    int train[FX_TRAIN], val[FX_ROWS - FX_TRAIN];
    hpo__split s;
} fx_split;

static void fx_split_init(fx_split *f)
{
    for (int i = 0; i < FX_TRAIN; i++)
        f->train[i] = i;
    for (int i = 0; i < FX_ROWS - FX_TRAIN; i++)
        f->val[i] = FX_TRAIN + i;
    f->s = (hpo__split){.n_train = FX_TRAIN, .n_test = FX_ROWS - FX_TRAIN,
                        .train = f->train, .test = f->val};
}

/* A small configuration: 3 epochs of 4 batches of 8, well-conditioned
 * values; the caller chooses the model and what is tuned. */
static hpo__sgd_config fx_config(const char *model, hpo__sgd_mode lr,
                                 hpo__sgd_mode momentum, hpo__sgd_mode decay)
{
    hpo__sgd_config c;
    hpo__sgd_config_default(&c);
    c.model = model;
    c.hidden = 5;
    c.epochs = 3;
    c.batch = 8;
    c.mode[HPO__SGD_LR] = lr;
    c.mode[HPO__SGD_MOMENTUM] = momentum;
    c.mode[HPO__SGD_DECAY] = decay;
    c.fixed[HPO__SGD_LR] = 0.2;
    c.fixed[HPO__SGD_MOMENTUM] = 0.5;
    c.fixed[HPO__SGD_DECAY] = 0.02;
    c.seed = 3;
    return c;
}

static hpo__hg_problem *fx_problem(const hpo__dataset *d,
                                   const hpo__sgd_config *c)
{
    fx_split f;
    fx_split_init(&f);
    hpo__hg_problem *p = NULL;
    hpo__msg m = {0};
    int rc = hpo__hg_sgd_new(&p, d, &f.s, f.val, 4, c, &m);
    if (rc != HPO_OK)
        fprintf(stderr, "hpo__hg_sgd_new: %s\n", hpo__msg_get(&m));
    CHECK_RC(rc, HPO_OK);
    hpo__msg_free(&m);
    return p;
}

/* The start point, moved off the fixed values so that per-epoch entries
 * differ (a schedule, not a constant). */
static void fx_start(const hpo__hg_problem *p, double *h)
{
    for (int i = 0; i < p->n_hyper; i++) {
        const char *name = p->hyper_name(p, i);
        double base = strncmp(name, "lr", 2) == 0 ? 0.2
                      : strncmp(name, "momentum", 8) == 0 ? 0.5
                                                          : 0.02;
        h[i] = log(base) + 0.1 * ((i % 3) - 1);
    }
}

static double fx_value(hpo__hg_problem *p, const double *h)
{
    double v = NAN;
    hpo__msg m = {0};
    CHECK_RC(p->value_grad(p, h, 0, &v, NULL, &m), HPO_OK);
    hpo__msg_free(&m);
    return v;
}

/* Worst relative error of the hypergradient against central differences
 * in log space, over every hyperparameter; prints the bad ones. */
static double fx_worst_fd_error(hpo__hg_problem *p, const double *h0)
{
    int n = p->n_hyper;
    double *h = malloc((size_t)n * sizeof *h);
    double *g = malloc((size_t)n * sizeof *g);
    double v, worst = 0, eps = 1e-4;
    hpo__msg m = {0};
    memcpy(h, h0, (size_t)n * sizeof *h);
    CHECK_RC(p->value_grad(p, h, 0, &v, g, &m), HPO_OK);
    CHECK(isfinite(v));
    for (int i = 0; i < n; i++) {
        h[i] = h0[i] + eps;
        double up = fx_value(p, h);
        h[i] = h0[i] - eps;
        double down = fx_value(p, h);
        h[i] = h0[i];
        double fd = (up - down) / (2 * eps);
        double err = fabs(g[i] - fd) / (fabs(fd) + 1e-7);
        if (err > 1e-4)
            fprintf(stderr, "  %s: hypergradient %.10g, differences %.10g\n",
                    p->hyper_name(p, i), g[i], fd);
        worst = err > worst ? err : worst;
    }
    free(h);
    free(g);
    hpo__msg_free(&m);
    return worst;
}

/* Every hypergradient of the model (layers: the MLP's) against central
 * differences, with relative error < 1e-4; the losses are finite. */
static void fx_check_fd(const char *model, int layers, hpo__sgd_mode lr,
                        hpo__sgd_mode mu, hpo__sgd_mode wd, int want_hyper)
{
    hpo__dataset d = {0};
    fx_dataset(&d, 0);
    hpo__sgd_config c = fx_config(model, lr, mu, wd);
    c.layers = layers;
    hpo__hg_problem *p = fx_problem(&d, &c);
    if (p) {
        CHECK(p->n_hyper == want_hyper);
        double h[16];
        fx_start(p, h);
        double worst = fx_worst_fd_error(p, h);
        if (worst >= 1e-4)
            fprintf(stderr, "%s, %d layer(s): worst relative error %g\n",
                    model, layers, worst);
        CHECK(worst < 1e-4);
        CHECK(isfinite(p->test_loss(p)));
        CHECK(p->val_metric(p) >= 0 && p->val_metric(p) <= 1);
        p->destroy(p);
    }
    hpo__data_free(&d);
}

/* H u against (grad(w + t u) - grad(w - t u)) / 2t on 8 random rows, at
 * the model's initial weights plus noise of size `jitter` (nonzero
 * biases), u random; the worst relative error. */
static double fx_worst_hvp_error(hpo__sgd_model *mdl, int n_in,
                                 double jitter, double t)
{
    enum { N = 8 };
    size_t p = mdl->n_params;
    double *w = malloc(p * sizeof *w), *u = malloc(p * sizeof *u);
    double *hu = malloc(p * sizeof *hu), *gp = malloc(p * sizeof *gp);
    double *gm = malloc(p * sizeof *gm);
    double *x = malloc((size_t)N * n_in * sizeof *x), y[N];
    hpo__rng rng;
    hpo__rng_seed(&rng, 5);
    mdl->init(mdl, w, &rng);
    for (size_t i = 0; i < p; i++) {
        w[i] += jitter * hpo__rng_normal(&rng);
        u[i] = hpo__rng_normal(&rng);
    }
    for (int i = 0; i < N * n_in; i++)
        x[i] = hpo__rng_normal(&rng);
    for (int i = 0; i < N; i++)
        y[i] = (double)hpo__rng_below(&rng, (uint64_t)mdl->n_out);
    mdl->hvp_prepare(mdl, w, x, y, N);
    mdl->hvp(mdl, u, hu);
    for (size_t i = 0; i < p; i++)
        w[i] += t * u[i];
    mdl->loss_grad(mdl, w, x, y, N, 0.0, gp);
    for (size_t i = 0; i < p; i++)
        w[i] -= 2 * t * u[i];
    mdl->loss_grad(mdl, w, x, y, N, 0.0, gm);
    double worst = 0;
    for (size_t i = 0; i < p; i++) {
        double fd = (gp[i] - gm[i]) / (2 * t);
        double err = fabs(hu[i] - fd) / (fabs(fd) + 1e-6);
        worst = err > worst ? err : worst;
    }
    free(w), free(u), free(hu), free(gp), free(gm), free(x);
    return worst;
}

#endif
