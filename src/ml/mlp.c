/*
 * mlp.c — the learner `mlp`: hpo's own multilayer perceptron (mlp_net.c)
 * trained by mini-batch SGD with momentum and weight decay (mlp_sgd.c),
 * the mlp_digits problem of BENCHMARKS.md.
 *
 * Epochs are the fidelity: fit_start standardizes the training rows (and
 * the eval rows, kept for predict) and draws the initial weights, each
 * fit_step trains one epoch, so hpo__evaluate reports the validation score
 * after every epoch and a pruner (or Hyperband) stops poor configurations
 * early.  Models can be saved and resumed (mlp_checkpoint.c): `hpo learn
 * mlp --checkpoint-in F --checkpoint-out G` and population-based training.
 *
 * Classification (softmax, cross-entropy) and regression (one linear
 * output, squared loss on the target standardized over the training rows;
 * predictions are mapped back) are both supported.
 *
 * A diverged model (a loss that is not finite: the learning rate was too
 * large) stops training and predicts what a model that learned nothing
 * would: the majority class of its training rows with uniform class
 * probabilities, or the training mean.  Its score is therefore finite and
 * bad, which tells a sampler more than a failed trial would, and no NaN
 * reaches a study.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "learner.h"
#include "mlp.h"

static const hpo__learner_param mlp_params[] = {
    {"lr", "float:0.0001:1:log", 1, "0.01", HPO__TASKS_ALL,
     "SGD learning rate"},
    {"momentum", "float:0:0.99", 1, "0.9", HPO__TASKS_ALL,
     "heavy-ball momentum"},
    {"weight_decay", "float:1e-06:0.01:log", 1, "0.0001", HPO__TASKS_ALL,
     "L2 penalty on the weights (not the biases)"},
    {"hidden", "int:16:256", 1, "64", HPO__TASKS_ALL,
     "units in each hidden layer"},
    {"layers", "int:1:2", 0, "1", HPO__TASKS_ALL, "hidden layers (1 or 2)"},
    {"batch_size", "int:8:256:log", 0, "32", HPO__TASKS_ALL,
     "rows per mini-batch"},
    {"epochs", "int:1:81", 0, "81", HPO__TASKS_ALL,
     "passes over the training rows (the fidelity: reported epoch by "
     "epoch)"},
    {"init_seed", "int:0:1000000", 0, "0", HPO__TASKS_ALL,
     "seeds the initial weights and the shuffling"},
};

typedef struct mlp_fit {
    hpo__mlp *t;
    double *x, *y; /* the training rows, scaled; class index or scaled y */
    int n;
    int epochs;    /* what fit trains */
    const int *eval_rows; /* compared by address in predict, never read */
    int n_eval;
    double *eval_x; /* the eval rows, scaled */
    char note[160]; /* mlp_note's text */
} mlp_fit;

static void mlp_fit_free(void *model)
{
    mlp_fit *f = model;
    if (!f)
        return;
    hpo__mlp_free(f->t);
    free(f->x);
    free(f->y);
    free(f->eval_x);
    free(f);
}

static int regression_of(const hpo__dataset *d)
{
    return hpo__data_task(d) == HPO__REGRESSION;
}

/* ---- hyperparameters ----------------------------------------------------- */

static int read_shape(const hpo__fit_input *in, hpo__mlp_shape *s,
                      hpo__msg *m)
{
    const hpo__learner_type *t = &hpo__learner_mlp;
    int rc;
    memset(s, 0, sizeof *s);
    if ((rc = hpo__learner_int(t, in->params, "hidden", &s->n_hidden, m)) ||
        (rc = hpo__learner_int(t, in->params, "layers", &s->n_layers, m)))
        return rc;
    s->n_in = in->d->n_features;
    s->regression = regression_of(in->d);
    s->n_out = s->regression ? 1 : in->d->n_classes;
    return hpo__mlp_shape_check(s, m);
}

/* A number given in in->params, else *v as it is (keep: a resumed run's
 * saved value) or the learner's default (keep == 0). */
static int read_number(const hpo__fit_input *in, const char *name, int keep,
                       double *v, hpo__msg *m)
{
    if (keep && !hpo__hparams_find(in->params, name))
        return HPO_OK;
    return hpo__learner_number(&hpo__learner_mlp, in->params, name, v, m);
}

static int read_opt(const hpo__fit_input *in, int keep, hpo__mlp_opt *o,
                    hpo__msg *m)
{
    double batch = o->batch_size;
    int rc;
    if ((rc = read_number(in, "lr", keep, &o->lr, m)) ||
        (rc = read_number(in, "momentum", keep, &o->momentum, m)) ||
        (rc = read_number(in, "weight_decay", keep, &o->weight_decay, m)) ||
        (rc = read_number(in, "batch_size", keep, &batch, m)))
        return rc;
    if (!(batch >= 1 && batch <= 1e9 && batch == floor(batch)))
        return hpo__fail(m, HPO_EINVAL, "batch_size: %g is not a whole "
                         "number >= 1", batch);
    o->batch_size = (int)batch;
    return hpo__mlp_opt_check(o, m);
}

/* ---- data ------------------------------------------------------------------ */

/* The target statistics a fresh state needs: the regression target's mean
 * and sd, or the majority class. */
static void fit_targets(hpo__mlp *t, const hpo__fit_input *in)
{
    const hpo__dataset *d = in->d;
    if (t->shape.regression) {
        double sum = 0, sq = 0;
        for (int i = 0; i < in->n_rows; i++)
            sum += d->y[in->rows[i]];
        t->y_mean = sum / in->n_rows;
        for (int i = 0; i < in->n_rows; i++) {
            double dev = d->y[in->rows[i]] - t->y_mean;
            sq += dev * dev;
        }
        double sd = sqrt(sq / in->n_rows);
        t->y_sd = in->no_standardize || !(sd > 0) ? 1 : sd;
        if (in->no_standardize)
            t->y_mean = 0;
        return;
    }
    int *count = calloc((size_t)d->n_classes, sizeof *count);
    t->majority = 0;
    for (int i = 0; count && i < in->n_rows; i++)
        count[d->class_of[in->rows[i]]]++;
    for (int c = 1; count && c < d->n_classes; c++)
        if (count[c] > count[t->majority])
            t->majority = c;
    free(count);
}

/* The training rows scaled by the state's scaler, their targets, and the
 * eval rows scaled. */
static int make_rows(mlp_fit *f, const hpo__fit_input *in, hpo__msg *m)
{
    hpo__mlp *t = f->t;
    const hpo__dataset *d = in->d;
    f->n = in->n_rows;
    int rc = hpo__scaler_apply(&t->scaler, d, in->rows, in->n_rows, &f->x, m);
    if (rc == HPO_OK && in->eval_rows && in->n_eval > 0) {
        rc = hpo__scaler_apply(&t->scaler, d, in->eval_rows, in->n_eval,
                               &f->eval_x, m);
        f->eval_rows = in->eval_rows;
        f->n_eval = in->n_eval;
    }
    if (rc != HPO_OK)
        return rc;
    if (!(f->y = malloc((size_t)in->n_rows * sizeof *f->y)))
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    for (int i = 0; i < in->n_rows; i++) {
        int r = in->rows[i];
        f->y[i] = t->shape.regression ? (d->y[r] - t->y_mean) / t->y_sd
                                      : d->class_of[r];
    }
    return HPO_OK;
}

/* ---- fitting ---------------------------------------------------------------- */

static int new_fit(const hpo__fit_input *in, mlp_fit **out, hpo__msg *m)
{
    *out = calloc(1, sizeof **out);
    if (!*out)
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    return hpo__learner_int(&hpo__learner_mlp, in->params, "epochs",
                            &(*out)->epochs, m);
}

static int mlp_fit_start(const hpo__fit_input *in, void **model, hpo__msg *m)
{
    *model = NULL;
    hpo__mlp_shape shape;
    hpo__mlp_opt opt = {0};
    int seed;
    mlp_fit *f = NULL;
    int rc = new_fit(in, &f, m);
    if (rc == HPO_OK && (rc = read_shape(in, &shape, m)) == HPO_OK &&
        (rc = read_opt(in, 0, &opt, m)) == HPO_OK &&
        (rc = hpo__learner_int(&hpo__learner_mlp, in->params, "init_seed",
                               &seed, m)) == HPO_OK)
        rc = hpo__mlp_new(&f->t, &shape, &opt, (uint64_t)seed, m);
    /* no_standardize keeps hpo__mlp_new's identity scaler. */
    if (rc == HPO_OK && !in->no_standardize) {
        hpo__scaler_free(&f->t->scaler);
        rc = hpo__scaler_fit(&f->t->scaler, in->d, in->rows, in->n_rows, m);
    }
    if (rc == HPO_OK) {
        fit_targets(f->t, in);
        rc = make_rows(f, in, m);
    }
    if (rc != HPO_OK) {
        mlp_fit_free(f);
        return rc;
    }
    *model = f;
    return HPO_OK;
}

/* A hidden or layers value given now must be the checkpoint's: the
 * architecture of a trained network cannot change. */
static int check_same_shape(const hpo__fit_input *in, const hpo__mlp *t,
                            const char *path, hpo__msg *m)
{
    const hpo__hparam *h = hpo__hparams_find(in->params, "hidden");
    const hpo__hparam *l = hpo__hparams_find(in->params, "layers");
    int regression = regression_of(in->d);
    int n_out = regression ? 1 : in->d->n_classes;
    if ((h && h->value != t->shape.n_hidden) ||
        (l && l->value != t->shape.n_layers))
        return hpo__fail(m, HPO_EINVAL, "%s: the checkpoint has %d hidden "
                         "layer(s) of %d units; hidden and layers cannot "
                         "change", path, t->shape.n_layers,
                         t->shape.n_hidden);
    if (t->shape.n_in != in->d->n_features || t->shape.n_out != n_out ||
        t->shape.regression != regression)
        return hpo__fail(m, HPO_EINVAL, "%s: the checkpoint is for %d "
                         "features and %d outputs, the data has %d and %d",
                         path, t->shape.n_in, t->shape.n_out,
                         in->d->n_features, n_out);
    return HPO_OK;
}

static int mlp_fit_resume(const hpo__fit_input *in, const char *path,
                          void **model, int *steps_done, hpo__msg *m)
{
    *model = NULL;
    mlp_fit *f = NULL;
    int rc = new_fit(in, &f, m);
    if (rc == HPO_OK)
        rc = hpo__mlp_load(path, &f->t, m);
    if (rc == HPO_OK)
        rc = check_same_shape(in, f->t, path, m);
    if (rc == HPO_OK)
        rc = read_opt(in, 1, &f->t->opt, m);
    if (rc == HPO_OK)
        rc = make_rows(f, in, m);
    if (rc != HPO_OK) {
        mlp_fit_free(f);
        return rc;
    }
    *steps_done = f->t->epoch;
    *model = f;
    return HPO_OK;
}

static int mlp_fit_step(void *model, hpo__msg *m)
{
    mlp_fit *f = model;
    return hpo__mlp_train_epoch(f->t, f->x, f->y, f->n, m);
}

static int mlp_fit_rows(const hpo__fit_input *in, void **model, hpo__msg *m)
{
    int rc = mlp_fit_start(in, model, m);
    mlp_fit *f = *model;
    for (int e = 0; rc == HPO_OK && e < f->epochs; e++)
        rc = mlp_fit_step(f, m);
    if (rc != HPO_OK && f) {
        mlp_fit_free(f);
        *model = NULL;
    }
    return rc;
}

static const char *mlp_note(void *model)
{
    mlp_fit *f = model;
    if (!f->t->diverged_at)
        return NULL;
    snprintf(f->note, sizeof f->note, "diverged at epoch %d (the loss is "
             "not finite: lr too large); scored as predicting %s",
             f->t->diverged_at, f->t->shape.regression ? "the mean"
                                                       : "the majority class");
    return f->note;
}

static int mlp_save(void *model, const char *path, hpo__msg *m)
{
    return hpo__mlp_save(((mlp_fit *)model)->t, path, m);
}

/* ---- predicting -------------------------------------------------------------- */

/* What a model that learned nothing predicts (a diverged one). */
static void predict_nothing(const hpo__mlp *t, const hpo__dataset *d, int n,
                            hpo__output output, double *out)
{
    int k = hpo__output_width(output, d);
    for (int i = 0; i < n; i++)
        for (int c = 0; c < k; c++)
            out[(size_t)i * k + c] =
                output == HPO__OUTPUT_VALUE ? t->y_mean
                : output == HPO__OUTPUT_LABEL ? d->classes[t->majority]
                                              : 1.0 / k;
}

/* The network's outputs (probabilities or scaled values) as asked. */
static void convert(const hpo__mlp *t, const hpo__dataset *d,
                    const double *p, int n, hpo__output output, double *out)
{
    int k = t->shape.n_out;
    for (int i = 0; i < n; i++) {
        const double *r = p + (size_t)i * k;
        if (t->shape.regression) {
            out[i] = r[0] * t->y_sd + t->y_mean;
        } else if (output == HPO__OUTPUT_LABEL) {
            int best = 0;
            for (int c = 1; c < k; c++)
                best = r[c] > r[best] ? c : best;
            out[i] = d->classes[best];
        } else {
            memcpy(out + (size_t)i * k, r, (size_t)k * sizeof *out);
        }
    }
}

static int mlp_predict_rows(void *model, const hpo__dataset *d,
                            const int *rows, int n, hpo__output output,
                            double *out, hpo__msg *m)
{
    mlp_fit *f = model;
    hpo__mlp *t = f->t;
    if (t->shape.regression != (output == HPO__OUTPUT_VALUE))
        return hpo__fail(m, HPO_EINVAL, "mlp: a %s model cannot predict %s",
                         t->shape.regression ? "regression"
                                             : "classification",
                         t->shape.regression ? "classes" : "values");
    if (n == 0)
        return HPO_OK;
    if (t->diverged_at) {
        predict_nothing(t, d, n, output, out);
        return HPO_OK;
    }
    int cached = f->eval_x && rows == f->eval_rows && n == f->n_eval;
    double *x = cached ? f->eval_x : NULL;
    double *p = malloc((size_t)n * t->shape.n_out * sizeof *p);
    int rc = p ? HPO_OK : hpo__fail(m, HPO_ENOMEM, "out of memory");
    if (rc == HPO_OK && !cached)
        rc = hpo__scaler_apply(&t->scaler, d, rows, n, &x, m);
    if (rc == HPO_OK)
        rc = hpo__mlp_predict(t, x, n, p, m);
    if (rc == HPO_OK)
        convert(t, d, p, n, output, out);
    if (!cached)
        free(x);
    free(p);
    return rc;
}

const hpo__learner_type hpo__learner_mlp = {
    .version = HPO__LEARNER_VERSION,
    .name = "mlp",
    .summary = "multilayer perceptron (ReLU) trained by SGD with momentum; "
               "epochs as the fidelity",
    .tasks = HPO__TASKS_ALL,
    .n_params = (int)(sizeof mlp_params / sizeof mlp_params[0]),
    .params = mlp_params,
    .fidelity = "epochs",
    .fit = mlp_fit_rows,
    .fit_start = mlp_fit_start,
    .fit_step = mlp_fit_step,
    .predict = mlp_predict_rows,
    .free_model = mlp_fit_free,
    .step_name = "epoch",
    .save = mlp_save,
    .fit_resume = mlp_fit_resume,
    .note = mlp_note,
};
