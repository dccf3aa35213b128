/*
 * sgd.h — hypergradients through SGD training (issue 14, item 2): the
 * "unrolled" kind of hypergrad.h's problem.
 *
 * A learner (a softmax-regression linear model, or the project's MLP of
 * src/ml/mlp.h) is trained by mini-batch SGD with heavy-ball momentum and
 * L2 weight decay for a fixed number of epochs; its validation
 * cross-entropy is a differentiable function of the learning rate, the
 * momentum and the weight decay, each either fixed, one constant
 * hyperparameter, or one hyperparameter per epoch (a schedule).  The
 * gradient is accumulated forward through every step (Franceschi et al.
 * 2017, "Forward and reverse gradient-based hyperparameter
 * optimization"), optionally over the last K steps only (Shaban et al.
 * 2018, truncated back-propagation).
 *
 *   sgd_schedule.c  hyperparameters <-> per-epoch values, names, bounds
 *   sgd_linear.c    softmax regression: gradient and Hessian-vector product
 *   sgd_mlp.c       the MLP: gradient (mlp_net.c) and its R-operator
 *   sgd_tangent.c   training with the tangents dw/dh, dv/dh carried along
 *   sgd_problem.c   the hpo__hg_problem built on those (data, scaling)
 *
 * Given a seed, the initial weights and the order of mini-batches are
 * fixed, so the value and its gradient are of one deterministic function;
 * with the MLP that function is exactly hpo__mlp_train_epoch's training
 * (same He initialisation, same shuffles; tests/test_hypergrad_sgd_mlp.c
 * checks it bit for bit).
 */
#ifndef HPO_HYPERGRAD_SGD_H
#define HPO_HYPERGRAD_SGD_H

#include <stddef.h>
#include <stdint.h>

#include "../ml/ml.h"
#include "hypergrad.h"

/* ---- the learner (sgd_linear.c, sgd_mlp.c) ------------------------------- */

typedef struct hpo__sgd_model hpo__sgd_model;

struct hpo__sgd_model {
    size_t n_params;
    int n_out;                     /* classes */
    const unsigned char *decayed;  /* n_params: 1 where weight decay acts */
    /* Initial weights; may draw from rng (the MLP's He initialisation),
     * which then shuffles the rows, as hpo__mlp_new does. */
    void (*init)(hpo__sgd_model *mdl, double *w, hpo__rng *rng);
    /* Mean cross-entropy of n rows plus (wd / 2) ||decayed w||^2; its
     * gradient into grad.  y holds class indices. */
    double (*loss_grad)(hpo__sgd_model *mdl, const double *w,
                        const double *x, const double *y, int n, double wd,
                        double *grad);
    /* Linearize the mean cross-entropy (no decay) at w on n rows, then
     * hvp gives its Hessian times u (Pearlmutter 1994) for any number of
     * u.  The rows must stay valid until the next prepare. */
    void (*hvp_prepare)(hpo__sgd_model *mdl, const double *w,
                        const double *x, const double *y, int n);
    void (*hvp)(hpo__sgd_model *mdl, const double *u, double *hu);
    /* Class probabilities of n rows (n x n_out), borrowed until the next
     * call. */
    const double *(*probs)(hpo__sgd_model *mdl, const double *w,
                           const double *x, int n);
    void (*destroy)(hpo__sgd_model *mdl);
};

/* Models for n_in features and n_out classes, with scratch for up to
 * `rows` rows at once.  HPO_EINVAL / HPO_ENOMEM with a message. */
int hpo__sgd_linear_new(hpo__sgd_model **out, int n_in, int n_out, int rows,
                        hpo__msg *m);
int hpo__sgd_mlp_new(hpo__sgd_model **out, int n_in, int n_out, int hidden,
                     int layers, int rows, hpo__msg *m);

/* ---- the hyperparameters (sgd_schedule.c) -------------------------------- */

typedef enum hpo__sgd_mode {
    HPO__SGD_FIXED = 0,  /* not tuned: the configured value */
    HPO__SGD_CONSTANT,   /* one hyperparameter for every epoch */
    HPO__SGD_PER_EPOCH   /* one hyperparameter per epoch */
} hpo__sgd_mode;

enum { HPO__SGD_LR, HPO__SGD_MOMENTUM, HPO__SGD_DECAY, HPO__SGD_KINDS };

typedef struct hpo__sgd_schedule {
    int epochs;
    hpo__sgd_mode mode[HPO__SGD_KINDS];
    double fixed[HPO__SGD_KINDS];  /* the value when FIXED, and the start */
    int first[HPO__SGD_KINDS];     /* index of the kind's first hyper */
    int n_hyper;
    char **names;                  /* n_hyper: "lr", "lr_7", "momentum", ... */
} hpo__sgd_schedule;

/* Lay out the hyperparameters (lr, then momentum, then weight decay).
 * HPO_EINVAL unless epochs >= 1, at least one kind is tuned, and the fixed
 * values are valid (lr > 0, 0 < momentum < 1, decay > 0 when tuned, >= 0
 * when fixed). */
int hpo__sgd_schedule_init(hpo__sgd_schedule *s, int epochs,
                           const hpo__sgd_mode mode[HPO__SGD_KINDS],
                           const double fixed[HPO__SGD_KINDS], hpo__msg *m);
void hpo__sgd_schedule_free(hpo__sgd_schedule *s);
/* Bounds of the positive quantity (BENCHMARKS.md's mlp_digits box, with
 * momentum in [0.01, 0.99] since it is tuned in log space). */
void hpo__sgd_schedule_bounds(const hpo__sgd_schedule *s, int i, double *lo,
                              double *hi);
/* The log-hyperparameters that start from the fixed values. */
void hpo__sgd_schedule_start(const hpo__sgd_schedule *s, double *h);
/* The value of `kind` in epoch e at log-hyperparameters h, and the index
 * of the hyperparameter that sets it (-1 when fixed). */
double hpo__sgd_schedule_value(const hpo__sgd_schedule *s, const double *h,
                               int kind, int e, int *hyper);
/* The kind (HPO__SGD_LR, ...) of hyperparameter i. */
int hpo__sgd_schedule_kind(const hpo__sgd_schedule *s, int i);
/* The first epoch hyperparameter i acts in. */
int hpo__sgd_schedule_first_epoch(const hpo__sgd_schedule *s, int i);

/* ---- training with tangents (sgd_tangent.c) ------------------------------- */

typedef struct hpo__sgd_data {
    int n_train, n_in;
    const double *x, *y;  /* standardized rows, class indices */
} hpo__sgd_data;

typedef struct hpo__sgd_run {
    double *w;       /* n_params: the trained weights */
    int diverged;    /* a loss or a weight was not finite */
    long steps;      /* SGD steps taken */
    long hvps;       /* Hessian-vector products (the tangents' cost) */
} hpo__sgd_run;

/*
 * Train for s->epochs epochs from seed at log-hyperparameters h; with
 * dw != NULL also carry the tangents and leave dw (n_hyper x n_params,
 * row i = dw_final / dh_i).  truncate > 0 differentiates only the last
 * `truncate` steps (the weights before them are treated as constants).
 * run->w must have n_params doubles.  HPO_ENOMEM only.
 */
int hpo__sgd_train(hpo__sgd_model *mdl, const hpo__sgd_data *data,
                   const hpo__sgd_schedule *s, const double *h, int batch,
                   uint64_t seed, long truncate, double *dw,
                   hpo__sgd_run *run, hpo__msg *m);

/* ---- the problem (sgd_problem.c) ------------------------------------------ */

typedef struct hpo__sgd_config {
    const char *model;     /* "linear" or "mlp" */
    int hidden, layers;    /* the MLP's width and depth (1 or 2) */
    int epochs, batch;
    hpo__sgd_mode mode[HPO__SGD_KINDS];
    double fixed[HPO__SGD_KINDS];  /* lr, momentum, weight decay */
    long truncate;         /* 0: every step; K: the last K steps */
    uint64_t seed;         /* initial weights and batch order */
} hpo__sgd_config;

/* Defaults: mlp, 64 hidden, 1 layer, 20 epochs, batch 32, a per-epoch
 * learning rate from 0.01, momentum 0.9 and decay 1e-4 fixed. */
void hpo__sgd_config_default(hpo__sgd_config *c);

/*
 * The problem on a classification dataset: trained on train rows
 * (features standardized on them), its validation cross-entropy on val
 * rows, the test cross-entropy on test rows (none: NaN), the validation
 * error rate as val_metric.  The rows are copied.  A diverged training
 * gives val_loss = +inf and a zero gradient (HPO_OK), so an outer loop
 * can back off.  HPO_EINVAL with a message for a regression dataset, a
 * bad configuration or empty rows.
 */
int hpo__hg_sgd_new(hpo__hg_problem **out, const hpo__dataset *d,
                    const hpo__split *train_val, const int *test_rows,
                    int n_test, const hpo__sgd_config *c, hpo__msg *m);

/* The same on a stratified split of every row of d seeded by seed: 60%
 * train, 20% validation, 20% test (what `hpo hypergrad mlp` uses). */
int hpo__hg_sgd_new_split(hpo__hg_problem **out, const hpo__dataset *d,
                          uint64_t seed, const hpo__sgd_config *c,
                          hpo__msg *m);
/* The log-hyperparameters of the configured (fixed) values: a start. */
void hpo__hg_sgd_start(const hpo__hg_problem *p, double *h);
/* Rows of train, validation and test. */
void hpo__hg_sgd_rows(const hpo__hg_problem *p, int n[3]);

/* What training has cost so far: epochs trained (with or without
 * tangents), and Hessian-vector products of the tangents. */
void hpo__hg_sgd_cost(const hpo__hg_problem *p, long *epochs, long *hvps);

#endif
