/* test_mlp_train.c — training the mlp (src/ml/mlp_sgd.c) and the learner
 * (src/ml/mlp.c): a tiny separable data set is learned to 100% training
 * accuracy; the same seed gives the same weights bit for bit, another
 * seed others; a learning rate far too large ends training as "diverged
 * at epoch E" and the model then scores as one that learned nothing,
 * never NaN; the learner reports every epoch to hpo__evaluate, refuses a
 * bad hyperparameter, and does regression. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ml/mlp.h"

enum { PER_CLASS = 20, CLASSES = 3, N = PER_CLASS * CLASSES };

/* Three blobs in 2-D around (0,0), (4,0), (0,4), sd 0.5: separable. */
static void blobs(double *x, double *y)
{
    hpo__rng rng;
    hpo__rng_seed(&rng, 1);
    static const double cx[CLASSES] = {0, 4, 0}, cy[CLASSES] = {0, 0, 4};
    for (int i = 0; i < N; i++) {
        int c = i % CLASSES;
        x[2 * i] = cx[c] + 0.5 * hpo__rng_normal(&rng) - 1.3;
        x[2 * i + 1] = cy[c] + 0.5 * hpo__rng_normal(&rng) - 1.3;
        y[i] = c;
    }
}

static hpo__mlp *train(uint64_t seed, double lr, int epochs,
                       const double *x, const double *y)
{
    hpo__mlp_shape s = {.n_in = 2, .n_hidden = 16, .n_layers = 1,
                        .n_out = CLASSES};
    hpo__mlp_opt o = {.lr = lr, .momentum = 0.9, .weight_decay = 1e-4,
                      .batch_size = 8};
    hpo__mlp *t = NULL;
    hpo__msg m = {0};
    CHECK_RC(hpo__mlp_new(&t, &s, &o, seed, &m), HPO_OK);
    for (int e = 0; t && e < epochs; e++)
        CHECK_RC(hpo__mlp_train_epoch(t, x, y, N, &m), HPO_OK);
    hpo__msg_free(&m);
    return t;
}

static void test_separable_reaches_full_accuracy(void)
{
    double x[2 * N], y[N], p[N * CLASSES];
    blobs(x, y);
    hpo__mlp *t = train(0, 0.05, 60, x, y);
    hpo__msg m = {0};
    CHECK_RC(hpo__mlp_predict(t, x, N, p, &m), HPO_OK);
    int right = 0;
    for (int i = 0; i < N; i++) {
        int best = 0;
        for (int c = 1; c < CLASSES; c++)
            best = p[i * CLASSES + c] > p[i * CLASSES + best] ? c : best;
        right += best == (int)y[i];
    }
    CHECK(right == N);
    CHECK(t->epoch == 60 && t->diverged_at == 0);
    CHECK(t->last_loss < 0.05);
    hpo__mlp_free(t);
}

static void test_same_seed_same_weights(void)
{
    double x[2 * N], y[N];
    blobs(x, y);
    hpo__mlp *a = train(5, 0.05, 4, x, y), *b = train(5, 0.05, 4, x, y);
    hpo__mlp *c = train(6, 0.05, 4, x, y);
    size_t bytes = a->layout.n_params * sizeof(double);
    CHECK(memcmp(a->theta, b->theta, bytes) == 0);
    CHECK(memcmp(a->velocity, b->velocity, bytes) == 0);
    CHECK(memcmp(a->theta, c->theta, bytes) != 0);
    hpo__mlp_free(a);
    hpo__mlp_free(b);
    hpo__mlp_free(c);
}

/* lr = 1e6 with squared loss: the weights overflow within an epoch. */
static void test_divergence_is_recorded(void)
{
    hpo__mlp_shape s = {.n_in = 2, .n_hidden = 8, .n_layers = 2, .n_out = 1,
                        .regression = 1};
    hpo__mlp_opt o = {.lr = 1e6, .momentum = 0.9, .batch_size = 4};
    double x[2 * N], y[N], p[N];
    blobs(x, y);
    hpo__mlp *t = NULL;
    hpo__msg m = {0};
    CHECK_RC(hpo__mlp_new(&t, &s, &o, 0, &m), HPO_OK);
    for (int e = 0; e < 5; e++)
        CHECK_RC(hpo__mlp_train_epoch(t, x, y, N, &m), HPO_OK);
    CHECK(t->diverged_at >= 1 && t->diverged_at <= 5);
    int at = t->diverged_at;
    CHECK(t->epoch == at); /* later epochs did nothing */
    CHECK_RC(hpo__mlp_predict(t, x, N, p, &m), HPO_OK);
    hpo__mlp_free(t);
}

static void test_bad_options_refused(void)
{
    hpo__mlp_shape s = {.n_in = 2, .n_hidden = 8, .n_layers = 1, .n_out = 3};
    hpo__mlp_opt bad[] = {{.lr = 0, .batch_size = 1},
                          {.lr = 0.1, .momentum = 1, .batch_size = 1},
                          {.lr = 0.1, .weight_decay = -1, .batch_size = 1},
                          {.lr = NAN, .batch_size = 1},
                          {.lr = 0.1, .batch_size = 0}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        hpo__mlp *t = NULL;
        hpo__msg m = {0};
        CHECK_RC(hpo__mlp_new(&t, &s, &bad[i], 0, &m), HPO_EINVAL);
        CHECK(t == NULL);
        CHECK_STR_CONTAINS(hpo__msg_get(&m), "mlp: lr > 0");
        hpo__msg_free(&m);
    }
}

#if HPO_HAVE_ML
#include "ml/learner.h"

/* The blobs as a data set (labels 10, 20, 30), or a regression target. */
static void dataset(hpo__dataset *d, int regression)
{
    hpo__msg m = {0};
    double x[2 * N], y[N];
    blobs(x, y);
    char *text = malloc(64 * N + 32), *at = text;
    at += sprintf(at, "a,b,target\n");
    for (int i = 0; i < N; i++)
        at += sprintf(at, "%.17g,%.17g,%.17g\n", x[2 * i], x[2 * i + 1],
                      regression ? x[2 * i] * 3 + 1 : 10 * (y[i] + 1));
    CHECK_RC(hpo__data_parse(d, "blobs", text, strlen(text), NULL,
                             HPO__DATA_CSV, &m), HPO_OK);
    CHECK_RC(hpo__data_set_task(d, regression ? HPO__REGRESSION
                                              : HPO__CLASSIFICATION, &m),
             HPO_OK);
    free(text);
    hpo__msg_free(&m);
}

typedef struct reports {
    int n, last_step;
    double last;
} reports;

static int keep_report(int step, double value, void *data)
{
    reports *r = data;
    r->n++;
    r->last_step = step;
    r->last = value;
    return 0;
}

static int evaluate(const hpo__dataset *d, const char *const *kv, int n_kv,
                    int k, hpo__metric metric, reports *rep,
                    hpo__eval_result *out, hpo__msg *m)
{
    hpo__hparams hp = {0};
    for (int i = 0; i < n_kv; i += 2)
        hpo__hparams_set_text(&hp, kv[i], kv[i + 1]);
    hpo__cv_spec spec = {.kind = HPO__CV_KFOLD, .k = k, .seed = 0};
    hpo__folds folds;
    hpo__cv_split(d, NULL, 0, &spec, &folds, m);
    hpo__eval_options eo = {.report = rep ? keep_report : NULL,
                            .report_data = rep};
    int rc = hpo__evaluate(&hpo__learner_mlp, &hp, d, &folds, metric, &eo,
                           out, m);
    hpo__folds_free(&folds);
    hpo__hparams_free(&hp);
    return rc;
}

static void test_learner_reports_each_epoch(void)
{
    hpo__dataset d;
    dataset(&d, 0);
    hpo__msg m = {0};
    hpo__eval_result r;
    reports rep = {0};
    const char *kv[] = {"epochs", "7", "hidden", "16", "lr", "0.05"};
    CHECK_RC(evaluate(&d, kv, 6, 3, HPO__METRIC_ERROR, &rep, &r, &m),
             HPO_OK);
    CHECK(rep.n == 7 && rep.last_step == 7 && r.steps == 7);
    CHECK(r.mean == rep.last);
    CHECK(r.mean < 0.05);
    hpo__eval_result_free(&r);
    /* Log-loss needs probabilities: they are the softmax's. */
    CHECK_RC(evaluate(&d, kv, 6, 3, HPO__METRIC_LOGLOSS, NULL, &r, &m),
             HPO_OK);
    CHECK(r.mean > 0 && r.mean < 0.3);
    hpo__eval_result_free(&r);
    const char *bad[] = {"hidden", "many"};
    CHECK_RC(evaluate(&d, bad, 2, 3, HPO__METRIC_ERROR, NULL, &r, &m),
             HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "hidden: 'many' is not a number");
    const char *typo[] = {"learning_rate", "0.1"};
    CHECK_RC(evaluate(&d, typo, 2, 3, HPO__METRIC_ERROR, NULL, &r, &m),
             HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "no hyperparameter 'learning_rate'");
    hpo__msg_free(&m);
    hpo__data_free(&d);
}

/* The RMSE of a configuration on the blobs' regression target (y = 3a + 1)
 * by 2-fold CV; *note gets the learner's note (owned), if any. */
static double regression_rmse(const char *const *kv, int n_kv, char **note)
{
    hpo__dataset d;
    dataset(&d, 1);
    hpo__msg m = {0};
    hpo__eval_result r;
    reports rep = {0};
    CHECK_RC(evaluate(&d, kv, n_kv, 2, HPO__METRIC_RMSE, &rep, &r, &m),
             HPO_OK);
    double rmse = r.mean;
    CHECK(rep.last == rmse);
    *note = r.note;
    r.note = NULL;
    hpo__eval_result_free(&r);
    hpo__data_free(&d);
    hpo__msg_free(&m);
    return rmse;
}

/* A diverged model predicts the training mean: a finite RMSE of about the
 * target's sd (3 * sd(a), about 6), never NaN, and says why. */
static void test_learner_diverged_score(void)
{
    const char *kv[] = {"epochs", "4", "lr", "1e6", "layers", "2"};
    char *note;
    double rmse = regression_rmse(kv, 6, &note);
    CHECK(isfinite(rmse) && rmse > 2 && rmse < 10);
    /* One batch an epoch (30 rows): the weights overflow within 4 steps. */
    CHECK_STR_CONTAINS(note, "fold 1: diverged at epoch ");
    CHECK_STR_CONTAINS(note, " (the loss is not finite: lr too large); "
                             "scored as predicting the mean");
    free(note);
}

static void test_learner_regression(void)
{
    const char *kv[] = {"epochs", "40", "lr", "0.01"};
    char *note;
    double rmse = regression_rmse(kv, 4, &note);
    CHECK(rmse < 1.2); /* a fifth of the target's sd */
    CHECK(note == NULL);
}
#endif

int main(void)
{
    RUN(test_separable_reaches_full_accuracy);
    RUN(test_same_seed_same_weights);
    RUN(test_divergence_is_recorded);
    RUN(test_bad_options_refused);
#if HPO_HAVE_ML
    RUN(test_learner_reports_each_epoch);
    RUN(test_learner_diverged_score);
    RUN(test_learner_regression);
#endif
    return CHECK_DONE();
}
