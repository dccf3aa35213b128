/*
 * svm.c — support vector machines through libsvm's C API.
 *
 * Classification is C-SVC (Cortes & Vapnik 1995) and regression ε-SVR
 * (Vapnik 1995; Smola & Schölkopf 2004), both solved by libsvm (Chang &
 * Lin, "LIBSVM: a library for support vector machines", ACM TIST 2011),
 * with the rbf, linear, poly and sigmoid kernels.  The default search space
 * is the practical guide's (Hsu, Chang & Lin 2003): C = 2^a, a in [-5, 15],
 * gamma = 2^b, b in [-15, 3].
 *
 * Deliberate differences from running svm-train on a file:
 *   1. Features are standardized (z-scores) from the training rows of each
 *      fit, unless no_standardize is set; libsvm itself never scales.
 *   2. For regression the target is standardized the same way, so that C
 *      and epsilon mean the same on every data set (predictions are mapped
 *      back); with no_standardize the target is used as it is.
 *   3. The probability model (Platt scaling fit by libsvm's internal 5-fold
 *      CV) is trained only when probabilities are asked for (log-loss);
 *      AUC ranks the decision values, which need no extra training.  rand()
 *      is reseeded before such a fit so that its inner folds, and hence the
 *      score, are reproducible.
 * With no_standardize and labels passed unchanged, a fit on rows in a given
 * order is exactly svm_train on that problem: tests/test_learners.c checks
 * hpo's cross-validation against libsvm's own svm_cross_validation.
 */
#include <libsvm/svm.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "learner.h"
#include "sparse_rows.h"
#include "../core/lazy_lib.h"

/* libsvm is opened at the first fit (lazy_lib.h): it brings libstdc++,
 * which runs of hpo that fit no SVM need not start. */
#define SVM_FUNCTIONS(X, t)                                                   \
    X(t, svm_set_print_string_function) X(t, svm_free_and_destroy_model)      \
    X(t, svm_check_parameter) X(t, svm_train) X(t, svm_predict_values)        \
    X(t, svm_predict_probability) X(t, svm_check_probability_model)           \
    X(t, svm_predict)
HPO__LAZY_LIBRARY(libsvm, SVM_FUNCTIONS, HPO_SONAME_SVM, "libsvm3");

static const char *const kernels[] = {"rbf", "linear", "poly", "sigmoid",
                                      NULL};
static const int kernel_types[] = {RBF, LINEAR, POLY, SIGMOID};

static const hpo__learner_param svm_params[] = {
    {"kernel", "cat:rbf,linear,poly,sigmoid", 0, "rbf", HPO__TASKS_ALL,
     "kernel function"},
    {"C", "float:0.03125:32768:log", 1, "1", HPO__TASKS_ALL,
     "cost of a margin violation (2^-5 .. 2^15)"},
    {"gamma", "float:3.0517578125e-05:8:log", 1, "1/n_features",
     HPO__TASKS_ALL, "rbf/poly/sigmoid kernel width (2^-15 .. 2^3)"},
    {"degree", "int:2:5", 0, "3", HPO__TASKS_ALL, "poly kernel degree"},
    {"coef0", "float:0:1", 0, "0", HPO__TASKS_ALL,
     "poly/sigmoid kernel offset"},
    {"epsilon", "float:0.001:1:log", 1, "0.1",
     HPO__TASK_BIT(HPO__REGRESSION),
     "width of the insensitive tube (in target standard deviations)"},
    {"tol", "float:1e-5:0.1:log", 0, "0.001", HPO__TASKS_ALL,
     "solver stopping tolerance"},
};

/* What a fit needs that does not depend on the hyperparameters: the
 * training rows, scaled, as an svm_problem, and the eval rows, scaled, as
 * nodes.  hpo__evaluate with a cache prepares it once per split and shares
 * it between trials (libsvm reads the problem and never writes it); a
 * model's support vectors point into its nodes, so it outlives the models
 * trained on it. */
typedef struct svm_data {
    hpo__scaler scaler;  /* fit on the training rows ... */
    int scaled;          /* ... unless no_standardize */
    int regression;
    double y_mean, y_sd; /* target scaling (regression) */
    struct svm_problem prob;
    struct svm_node *nodes;
    const int *eval_rows; /* compared by address in predict, never read */
    int n_eval;
    struct svm_node **eval_x;
    struct svm_node *eval_nodes;
} svm_data;

typedef struct svm_fit {
    struct svm_model *model;
    const svm_data *data; /* what it was trained on */
    svm_data *own;        /* the same, when fit prepared it (no cache) */
} svm_fit;

static void print_nothing(const char *s)
{
    (void)s;
}

static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;

static void make_libsvm_quiet(void)
{
    libsvm.svm_set_print_string_function(print_nothing);
}

static void svm_free_prepared(void *prepared)
{
    svm_data *p = prepared;
    if (!p)
        return;
    free(p->nodes);
    free(p->prob.x);
    free(p->prob.y);
    free(p->eval_nodes);
    free(p->eval_x);
    hpo__scaler_free(&p->scaler);
    free(p);
}

static void svm_fit_free(void *model)
{
    svm_fit *f = model;
    if (!f)
        return;
    if (f->model)
        libsvm.svm_free_and_destroy_model(&f->model);
    svm_free_prepared(f->own);
    free(f);
}

/* Row r of d, scaled by s (NULL: as it is), as libsvm's sparse nodes
 * (1-based indices, zeros left out: libsvm treats an absent feature as 0,
 * so the kernel values are the same bit for bit), closed by index -1.
 * Returns the node count written. */
static int to_nodes(const hpo__scaler *s, const hpo__dataset *d, int r,
                    struct svm_node *out)
{
    hpo__nonzero_walk w = hpo__nonzero_start(s, d, r);
    int k = 0;
    for (; hpo__nonzero_next(&w); k++) {
        out[k].index = w.index;
        out[k].value = w.value;
    }
    out[k].index = -1;
    out[k].value = 0;
    return k + 1;
}

static int read_params(const hpo__fit_input *in, struct svm_parameter *p,
                       hpo__msg *m)
{
    const hpo__learner_type *t = &hpo__learner_svm;
    const hpo__hparams *hp = in->params;
    int kernel, rc;
    double gamma;
    memset(p, 0, sizeof *p);
    if ((rc = hpo__learner_choice(t, hp, "kernel", kernels, &kernel, m)) ||
        (rc = hpo__learner_number(t, hp, "C", &p->C, m)) ||
        (rc = hpo__learner_number(t, hp, "gamma", &gamma, m)) ||
        (rc = hpo__learner_int(t, hp, "degree", &p->degree, m)) ||
        (rc = hpo__learner_number(t, hp, "coef0", &p->coef0, m)) ||
        (rc = hpo__learner_number(t, hp, "tol", &p->eps, m)))
        return rc;
    p->kernel_type = kernel_types[kernel];
    p->gamma = isnan(gamma) ? 1.0 / in->d->n_features : gamma;
    p->cache_size = 100;
    p->shrinking = 1;
    if (hpo__data_task(in->d) == HPO__REGRESSION) {
        p->svm_type = EPSILON_SVR;
        if ((rc = hpo__learner_number(t, hp, "epsilon", &p->p, m)))
            return rc;
    } else {
        p->svm_type = C_SVC;
        p->probability = in->output == HPO__OUTPUT_PROBA;
    }
    if (!(p->C > 0) || !(p->gamma > 0) || !(p->eps > 0) || p->p < 0 ||
        p->degree < 0)
        return hpo__fail(m, HPO_EINVAL, "svm: C, gamma and tol must be > 0, "
                         "epsilon and degree >= 0");
    return HPO_OK;
}

/* Regression targets: their mean and sd over the training rows. */
static void fit_target_scale(svm_data *p, const hpo__fit_input *in)
{
    p->y_mean = 0;
    p->y_sd = 1;
    if (!p->regression || in->no_standardize)
        return;
    double sum = 0, sq = 0;
    for (int i = 0; i < in->n_rows; i++)
        sum += in->d->y[in->rows[i]];
    p->y_mean = sum / in->n_rows;
    for (int i = 0; i < in->n_rows; i++) {
        double dev = in->d->y[in->rows[i]] - p->y_mean;
        sq += dev * dev;
    }
    double sd = sqrt(sq / in->n_rows);
    p->y_sd = sd > 0 ? sd : 1;
}

/* Rows of d, scaled, as node lists: (*x)[i] points into *store. */
static int rows_to_nodes(const svm_data *p, const hpo__dataset *d,
                         const int *rows, int n, struct svm_node **store,
                         struct svm_node ***x, hpo__msg *m)
{
    *store = malloc(((size_t)n * (d->n_features + 1) + 1) * sizeof **store);
    *x = malloc(((size_t)n + 1) * sizeof **x);
    if (!*store || !*x)
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    const hpo__scaler *s = p->scaled ? &p->scaler : NULL;
    size_t used = 0;
    for (int i = 0; i < n; i++) {
        (*x)[i] = *store + used;
        used += (size_t)to_nodes(s, d, rows[i], (*x)[i]);
    }
    return HPO_OK;
}

/* The training rows as an svm_problem, in the order given, and the eval
 * rows as nodes. */
static int build_problem(svm_data *p, const hpo__fit_input *in, hpo__msg *m)
{
    const hpo__dataset *d = in->d;
    int n = in->n_rows;
    int rc = rows_to_nodes(p, d, in->rows, n, &p->nodes, &p->prob.x, m);
    if (rc == HPO_OK && in->eval_rows && in->n_eval > 0) {
        rc = rows_to_nodes(p, d, in->eval_rows, in->n_eval, &p->eval_nodes,
                           &p->eval_x, m);
        p->eval_rows = in->eval_rows;
        p->n_eval = in->n_eval;
    }
    p->prob.y = malloc((size_t)n * sizeof *p->prob.y);
    if (rc != HPO_OK || !p->prob.y)
        return rc != HPO_OK ? rc : hpo__fail(m, HPO_ENOMEM, "out of memory");
    for (int i = 0; i < n; i++) {
        double y = d->y[in->rows[i]];
        p->prob.y[i] = p->regression ? (y - p->y_mean) / p->y_sd : y;
    }
    p->prob.l = n;
    return HPO_OK;
}

static int svm_prepare(const hpo__fit_input *in, void **prepared,
                       hpo__msg *m)
{
    *prepared = NULL;
    svm_data *p = calloc(1, sizeof *p);
    if (!p)
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    p->regression = hpo__data_task(in->d) == HPO__REGRESSION;
    p->scaled = !in->no_standardize;
    fit_target_scale(p, in);
    int rc = HPO_OK;
    if (p->scaled)
        rc = hpo__scaler_fit(&p->scaler, in->d, in->rows, in->n_rows, m);
    if (rc == HPO_OK)
        rc = build_problem(p, in, m);
    if (rc != HPO_OK) {
        svm_free_prepared(p);
        return rc;
    }
    *prepared = p;
    return HPO_OK;
}

static int svm_fit_rows(const hpo__fit_input *in, void **model, hpo__msg *m)
{
    *model = NULL;
    if (in->n_rows < 1)
        return hpo__fail(m, HPO_EINVAL, "svm: no training rows");
    const char *why_not = hpo__lazy_lib_load(&libsvm_lib);
    if (why_not)
        return hpo__fail(m, HPO_EFAIL, "svm: %s", why_not);
    struct svm_parameter param;
    int rc = read_params(in, &param, m);
    if (rc != HPO_OK)
        return rc;
    svm_fit *f = calloc(1, sizeof *f);
    if (!f)
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    f->data = in->prepared;
    if (!f->data) {
        rc = svm_prepare(in, (void **)&f->own, m);
        f->data = f->own;
    }
    if (rc == HPO_OK) {
        const char *why = libsvm.svm_check_parameter(&f->data->prob, &param);
        if (why)
            rc = hpo__fail(m, HPO_EINVAL, "svm: %s", why);
    }
    if (rc != HPO_OK) {
        svm_fit_free(f);
        return rc;
    }
    pthread_once(&quiet_once, make_libsvm_quiet);
    if (param.probability)
        hpo__learner_seed_rand();
    f->model = libsvm.svm_train(&f->data->prob, &param);
    if (!f->model) {
        svm_fit_free(f);
        return hpo__fail(m, HPO_ENOMEM, "svm: training failed (out of "
                         "memory)");
    }
    *model = f;
    return HPO_OK;
}

/* Scores for ranking (AUC): the binary decision value for the model's
 * first class and its negation for the second.  With more classes, the
 * one-vs-one votes plus the summed decision values squeezed into
 * (-1/3, 1/3), which breaks ties between equal votes without overturning a
 * vote (scikit-learn's one-vs-rest shape of SVC's decision function).
 * Classes the model never saw score -inf. */
static void class_scores(const svm_fit *f, const hpo__dataset *d,
                         const struct svm_node *x, double *out)
{
    const struct svm_model *mod = f->model;
    int k = mod->nr_class;
    double dec[k * (k - 1) / 2 + 1];
    libsvm.svm_predict_values(mod, x, dec);
    for (int c = 0; c < d->n_classes; c++)
        out[c] = -HUGE_VAL;
    if (k == 2) {
        hpo__set_class_column(out, d, mod->label[0], dec[0]);
        hpo__set_class_column(out, d, mod->label[1], -dec[0]);
        return;
    }
    double votes[k], confidence[k];
    for (int i = 0; i < k; i++)
        votes[i] = confidence[i] = 0;
    int pos = 0;
    for (int i = 0; i < k; i++)
        for (int j = i + 1; j < k; j++, pos++) {
            votes[dec[pos] > 0 ? i : j] += 1;
            confidence[i] += dec[pos];
            confidence[j] -= dec[pos];
        }
    for (int i = 0; i < k; i++)
        hpo__set_class_column(out, d, mod->label[i],
                  votes[i] + confidence[i] / (3 * (fabs(confidence[i]) + 1)));
}

static void class_probabilities(const svm_fit *f, const hpo__dataset *d,
                                const struct svm_node *x, double *out)
{
    const struct svm_model *mod = f->model;
    double p[mod->nr_class];
    libsvm.svm_predict_probability(mod, x, p);
    for (int c = 0; c < d->n_classes; c++)
        out[c] = 0;
    for (int i = 0; i < mod->nr_class; i++)
        hpo__set_class_column(out, d, mod->label[i], p[i]);
}

static int svm_predict_rows(void *model, const hpo__dataset *d,
                            const int *rows, int n, hpo__output output,
                            double *out, hpo__msg *m)
{
    svm_fit *f = model;
    const svm_data *p = f->data;
    int classify = !p->regression;
    if ((output == HPO__OUTPUT_PROBA || output == HPO__OUTPUT_SCORE) &&
        !classify)
        return hpo__fail(m, HPO_EINVAL, "svm: a regression model has no "
                         "class probabilities or scores");
    if (output == HPO__OUTPUT_PROBA &&
        !libsvm.svm_check_probability_model(f->model))
        return hpo__fail(m, HPO_EMISUSE, "svm: probabilities were not asked "
                         "for when the model was fit");
    int width = hpo__output_width(output, d);
    int prepared = p->eval_x && rows == p->eval_rows && n == p->n_eval;
    struct svm_node *row = malloc((size_t)(d->n_features + 1) * sizeof *row);
    if (!row)
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    const hpo__scaler *s = p->scaled ? &p->scaler : NULL;
    for (int i = 0; i < n; i++) {
        const struct svm_node *nodes = row;
        if (prepared)
            nodes = p->eval_x[i];
        else
            to_nodes(s, d, rows[i], row);
        double *o = out + (size_t)i * width;
        if (output == HPO__OUTPUT_SCORE)
            class_scores(f, d, nodes, o);
        else if (output == HPO__OUTPUT_PROBA)
            class_probabilities(f, d, nodes, o);
        else if (classify)
            o[0] = libsvm.svm_predict(f->model, nodes);
        else
            o[0] = libsvm.svm_predict(f->model, nodes) * p->y_sd + p->y_mean;
    }
    free(row);
    return HPO_OK;
}

const hpo__learner_type hpo__learner_svm = {
    .version = HPO__LEARNER_VERSION,
    .name = "svm",
    .summary = "libsvm: C-SVC (rbf, linear, poly, sigmoid kernels); "
               "epsilon-SVR for regression",
    .tasks = HPO__TASKS_ALL,
    .n_params = (int)(sizeof svm_params / sizeof svm_params[0]),
    .params = svm_params,
    .fidelity = NULL,
    .fit = svm_fit_rows,
    .predict = svm_predict_rows,
    .free_model = svm_fit_free,
    .prepare = svm_prepare,
    .free_prepared = svm_free_prepared,
};
