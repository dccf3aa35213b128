/*
 * mlp_digits.c — `hpo-bench mlp`: the MLP itself on the mlp_digits problem
 * of BENCHMARKS.md (digits.csv, a fixed stratified 80/20 split, seed 0),
 * beside scikit-learn's MLPClassifier (mlp_digits.py) on the same split,
 * architecture and optimizer, in one run:
 *
 *   - time of one training epoch (1437 rows), the median over every epoch
 *     of every seed, for each hidden width: the goal is "well
 *     under a second", so that PBT's 16 members x 81 epochs fit in minutes;
 *   - the validation error after the last epoch, median and quartiles
 *     over seeds.
 *
 * Both sides train one ReLU hidden layer by SGD with constant learning
 * rate, heavy-ball momentum and L2 weight decay, standardized features;
 * they differ in the initialisation (He normal vs Glorot uniform) and in
 * their random streams, so errors are compared over seeds only.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "bench.h"

#if HPO_HAVE_ML

#include "../src/ml/learner.h"

#define MAX_HIDDEN 16

typedef struct mlp_bench {
    hpo__dataset d;
    hpo__folds folds;
    const char *hidden_text, *seeds_text;
    int n_hidden, hidden[MAX_HIDDEN];
    int n_seeds, seeds[BENCH_MAX_SEEDS];
    int epochs, batch_size;
    double lr, momentum, weight_decay;
    int no_sklearn;
    const char *json_path;
} mlp_bench;

/* One width over every seed, for one side. */
typedef struct side_result {
    int ok;
    double epoch_ms;                 /* median over epochs and seeds */
    double error[BENCH_MAX_SEEDS];   /* final validation error per seed */
} side_result;

static int usage(void)
{
    fprintf(stderr,
"usage: hpo-bench mlp [--hidden 64,128,256] [--epochs 81] [--seeds 0-4]\n"
"                     [--lr 0.01] [--momentum 0.9] [--weight-decay 1e-4]\n"
"                     [--batch-size 32] [--no-sklearn] [--json FILE]\n"
"mlp_digits (BENCHMARKS.md): ms per training epoch and the validation\n"
"error after the last epoch of hpo's mlp, beside scikit-learn's\n"
"MLPClassifier (solver sgd) on the same 80/20 split of digits.csv; data\n"
"from $HPO_DATA_DIR or ../shared/data.\n");
    return 2;
}

static int number(const char *v, double *out)
{
    char *end;
    *out = strtod(v, &end);
    return *end || end == v ? -1 : 0;
}

static int parse(mlp_bench *b, int argc, char **argv)
{
    const char *v;
    double epochs = 81, batch = 32;
    b->hidden_text = "64,128,256";
    b->seeds_text = "0-4";
    b->lr = 0.01, b->momentum = 0.9, b->weight_decay = 1e-4;
    for (int i = 0; i < argc; i++) {
        int r, bad = 0;
        if ((r = bench_option(argc, argv, &i, "--hidden", &v)))
            b->hidden_text = v;
        else if ((r = bench_option(argc, argv, &i, "--seeds", &v)))
            b->seeds_text = v;
        else if ((r = bench_option(argc, argv, &i, "--epochs", &v)))
            bad = number(v, &epochs);
        else if ((r = bench_option(argc, argv, &i, "--lr", &v)))
            bad = number(v, &b->lr);
        else if ((r = bench_option(argc, argv, &i, "--momentum", &v)))
            bad = number(v, &b->momentum);
        else if ((r = bench_option(argc, argv, &i, "--weight-decay", &v)))
            bad = number(v, &b->weight_decay);
        else if ((r = bench_option(argc, argv, &i, "--batch-size", &v)))
            bad = number(v, &batch);
        else if ((r = bench_option(argc, argv, &i, "--json", &v)))
            b->json_path = v;
        else if (strcmp(argv[i], "--no-sklearn") == 0)
            b->no_sklearn = 1, r = 1;
        if (r <= 0 || bad)
            return -1;
    }
    b->epochs = (int)epochs;
    b->batch_size = (int)batch;
    b->n_hidden = bench_parse_ints(b->hidden_text, b->hidden, MAX_HIDDEN);
    b->n_seeds = bench_parse_seeds(b->seeds_text, b->seeds, BENCH_MAX_SEEDS);
    return b->n_hidden < 1 || b->n_seeds < 1 || b->epochs < 1 ||
                   b->batch_size < 1 ? -1 : 0;
}

static const char *data_path(void)
{
    return bench_data_path("digits.csv");
}

static int setup(mlp_bench *b)
{
    hpo__msg m = {0};
    hpo__cv_spec spec = {.kind = HPO__CV_HOLDOUT, .test_fraction = 0.2,
                         .seed = 0};
    int rc = hpo__data_load(&b->d, data_path(), NULL, &m);
    if (rc == HPO_OK)
        rc = hpo__cv_split(&b->d, NULL, 0, &spec, &b->folds, &m);
    if (rc != HPO_OK)
        fprintf(stderr, "hpo-bench mlp: %s (set HPO_DATA_DIR to the folder "
                "of digits.csv)\n", hpo__msg_get(&m));
    hpo__msg_free(&m);
    return rc == HPO_OK ? 0 : -1;
}

/* ---- hpo's side ------------------------------------------------------------- */

static int set_params(const mlp_bench *b, int hidden, int seed,
                      hpo__hparams *p)
{
    return hpo__hparams_set(p, "hidden", hidden) ||
           hpo__hparams_set(p, "init_seed", seed) ||
           hpo__hparams_set(p, "lr", b->lr) ||
           hpo__hparams_set(p, "momentum", b->momentum) ||
           hpo__hparams_set(p, "weight_decay", b->weight_decay) ||
           hpo__hparams_set(p, "batch_size", b->batch_size) ||
           hpo__hparams_set(p, "epochs", b->epochs);
}

/* Train one seed epoch by epoch, timing each epoch alone; its final
 * validation error. */
static int run_seed(const mlp_bench *b, int hidden, int seed,
                    double *epoch_ms, double *error)
{
    const hpo__learner_type *t = &hpo__learner_mlp;
    const hpo__split *s = &b->folds.v[0];
    hpo__hparams p = {0};
    hpo__msg m = {0};
    void *model = NULL;
    double *pred = malloc((size_t)s->n_test * sizeof *pred);
    hpo__fit_input in = {.d = &b->d, .rows = s->train, .n_rows = s->n_train,
                         .params = &p, .output = HPO__OUTPUT_LABEL,
                         .eval_rows = s->test, .n_eval = s->n_test};
    int rc = pred && set_params(b, hidden, seed, &p) == HPO_OK
                 ? hpo__learner_fit_start(t, &in, &model, &m)
                 : hpo__fail(&m, HPO_ENOMEM, "out of memory");
    for (int e = 0; rc == HPO_OK && e < b->epochs; e++) {
        double t0 = bench_now_s();
        rc = t->fit_step(model, &m);
        epoch_ms[e] = (bench_now_s() - t0) * 1000;
    }
    if (rc == HPO_OK)
        rc = hpo__learner_predict(t, model, &b->d, s->test, s->n_test,
                                  HPO__OUTPUT_LABEL, pred, &m);
    if (rc == HPO_OK)
        *error = hpo__metric_compute(HPO__METRIC_ERROR, &b->d, s->test,
                                     s->n_test, pred);
    else
        fprintf(stderr, "hpo-bench mlp: %s\n", hpo__msg_get(&m));
    if (model)
        t->free_model(model);
    free(pred);
    hpo__hparams_free(&p);
    hpo__msg_free(&m);
    return rc;
}

static int run_hpo(const mlp_bench *b, int hidden, side_result *out)
{
    int n = b->epochs * b->n_seeds;
    double *ms = malloc((size_t)n * sizeof *ms);
    out->ok = ms != NULL;
    for (int s = 0; out->ok && s < b->n_seeds; s++)
        out->ok = run_seed(b, hidden, b->seeds[s], ms + s * b->epochs,
                           &out->error[s]) == HPO_OK;
    if (out->ok)
        out->epoch_ms = bench_quantile(ms, n, 0.5);
    free(ms);
    return out->ok ? 0 : -1;
}

/* ---- scikit-learn's side ------------------------------------------------------ */

static cJSON *run_sklearn(const mlp_bench *b)
{
    char dir[] = "/tmp/hpo-bench-mlp.XXXXXX", folds[64], epochs[32],
         lr[40], mu[40], wd[40], batch[32];
    if (!mkdtemp(dir))
        return NULL;
    snprintf(folds, sizeof folds, "%s/folds.json", dir);
    snprintf(epochs, sizeof epochs, "%d", b->epochs);
    snprintf(batch, sizeof batch, "%d", b->batch_size);
    snprintf(lr, sizeof lr, "%.17g", b->lr);
    snprintf(mu, sizeof mu, "%.17g", b->momentum);
    snprintf(wd, sizeof wd, "%.17g", b->weight_decay);
    const char *args[] = {"--data", data_path(), "--folds", folds,
                          "--hidden", b->hidden_text, "--seeds",
                          b->seeds_text, "--epochs", epochs, "--lr", lr,
                          "--momentum", mu, "--weight-decay", wd,
                          "--batch-size", batch, NULL};
    cJSON *json = bench_write_folds(folds, &b->folds) == 0
                      ? bench_python_run(HPO_BENCH_SOURCE_DIR "/mlp_digits.py",
                                         args)
                      : NULL;
    remove(folds);
    remove(dir);
    return json;
}

/* The reference's runs of one width into out. */
static void read_sklearn(const cJSON *ref, const mlp_bench *b, int hidden,
                         side_result *out)
{
    const cJSON *r;
    int n_ms = 0, seed = 0;
    double *ms = malloc((size_t)b->epochs * b->n_seeds * sizeof *ms);
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(ref, "runs"))
    {
        const cJSON *h = cJSON_GetObjectItemCaseSensitive(r, "hidden");
        if (!ms || !cJSON_IsNumber(h) || h->valueint != hidden ||
            seed >= b->n_seeds)
            continue;
        const cJSON *e;
        cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, "epoch_ms"))
            if (n_ms < b->epochs * b->n_seeds)
                ms[n_ms++] = e->valuedouble;
        const cJSON *err = cJSON_GetObjectItemCaseSensitive(r, "error");
        out->error[seed++] = cJSON_IsNumber(err) ? err->valuedouble : NAN;
    }
    out->ok = seed == b->n_seeds && n_ms > 0;
    out->epoch_ms = out->ok ? bench_quantile(ms, n_ms, 0.5) : NAN;
    free(ms);
}

/* ---- the table ------------------------------------------------------------------ */

/* The q-quantile of a side's final errors over its n seeds. */
static double error_quantile(const side_result *r, int n, double q)
{
    double c[BENCH_MAX_SEEDS];
    memcpy(c, r->error, (size_t)n * sizeof *c);
    return bench_quantile(c, n, q);
}

static void error_cell(char *buf, size_t size, const side_result *r, int n)
{
    if (!r->ok)
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%.4f [%.4f, %.4f]", error_quantile(r, n, 0.5),
                 error_quantile(r, n, 0.25), error_quantile(r, n, 0.75));
}

static void add_side(cJSON *row, const char *name, const side_result *r,
                     int n)
{
    if (!r->ok)
        return;
    cJSON *o = cJSON_AddObjectToObject(row, name);
    cJSON_AddNumberToObject(o, "epoch_ms", r->epoch_ms);
    cJSON_AddNumberToObject(o, "error_median", error_quantile(r, n, 0.5));
    cJSON *all = cJSON_AddArrayToObject(o, "errors");
    for (int s = 0; s < n; s++)
        cJSON_AddItemToArray(all, cJSON_CreateNumber(r->error[s]));
}

static void print_row(const mlp_bench *b, int hidden, const side_result *h,
                      const side_result *s, cJSON *rows)
{
    char he[64], se[64], ratio[32] = "-";
    error_cell(he, sizeof he, h, b->n_seeds);
    error_cell(se, sizeof se, s, b->n_seeds);
    if (h->ok && s->ok)
        snprintf(ratio, sizeof ratio, "%.2f", h->epoch_ms / s->epoch_ms);
    printf("%6d  %10.2f  %10.2f  %6s   %-26s  %s\n", hidden,
           h->ok ? h->epoch_ms : NAN, s->ok ? s->epoch_ms : NAN, ratio, he,
           se);
    cJSON *row = cJSON_CreateObject();
    cJSON_AddNumberToObject(row, "hidden", hidden);
    add_side(row, "hpo", h, b->n_seeds);
    add_side(row, "sklearn", s, b->n_seeds);
    cJSON_AddItemToArray(rows, row);
}

int bench_mlp(int argc, char **argv)
{
    static mlp_bench b;
    static side_result hpo[MAX_HIDDEN], ref[MAX_HIDDEN];
    if (parse(&b, argc, argv) != 0)
        return usage();
    if (setup(&b) != 0)
        return 1;
    int failed = 0;
    for (int k = 0; k < b.n_hidden; k++)
        failed |= run_hpo(&b, b.hidden[k], &hpo[k]) != 0;
    cJSON *sk = b.no_sklearn ? NULL : run_sklearn(&b);
    for (int k = 0; sk && k < b.n_hidden; k++)
        read_sklearn(sk, &b, b.hidden[k], &ref[k]);
    if (!b.no_sklearn && !sk)
        failed = 1;
    printf("mlp_digits: %s, hold-out 20%% (seed 0): %d training rows, %d "
           "validation; lr %g, momentum %g, weight decay %g, batch %d, %d "
           "epochs, seeds %s\n", data_path(), b.folds.v[0].n_train,
           b.folds.v[0].n_test, b.lr, b.momentum, b.weight_decay,
           b.batch_size, b.epochs, b.seeds_text);
    printf("%6s  %10s  %10s  %6s   %-26s  %s\n", "hidden", "hpo ms/ep",
           "sk ms/ep", "ratio", "hpo val error [25%, 75%]",
           "sklearn val error [25%, 75%]");
    cJSON *report = cJSON_CreateObject();
    cJSON *rows = cJSON_AddArrayToObject(report, "rows");
    for (int k = 0; k < b.n_hidden; k++)
        print_row(&b, b.hidden[k], &hpo[k], &ref[k], rows);
    if (sk)
        printf("(scikit-learn %s; ratio = hpo / scikit-learn time per "
               "epoch)\n", cJSON_GetStringValue(cJSON_GetObjectItem(sk,
                                                                   "sklearn")));
    if (b.json_path && bench_write_json(b.json_path, report) != 0)
        failed = 1;
    cJSON_Delete(report);
    cJSON_Delete(sk);
    hpo__folds_free(&b.folds);
    hpo__data_free(&b.d);
    return failed;
}

#else

int bench_mlp(int argc, char **argv)
{
    (void)argc, (void)argv;
    fprintf(stderr, "hpo-bench mlp: built without the learners "
            "(HPO_WITH_ML=OFF)\n");
    return 2;
}

#endif
