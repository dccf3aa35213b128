/*
 * linear.c — linear classifiers through liblinear's C API (Fan, Chang,
 * Hsieh, Wang & Lin, "LIBLINEAR: a library for large linear
 * classification", JMLR 2008):
 *
 *   l2_lr    L2-regularized logistic regression (trust-region Newton)
 *   l1_lr    L1-regularized logistic regression (newGLMNET)
 *   l2_svc   L2-regularized L2-loss linear SVM (dual coordinate descent)
 *
 * with a bias feature of value 1 (liblinear's -B 1) and liblinear's own
 * stopping tolerance per solver.  Multi-class problems are one-vs-rest, as
 * liblinear does them.
 *
 * Deliberate differences from running liblinear's train on a file:
 *   1. Features are standardized from the training rows of each fit,
 *      unless no_standardize is set.
 *   2. rand() is reseeded before each fit (the coordinate-descent solvers
 *      shuffle with it), so a configuration's score is reproducible.
 */
#include <linear.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "learner.h"
#include "sparse_rows.h"
#include "../core/lazy_lib.h"

/* liblinear is opened at the first fit (lazy_lib.h): it brings libstdc++
 * and BLAS, which runs of hpo that fit no linear model need not start. */
#define LINEAR_FUNCTIONS(X, t)                                                \
    X(t, set_print_string_function) X(t, free_and_destroy_model)              \
    X(t, check_parameter) X(t, train) X(t, predict_values)                    \
    X(t, check_probability_model) X(t, predict_probability) X(t, predict)
HPO__LAZY_LIBRARY(liblinear, LINEAR_FUNCTIONS, HPO_SONAME_LINEAR, "liblinear4");

static const char *const solvers[] = {"l2_lr", "l1_lr", "l2_svc", NULL};
static const int solver_types[] = {L2R_LR, L1R_LR, L2R_L2LOSS_SVC_DUAL};
/* liblinear's default tolerance for each (train.c). */
static const double solver_tol[] = {0.01, 0.01, 0.1};

#define CLASSIFY HPO__TASK_BIT(HPO__CLASSIFICATION)

static const hpo__learner_param linear_params[] = {
    {"solver", "cat:l2_lr,l1_lr,l2_svc", 0, "l2_lr", CLASSIFY,
     "l2_lr / l1_lr: logistic regression, l2_svc: linear SVM"},
    {"C", "float:0.03125:32768:log", 1, "1", CLASSIFY,
     "inverse regularization strength (2^-5 .. 2^15)"},
    {"tol", "float:1e-5:0.1:log", 0, "solver's default", CLASSIFY,
     "stopping tolerance (liblinear: 0.01 for lr, 0.1 for svc)"},
};

/* What a fit needs that does not depend on the hyperparameters: the
 * training rows, scaled, as liblinear's problem (with the bias feature).
 * hpo__evaluate with a cache prepares it once per split; liblinear only
 * reads it, and its model copies the weights, so the problem could go
 * after training, but the scaler stays for predict. */
typedef struct linear_data {
    hpo__scaler scaler;  /* fit on the training rows ... */
    int scaled;          /* ... unless no_standardize */
    struct problem prob;
    struct feature_node *nodes;
} linear_data;

typedef struct linear_fit {
    struct model *model;
    const linear_data *data; /* what it was trained on */
    linear_data *own;        /* the same, when fit prepared it (no cache) */
} linear_fit;

static void print_nothing(const char *s)
{
    (void)s;
}

static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;

static void make_liblinear_quiet(void)
{
    liblinear.set_print_string_function(print_nothing);
}

static void linear_free_prepared(void *prepared)
{
    linear_data *p = prepared;
    if (!p)
        return;
    free(p->nodes);
    free(p->prob.x);
    free(p->prob.y);
    hpo__scaler_free(&p->scaler);
    free(p);
}

static void linear_fit_free(void *model)
{
    linear_fit *f = model;
    if (!f)
        return;
    if (f->model)
        liblinear.free_and_destroy_model(&f->model);
    linear_free_prepared(f->own);
    free(f);
}

/* Row r of d, scaled by s (NULL: as it is), as liblinear's nodes: the
 * nonzero features (1-based), then the bias feature n_features + 1 = 1,
 * then index -1.  Returns the count. */
static int to_nodes(const hpo__scaler *s, const hpo__dataset *d, int r,
                    struct feature_node *out)
{
    hpo__nonzero_walk w = hpo__nonzero_start(s, d, r);
    int k = 0;
    for (; hpo__nonzero_next(&w); k++) {
        out[k].index = w.index;
        out[k].value = w.value;
    }
    out[k].index = d->n_features + 1;
    out[k].value = 1;
    out[k + 1].index = -1;
    out[k + 1].value = 0;
    return k + 2;
}

static int read_params(const hpo__fit_input *in, struct parameter *p,
                       hpo__msg *m)
{
    const hpo__learner_type *t = &hpo__learner_linear;
    int solver, rc;
    double tol;
    memset(p, 0, sizeof *p);
    if ((rc = hpo__learner_choice(t, in->params, "solver", solvers, &solver,
                                  m)) ||
        (rc = hpo__learner_number(t, in->params, "C", &p->C, m)) ||
        (rc = hpo__learner_number(t, in->params, "tol", &tol, m)))
        return rc;
    p->solver_type = solver_types[solver];
    p->eps = isnan(tol) ? solver_tol[solver] : tol;
    if (!(p->C > 0) || !(p->eps > 0))
        return hpo__fail(m, HPO_EINVAL, "linear: C and tol must be > 0");
    if (in->output == HPO__OUTPUT_PROBA && p->solver_type == L2R_L2LOSS_SVC_DUAL)
        return hpo__fail(m, HPO_EINVAL, "linear: probabilities (log-loss) "
                         "need a logistic solver (l2_lr or l1_lr)");
    return HPO_OK;
}

/* The training rows as liblinear's problem, in the order given. */
static int build_problem(linear_data *p, const hpo__fit_input *in,
                         hpo__msg *m)
{
    const hpo__dataset *d = in->d;
    int nf = d->n_features, n = in->n_rows;
    p->nodes = malloc((size_t)n * (nf + 2) * sizeof *p->nodes);
    p->prob.x = malloc((size_t)n * sizeof *p->prob.x);
    p->prob.y = malloc((size_t)n * sizeof *p->prob.y);
    if (!p->nodes || !p->prob.x || !p->prob.y)
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    const hpo__scaler *s = p->scaled ? &p->scaler : NULL;
    size_t used = 0;
    for (int i = 0; i < n; i++) {
        p->prob.x[i] = p->nodes + used;
        used += (size_t)to_nodes(s, d, in->rows[i], p->prob.x[i]);
        p->prob.y[i] = d->y[in->rows[i]];
    }
    p->prob.l = n;
    p->prob.n = nf + 1;
    p->prob.bias = 1;
    return HPO_OK;
}

static int linear_prepare(const hpo__fit_input *in, void **prepared,
                          hpo__msg *m)
{
    *prepared = NULL;
    linear_data *p = calloc(1, sizeof *p);
    if (!p)
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    p->scaled = !in->no_standardize;
    int rc = HPO_OK;
    if (p->scaled)
        rc = hpo__scaler_fit(&p->scaler, in->d, in->rows, in->n_rows, m);
    if (rc == HPO_OK)
        rc = build_problem(p, in, m);
    if (rc != HPO_OK) {
        linear_free_prepared(p);
        return rc;
    }
    *prepared = p;
    return HPO_OK;
}

static int linear_fit_rows(const hpo__fit_input *in, void **model,
                           hpo__msg *m)
{
    *model = NULL;
    if (hpo__data_task(in->d) != HPO__CLASSIFICATION)
        return hpo__fail(m, HPO_EINVAL, "linear: classification only");
    if (in->n_rows < 1)
        return hpo__fail(m, HPO_EINVAL, "linear: no training rows");
    const char *why_not = hpo__lazy_lib_load(&liblinear_lib);
    if (why_not)
        return hpo__fail(m, HPO_EFAIL, "linear: %s", why_not);
    struct parameter param;
    int rc = read_params(in, &param, m);
    if (rc != HPO_OK)
        return rc;
    linear_fit *f = calloc(1, sizeof *f);
    if (!f)
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    f->data = in->prepared;
    if (!f->data) {
        rc = linear_prepare(in, (void **)&f->own, m);
        f->data = f->own;
    }
    if (rc == HPO_OK) {
        const char *why = liblinear.check_parameter(&f->data->prob, &param);
        if (why)
            rc = hpo__fail(m, HPO_EINVAL, "linear: %s", why);
    }
    if (rc == HPO_OK) {
        pthread_once(&quiet_once, make_liblinear_quiet);
        hpo__learner_seed_rand();
        f->model = liblinear.train(&f->data->prob, &param);
        if (!f->model)
            rc = hpo__fail(m, HPO_ENOMEM, "linear: training failed");
    }
    if (rc != HPO_OK) {
        linear_fit_free(f);
        return rc;
    }
    *model = f;
    return HPO_OK;
}

static void class_scores(const struct model *mod, const hpo__dataset *d,
                         const struct feature_node *x, double *out)
{
    int k = mod->nr_class;
    double dec[k > 2 ? k : 1];
    liblinear.predict_values(mod, x, dec);
    for (int c = 0; c < d->n_classes; c++)
        out[c] = -HUGE_VAL;
    if (k == 2) {
        /* One weight vector: positive decision values mean label[0]. */
        hpo__set_class_column(out, d, mod->label[0], dec[0]);
        hpo__set_class_column(out, d, mod->label[1], -dec[0]);
        return;
    }
    for (int i = 0; i < k; i++)
        hpo__set_class_column(out, d, mod->label[i], dec[i]);
}

static int linear_predict_rows(void *model, const hpo__dataset *d,
                               const int *rows, int n, hpo__output output,
                               double *out, hpo__msg *m)
{
    linear_fit *f = model;
    if (output == HPO__OUTPUT_PROBA &&
        !liblinear.check_probability_model(f->model))
        return hpo__fail(m, HPO_EINVAL, "linear: probabilities (log-loss) "
                         "need a logistic solver (l2_lr or l1_lr)");
    int width = hpo__output_width(output, d), k = f->model->nr_class;
    double prob[k];
    struct feature_node *nodes = malloc((size_t)(d->n_features + 2) *
                                        sizeof *nodes);
    if (!nodes)
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    const hpo__scaler *s = f->data->scaled ? &f->data->scaler : NULL;
    for (int i = 0; i < n; i++) {
        to_nodes(s, d, rows[i], nodes);
        double *o = out + (size_t)i * width;
        if (output == HPO__OUTPUT_SCORE) {
            class_scores(f->model, d, nodes, o);
        } else if (output == HPO__OUTPUT_PROBA) {
            liblinear.predict_probability(f->model, nodes, prob);
            for (int c = 0; c < d->n_classes; c++)
                o[c] = 0;
            for (int j = 0; j < k; j++)
                hpo__set_class_column(o, d, f->model->label[j], prob[j]);
        } else {
            o[0] = liblinear.predict(f->model, nodes);
        }
    }
    free(nodes);
    return HPO_OK;
}

const hpo__learner_type hpo__learner_linear = {
    .version = HPO__LEARNER_VERSION,
    .name = "linear",
    .summary = "liblinear: L2/L1-regularized logistic regression, linear "
               "SVM",
    .tasks = CLASSIFY,
    .n_params = (int)(sizeof linear_params / sizeof linear_params[0]),
    .params = linear_params,
    .fidelity = NULL,
    .fit = linear_fit_rows,
    .predict = linear_predict_rows,
    .free_model = linear_fit_free,
    .prepare = linear_prepare,
    .free_prepared = linear_free_prepared,
};
