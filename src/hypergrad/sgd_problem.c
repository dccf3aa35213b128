/*
 * sgd_problem.c — hypergrad.h's problem for a learner trained by SGD
 * (sgd.h): the validation cross-entropy after training and its gradient
 * with respect to the learning rate, momentum and weight decay schedules,
 * by forward-mode accumulation (Franceschi et al. 2017; Maclaurin et al.
 * 2015), optionally truncated (Shaban et al. 2018).
 *
 * Deliberate choices:
 *   1. The features are standardized on the training rows, as the mlp
 *      learner does (mlp.c), so with the same seed and constant
 *      hyperparameters this trains the very network `hpo learn mlp` does.
 *   2. tol (HOAG's inner tolerance) has no meaning for a fixed number of
 *      epochs and is ignored: every evaluation is exact.
 *   3. A diverged training (a non-finite loss or weight) reports
 *      val_loss = +inf with a zero gradient, the test loss +inf, and as
 *      validation error that of the majority class of the training rows
 *      (what the mlp learner predicts for a diverged model).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sgd.h"

typedef struct sgd_problem {
    hpo__hg_problem base;
    hpo__sgd_config cfg;
    hpo__sgd_schedule sched;
    hpo__sgd_model *mdl;
    hpo__sgd_data train;
    double *x_train, *y_train, *x_val, *y_val, *x_test, *y_test;
    int n_val, n_test, majority;
    double *w, *dw, *gval;
    double test_loss, val_metric;
    long epochs_trained, hvps;
} sgd_problem;

void hpo__sgd_config_default(hpo__sgd_config *c)
{
    *c = (hpo__sgd_config){
        .model = "mlp", .hidden = 64, .layers = 1, .epochs = 20, .batch = 32,
        .mode = {HPO__SGD_PER_EPOCH, HPO__SGD_FIXED, HPO__SGD_FIXED},
        .fixed = {0.01, 0.9, 1e-4}, .seed = 0};
}

static const char *sgd_hyper_name(const hpo__hg_problem *p, int i)
{
    return ((const sgd_problem *)p)->sched.names[i];
}

static void sgd_hyper_bounds(const hpo__hg_problem *p, int i, double *lo,
                             double *hi)
{
    hpo__sgd_schedule_bounds(&((const sgd_problem *)p)->sched, i, lo, hi);
}

static double sgd_test_loss(const hpo__hg_problem *p)
{
    return ((const sgd_problem *)p)->test_loss;
}

static double sgd_val_metric(const hpo__hg_problem *p)
{
    return ((const sgd_problem *)p)->val_metric;
}

static int check_hyper(const sgd_problem *P, const double *h, hpo__msg *m)
{
    const hpo__sgd_schedule *s = &P->sched;
    for (int i = 0; i < s->n_hyper; i++) {
        double v = exp(h[i]);
        int is_momentum = hpo__sgd_schedule_kind(s, i) == HPO__SGD_MOMENTUM;
        if (!(v > 0 && isfinite(v)) || (is_momentum && !(v < 1)))
            return hpo__fail(m, HPO_EINVAL, "sgd: hyperparameter %s = "
                             "exp(%g) is out of range", s->names[i], h[i]);
    }
    return HPO_OK;
}

/* The error rate of the trained weights on the validation rows. */
static double val_error(sgd_problem *P)
{
    int k = P->mdl->n_out, wrong = 0;
    const double *prob = P->mdl->probs(P->mdl, P->w, P->x_val, P->n_val);
    for (int i = 0; i < P->n_val; i++) {
        const double *r = prob + (size_t)i * k;
        int best = 0;
        for (int c = 1; c < k; c++)
            best = r[c] > r[best] ? c : best;
        wrong += best != (int)P->y_val[i];
    }
    return (double)wrong / P->n_val;
}

static void diverged(sgd_problem *P, double *val_loss, double *grad)
{
    int wrong = 0;
    for (int i = 0; i < P->n_val; i++)
        wrong += (int)P->y_val[i] != P->majority;
    *val_loss = HUGE_VAL;
    P->test_loss = HUGE_VAL;
    P->val_metric = (double)wrong / P->n_val;
    if (grad)
        memset(grad, 0, (size_t)P->sched.n_hyper * sizeof *grad);
}

static int sgd_value_grad(hpo__hg_problem *p, const double *h, double tol,
                          double *val_loss, double *grad, hpo__msg *m)
{
    sgd_problem *P = (sgd_problem *)p;
    (void)tol;
    int rc = check_hyper(P, h, m);
    if (rc != HPO_OK)
        return rc;
    hpo__sgd_run run = {.w = P->w};
    rc = hpo__sgd_train(P->mdl, &P->train, &P->sched, h, P->cfg.batch,
                        P->cfg.seed, P->cfg.truncate, grad ? P->dw : NULL,
                        &run, m);
    if (rc != HPO_OK)
        return rc;
    p->fits++;
    P->epochs_trained += P->sched.epochs;
    P->hvps += run.hvps;
    if (run.diverged) {
        diverged(P, val_loss, grad);
        return HPO_OK;
    }
    size_t np = P->mdl->n_params;
    *val_loss = P->mdl->loss_grad(P->mdl, P->w, P->x_val, P->y_val, P->n_val,
                                  0.0, P->gval);
    for (int j = 0; grad && j < P->sched.n_hyper; j++) {
        const double *dwj = P->dw + (size_t)j * np;
        double sum = 0;
        for (size_t i = 0; i < np; i++)
            sum += P->gval[i] * dwj[i];
        grad[j] = sum;
    }
    P->val_metric = val_error(P);
    /* gval is free again: the test loss's gradient is scratch. */
    P->test_loss = P->n_test > 0
                       ? P->mdl->loss_grad(P->mdl, P->w, P->x_test, P->y_test,
                                           P->n_test, 0.0, P->gval)
                       : NAN;
    return HPO_OK;
}

static void sgd_destroy(hpo__hg_problem *p)
{
    sgd_problem *P = (sgd_problem *)p;
    if (!P)
        return;
    if (P->mdl)
        P->mdl->destroy(P->mdl);
    hpo__sgd_schedule_free(&P->sched);
    free(P->x_train);
    free(P->y_train);
    free(P->x_val);
    free(P->y_val);
    free(P->x_test);
    free(P->y_test);
    free(P->w);
    free(P->dw);
    free(P->gval);
    free(P);
}

/* Standardized rows and their class indices. */
static int rows_of(const hpo__dataset *d, const hpo__scaler *sc,
                   const int *rows, int n, double **x, double **y,
                   hpo__msg *m)
{
    if (n < 1)
        return HPO_OK;
    int rc = hpo__scaler_apply(sc, d, rows, n, x, m);
    if (rc != HPO_OK)
        return rc;
    if (!(*y = malloc((size_t)n * sizeof **y)))
        return hpo__oom(m);
    for (int i = 0; i < n; i++)
        (*y)[i] = d->class_of[rows[i]];
    return HPO_OK;
}

static int check_rows(const hpo__dataset *d, const int *rows, int n,
                      hpo__msg *m)
{
    for (int i = 0; i < n; i++)
        if (rows[i] < 0 || rows[i] >= d->n_rows)
            return hpo__fail(m, HPO_EINVAL, "sgd: row %d is not in the data "
                             "(%d rows)", rows[i], d->n_rows);
    return HPO_OK;
}

static int check_config(const hpo__dataset *d, const hpo__split *tv,
                        const int *test_rows, int n_test,
                        const hpo__sgd_config *c, hpo__msg *m)
{
    if (hpo__data_task(d) != HPO__CLASSIFICATION || d->n_classes < 2)
        return hpo__fail(m, HPO_EINVAL, "sgd: %s is not a classification "
                         "dataset with two classes or more (the unrolled "
                         "hypergradients train on cross-entropy)",
                         d->source ? d->source : "the data");
    if (tv->n_train < 1 || tv->n_test < 1)
        return hpo__fail(m, HPO_EINVAL, "sgd: training and validation rows "
                         "must not be empty (%d and %d)", tv->n_train,
                         tv->n_test);
    if (c->batch < 1 || c->truncate < 0)
        return hpo__fail(m, HPO_EINVAL, "sgd: batch >= 1 and truncate >= 0 "
                         "(batch %d, truncate %ld)", c->batch, c->truncate);
    if (!c->model || (strcmp(c->model, "mlp") && strcmp(c->model, "linear")))
        return hpo__fail(m, HPO_EINVAL, "sgd: unknown model '%s' (linear, "
                         "mlp)", c->model ? c->model : "(null)");
    int rc = check_rows(d, tv->train, tv->n_train, m);
    if (rc == HPO_OK)
        rc = check_rows(d, tv->test, tv->n_test, m);
    return rc == HPO_OK ? check_rows(d, test_rows, n_test, m) : rc;
}

static int majority_class(const double *y, int n, int k)
{
    int *count = calloc((size_t)k, sizeof *count), best = 0;
    for (int i = 0; count && i < n; i++)
        count[(int)y[i]]++;
    for (int c = 1; count && c < k; c++)
        best = count[c] > count[best] ? c : best;
    free(count);
    return best;
}

/* The data, the model and the buffers of a checked configuration. */
static int build(sgd_problem *P, const hpo__dataset *d, const hpo__split *tv,
                 const int *test_rows, int n_test, hpo__msg *m)
{
    const hpo__sgd_config *c = &P->cfg;
    hpo__scaler sc = {0};
    int rc = hpo__scaler_fit(&sc, d, tv->train, tv->n_train, m);
    if (rc == HPO_OK)
        rc = rows_of(d, &sc, tv->train, tv->n_train, &P->x_train,
                     &P->y_train, m);
    if (rc == HPO_OK)
        rc = rows_of(d, &sc, tv->test, tv->n_test, &P->x_val, &P->y_val, m);
    if (rc == HPO_OK)
        rc = rows_of(d, &sc, test_rows, n_test, &P->x_test, &P->y_test, m);
    hpo__scaler_free(&sc);
    if (rc != HPO_OK)
        return rc;
    P->n_val = tv->n_test, P->n_test = n_test;
    P->train = (hpo__sgd_data){.n_train = tv->n_train, .n_in = d->n_features,
                               .x = P->x_train, .y = P->y_train};
    P->majority = majority_class(P->y_train, tv->n_train, d->n_classes);
    int rows = c->batch;
    rows = P->n_val > rows ? P->n_val : rows;
    rows = n_test > rows ? n_test : rows;
    rc = strcmp(c->model, "mlp") == 0
             ? hpo__sgd_mlp_new(&P->mdl, d->n_features, d->n_classes,
                                c->hidden, c->layers, rows, m)
             : hpo__sgd_linear_new(&P->mdl, d->n_features, d->n_classes,
                                   rows, m);
    if (rc != HPO_OK)
        return rc;
    size_t np = P->mdl->n_params, nh = (size_t)P->sched.n_hyper;
    P->w = malloc(np * sizeof *P->w);
    P->gval = malloc(np * sizeof *P->gval);
    P->dw = malloc(nh * np * sizeof *P->dw);
    return P->w && P->gval && P->dw ? HPO_OK : hpo__oom(m);
}

int hpo__hg_sgd_new(hpo__hg_problem **out, const hpo__dataset *d,
                    const hpo__split *train_val, const int *test_rows,
                    int n_test, const hpo__sgd_config *c, hpo__msg *m)
{
    *out = NULL;
    n_test = test_rows && n_test > 0 ? n_test : 0;
    int rc = check_config(d, train_val, test_rows, n_test, c, m);
    if (rc != HPO_OK)
        return rc;
    sgd_problem *P = calloc(1, sizeof *P);
    if (!P)
        return hpo__oom(m);
    P->cfg = *c;
    P->test_loss = P->val_metric = NAN;
    rc = hpo__sgd_schedule_init(&P->sched, c->epochs, c->mode, c->fixed, m);
    if (rc == HPO_OK)
        rc = build(P, d, train_val, test_rows, n_test, m);
    if (rc != HPO_OK) {
        sgd_destroy(&P->base);
        return rc;
    }
    P->base = (hpo__hg_problem){
        .model = strcmp(c->model, "mlp") == 0 ? "mlp" : "linear",
        .n_hyper = P->sched.n_hyper, .hyper_name = sgd_hyper_name,
        .hyper_bounds = sgd_hyper_bounds, .value_grad = sgd_value_grad,
        .test_loss = sgd_test_loss, .val_metric = sgd_val_metric,
        .destroy = sgd_destroy};
    *out = &P->base;
    return HPO_OK;
}

int hpo__hg_sgd_new_split(hpo__hg_problem **out, const hpo__dataset *d,
                          uint64_t seed, const hpo__sgd_config *c,
                          hpo__msg *m)
{
    *out = NULL;
    hpo__folds outer = {0}, inner = {0};
    hpo__cv_spec test = {.kind = HPO__CV_HOLDOUT, .test_fraction = 0.2,
                         .seed = seed};
    hpo__cv_spec val = {.kind = HPO__CV_HOLDOUT, .test_fraction = 0.25,
                        .seed = seed};
    int rc = hpo__cv_split(d, NULL, 0, &test, &outer, m);
    if (rc == HPO_OK)
        rc = hpo__cv_split(d, outer.v[0].train, outer.v[0].n_train, &val,
                           &inner, m);
    if (rc == HPO_OK)
        rc = hpo__hg_sgd_new(out, d, &inner.v[0], outer.v[0].test,
                             outer.v[0].n_test, c, m);
    hpo__folds_free(&outer);
    hpo__folds_free(&inner);
    return rc;
}

void hpo__hg_sgd_start(const hpo__hg_problem *p, double *h)
{
    hpo__sgd_schedule_start(&((const sgd_problem *)p)->sched, h);
}

void hpo__hg_sgd_rows(const hpo__hg_problem *p, int n[3])
{
    const sgd_problem *P = (const sgd_problem *)p;
    n[0] = P->train.n_train, n[1] = P->n_val, n[2] = P->n_test;
}

void hpo__hg_sgd_cost(const hpo__hg_problem *p, long *epochs, long *hvps)
{
    const sgd_problem *P = (const sgd_problem *)p;
    *epochs = P->epochs_trained;
    *hvps = P->hvps;
}
