/* test_mlp_checkpoint.c — the mlp's checkpoints (src/ml/mlp_checkpoint.c):
 * train 3 epochs = train 1, save, load, train 2, bit for bit (weights,
 * momentum, RNG, scaler); a truncated, corrupt, other-version or foreign
 * file is refused with a message naming it; a save replaces the file
 * atomically and leaves no temporary behind, and a failed save leaves the
 * old file as it was; through the learner, a hold-out run resumed from a
 * checkpoint reports what the uninterrupted run reports. */
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ml/mlp.h"

enum { N = 40, FEATURES = 3, CLASSES = 4 };

static char dir[256];

static const char *path_in_dir(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

static void data(double *x, double *y)
{
    hpo__rng rng;
    hpo__rng_seed(&rng, 2);
    for (int i = 0; i < N; i++) {
        y[i] = i % CLASSES;
        for (int j = 0; j < FEATURES; j++)
            x[i * FEATURES + j] = hpo__rng_normal(&rng) + (j == i % 3) * y[i];
    }
}

static hpo__mlp *fresh(void)
{
    hpo__mlp_shape s = {.n_in = FEATURES, .n_hidden = 10, .n_layers = 2,
                        .n_out = CLASSES};
    hpo__mlp_opt o = {.lr = 0.05, .momentum = 0.9, .weight_decay = 1e-3,
                      .batch_size = 7};
    hpo__mlp *t = NULL;
    hpo__msg m = {0};
    CHECK_RC(hpo__mlp_new(&t, &s, &o, 42, &m), HPO_OK);
    /* A scaler that is not the identity, to see it come back. */
    for (int j = 0; j < FEATURES; j++) {
        t->scaler.mean[j] = 0.25 * j;
        t->scaler.std[j] = 1.5 + j;
    }
    return t;
}

static void epochs(hpo__mlp *t, int k, const double *x, const double *y)
{
    hpo__msg m = {0};
    for (int e = 0; e < k; e++)
        CHECK_RC(hpo__mlp_train_epoch(t, x, y, N, &m), HPO_OK);
}

static int same_state(const hpo__mlp *a, const hpo__mlp *b)
{
    size_t bytes = a->layout.n_params * sizeof(double);
    size_t sbytes = (size_t)a->scaler.n_features * sizeof(double);
    return a->layout.n_params == b->layout.n_params &&
           memcmp(a->theta, b->theta, bytes) == 0 &&
           memcmp(a->velocity, b->velocity, bytes) == 0 &&
           memcmp(&a->rng, &b->rng, sizeof a->rng) == 0 &&
           a->epoch == b->epoch && a->scaler.n_features ==
               b->scaler.n_features &&
           memcmp(a->scaler.mean, b->scaler.mean, sbytes) == 0 &&
           memcmp(a->scaler.std, b->scaler.std, sbytes) == 0 &&
           a->opt.lr == b->opt.lr && a->opt.momentum == b->opt.momentum &&
           a->opt.weight_decay == b->opt.weight_decay &&
           a->opt.batch_size == b->opt.batch_size;
}

static void test_round_trip_is_bit_identical(void)
{
    double x[N * FEATURES], y[N];
    data(x, y);
    hpo__mlp *whole = fresh(), *part = fresh(), *back = NULL;
    epochs(whole, 3, x, y);
    epochs(part, 1, x, y);
    hpo__msg m = {0};
    const char *path = path_in_dir("a.ckpt");
    CHECK_RC(hpo__mlp_save(part, path, &m), HPO_OK);
    CHECK_RC(hpo__mlp_load(path, &back, &m), HPO_OK);
    CHECK(back && same_state(part, back));
    if (back) {
        epochs(back, 2, x, y);
        CHECK(back->epoch == 3);
        CHECK(same_state(whole, back));
    }
    hpo__mlp_free(whole);
    hpo__mlp_free(part);
    hpo__mlp_free(back);
    hpo__msg_free(&m);
}

/* The saved file's bytes. */
static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *p = malloc(1 << 20);
    *len = f ? fread(p, 1, 1 << 20, f) : 0;
    if (f)
        fclose(f);
    return p;
}

static void spill(const char *path, const unsigned char *p, size_t len)
{
    FILE *f = fopen(path, "wb");
    fwrite(p, 1, len, f);
    fclose(f);
}

/* Load a damaged copy: refused, with `why` in the message. */
static void refused(const unsigned char *p, size_t len, const char *why)
{
    const char *path = path_in_dir("bad.ckpt");
    spill(path, p, len);
    hpo__mlp *t = (hpo__mlp *)1;
    hpo__msg m = {0};
    CHECK_RC(hpo__mlp_load(path, &t, &m), HPO_EINVAL);
    CHECK(t == NULL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "bad.ckpt: ");
    CHECK_STR_CONTAINS(hpo__msg_get(&m), why);
    hpo__msg_free(&m);
}

static void test_damaged_files_refused(void)
{
    hpo__mlp *t = fresh();
    hpo__msg m = {0};
    const char *path = path_in_dir("good.ckpt");
    CHECK_RC(hpo__mlp_save(t, path, &m), HPO_OK);
    size_t len;
    unsigned char *p = slurp(path, &len);
    CHECK(len > 100);
    refused(p, len - 1, "truncated");
    refused(p, len / 2, "truncated");
    refused(p, 10, "not an hpo mlp checkpoint");
    refused(p, 0, "not an hpo mlp checkpoint");
    p[len / 2] ^= 0x10;
    refused(p, len, "checksum");
    p[len / 2] ^= 0x10;
    p[8] = 2; /* the version */
    refused(p, len, "checkpoint version 2, this build reads version 1");
    p[8] = 1;
    p[0] = 'X';
    refused(p, len, "not an hpo mlp checkpoint");
    hpo__mlp *none = NULL;
    CHECK_RC(hpo__mlp_load(path_in_dir("missing.ckpt"), &none, &m),
             HPO_EINVAL);
    CHECK(none == NULL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "missing.ckpt: No such file");
    free(p);
    hpo__mlp_free(t);
    hpo__msg_free(&m);
}

static int temporaries_in_dir(void)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(d)))
        n += strstr(e->d_name, ".tmp.") != NULL;
    closedir(d);
    return n;
}

static void test_save_is_atomic(void)
{
    double x[N * FEATURES], y[N];
    data(x, y);
    hpo__mlp *t = fresh(), *back = NULL;
    hpo__msg m = {0};
    const char *path = path_in_dir("over.ckpt");
    CHECK_RC(hpo__mlp_save(t, path, &m), HPO_OK);
    epochs(t, 1, x, y);
    CHECK_RC(hpo__mlp_save(t, path, &m), HPO_OK); /* replaces it */
    CHECK(temporaries_in_dir() == 0);
    CHECK_RC(hpo__mlp_load(path, &back, &m), HPO_OK);
    CHECK(back && back->epoch == 1);
    hpo__mlp_free(back);
    CHECK_RC(hpo__mlp_save(t, path_in_dir("no/such/dir.ckpt"), &m), HPO_EIO);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "dir.ckpt: cannot write the "
                                         "checkpoint");
    CHECK(temporaries_in_dir() == 0);
    hpo__mlp_free(t);
    hpo__msg_free(&m);
}

#if HPO_HAVE_ML
#include "ml/learner.h"

static int keep_last(int step, double value, void *data)
{
    double *v = data;
    v[0] = step;
    v[1] = value;
    return 0;
}

/* Through hpo__evaluate on one hold-out split: 5 epochs in one run, and
 * 2 + 3 with a checkpoint between, report the same step and score; a
 * changed learning rate on resume changes the result. */
static void test_learner_resume(void)
{
    char *text = malloc(N * 80 + 32), *at = text;
    double x[N * FEATURES], y[N];
    data(x, y);
    at += sprintf(at, "a,b,c,target\n");
    for (int i = 0; i < N; i++)
        at += sprintf(at, "%.17g,%.17g,%.17g,%d\n", x[3 * i], x[3 * i + 1],
                      x[3 * i + 2], (int)y[i]);
    hpo__dataset d;
    hpo__msg m = {0};
    CHECK_RC(hpo__data_parse(&d, "t", text, strlen(text), NULL,
                             HPO__DATA_CSV, &m), HPO_OK);
    free(text);
    hpo__cv_spec spec = {.kind = HPO__CV_HOLDOUT, .test_fraction = 0.25};
    hpo__folds folds;
    CHECK_RC(hpo__cv_split(&d, NULL, 0, &spec, &folds, &m), HPO_OK);
    hpo__hparams hp = {0};
    hpo__hparams_set_text(&hp, "hidden", "12");
    hpo__hparams_set_text(&hp, "epochs", "5");
    hpo__hparams_set_text(&hp, "batch_size", "4");
    double whole[2], part[2];
    hpo__eval_options eo = {.report = keep_last, .report_data = whole};
    hpo__eval_result r;
    const hpo__learner_type *t = &hpo__learner_mlp;
    hpo__metric loss = HPO__METRIC_LOGLOSS;
    CHECK_RC(hpo__evaluate(t, &hp, &d, &folds, loss, &eo, &r, &m), HPO_OK);
    hpo__eval_result_free(&r);
    char ckpt[512];
    snprintf(ckpt, sizeof ckpt, "%s", path_in_dir("learner.ckpt"));
    hpo__hparams_set_text(&hp, "epochs", "2");
    eo = (hpo__eval_options){.report = keep_last, .report_data = part,
                             .checkpoint_out = ckpt};
    CHECK_RC(hpo__evaluate(t, &hp, &d, &folds, loss, &eo, &r, &m), HPO_OK);
    hpo__eval_result_free(&r);
    hpo__hparams_set_text(&hp, "epochs", "3");
    eo.checkpoint_in = ckpt;
    eo.checkpoint_out = NULL;
    CHECK_RC(hpo__evaluate(t, &hp, &d, &folds, loss, &eo, &r, &m), HPO_OK);
    CHECK(r.steps == 5);
    hpo__eval_result_free(&r);
    CHECK(part[0] == 5 && whole[0] == 5);
    CHECK(part[1] == whole[1]);
    hpo__hparams_set_text(&hp, "lr", "0.5");
    CHECK_RC(hpo__evaluate(t, &hp, &d, &folds, loss, &eo, &r, &m), HPO_OK);
    hpo__eval_result_free(&r);
    CHECK(part[1] != whole[1]);
    /* The architecture cannot change; CV has no single model. */
    hpo__hparams_set_text(&hp, "hidden", "13");
    CHECK_RC(hpo__evaluate(t, &hp, &d, &folds, loss, &eo, &r, &m),
             HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "hidden and layers cannot change");
    hpo__folds_free(&folds);
    spec = (hpo__cv_spec){.kind = HPO__CV_KFOLD, .k = 2};
    hpo__cv_split(&d, NULL, 0, &spec, &folds, &m);
    CHECK_RC(hpo__evaluate(t, &hp, &d, &folds, loss, &eo, &r, &m),
             HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "needs one split");
    hpo__folds_free(&folds);
    hpo__hparams_free(&hp);
    hpo__data_free(&d);
    hpo__msg_free(&m);
}
#endif

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/hpo-mlp-ckpt-XXXXXX");
    if (!mkdtemp(dir))
        return 1;
    RUN(test_round_trip_is_bit_identical);
    RUN(test_damaged_files_refused);
    RUN(test_save_is_atomic);
#if HPO_HAVE_ML
    RUN(test_learner_resume);
#endif
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return CHECK_DONE();
}
