/* test_nested.c — nested cross-validation (src/ml/nested.c).
 *
 * The leakage test wraps the SVM learner in one that records every row
 * index it is given (to fit, to prepare, to predict) and checks them
 * against the outer fold nested.c says it is in: during a fold's inner
 * study no row of that fold's outer test set may appear; during the refit
 * the model must be fit on exactly the outer training rows and score
 * exactly the outer test rows.  The other tests check the numbers: the
 * means and the gap, an inner best recomputed by hand, scores in [0, 1],
 * the inner studies kept in a given storage. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#if HPO_HAVE_ML
#include "ml/learner.h"

static const char *data_dir(void)
{
    const char *dir = getenv("HPO_DATA_DIR");
    return dir && *dir ? dir : HPO_SOURCE_DIR "/../shared/data";
}

static int load(hpo__dataset *d, const char *name)
{
    char path[4096];
    hpo__msg m = {0};
    snprintf(path, sizeof path, "%s/%s", data_dir(), name);
    int rc = hpo__data_load(d, path, NULL, &m);
    if (rc != HPO_OK)
        fprintf(stderr, "cannot load %s: %s (set HPO_DATA_DIR)\n", path,
                hpo__msg_get(&m));
    hpo__msg_free(&m);
    return rc;
}

/* ---- the row tracker ------------------------------------------------------ */

static struct tracker {
    pthread_mutex_t mu;
    int n_rows;
    int fold;                /* outer fold now running, -1 before */
    hpo__nested_phase phase;
    char *in_test;           /* n_rows flags: row is in the outer test set */
    char *in_train;
    long inner_rows_seen;    /* row ids seen inside inner studies */
    long inner_leaks;        /* ... of which in the outer test fold */
    long refit_fit_rows, refit_fit_wrong; /* refit: rows fit on, not train */
    long refit_pred_rows, refit_pred_wrong; /* refit: rows predicted */
    int refit_fits;
} tr = {.mu = PTHREAD_MUTEX_INITIALIZER, .fold = -1};

static void see_rows(const int *rows, int n, int predicting)
{
    pthread_mutex_lock(&tr.mu);
    for (int i = 0; rows && i < n; i++) {
        int r = rows[i];
        if (tr.phase == HPO__NESTED_INNER) {
            tr.inner_rows_seen++;
            tr.inner_leaks += tr.in_test[r];
        } else if (predicting) {
            tr.refit_pred_rows++;
            tr.refit_pred_wrong += !tr.in_test[r];
        } else {
            tr.refit_fit_rows++;
            tr.refit_fit_wrong += !tr.in_train[r];
        }
    }
    pthread_mutex_unlock(&tr.mu);
}

static void see_fit_input(const hpo__fit_input *in)
{
    see_rows(in->rows, in->n_rows, 0);
    /* eval rows are rows the model will be asked to predict */
    see_rows(in->eval_rows, in->n_eval, 1);
}

static int tracked_fit(const hpo__fit_input *in, void **model, hpo__msg *m)
{
    see_fit_input(in);
    if (tr.phase == HPO__NESTED_REFIT)
        tr.refit_fits++;
    return hpo__learner_svm.fit(in, model, m);
}

static int tracked_prepare(const hpo__fit_input *in, void **prepared,
                           hpo__msg *m)
{
    see_fit_input(in);
    return hpo__learner_svm.prepare(in, prepared, m);
}

static int tracked_predict(void *model, const hpo__dataset *d,
                           const int *rows, int n, hpo__output output,
                           double *out, hpo__msg *m)
{
    see_rows(rows, n, 1);
    return hpo__learner_svm.predict(model, d, rows, n, output, out, m);
}

static hpo__learner_type tracked_svm(void)
{
    hpo__learner_type t = hpo__learner_svm;
    t.fit = tracked_fit;
    t.predict = tracked_predict;
    if (t.prepare)
        t.prepare = tracked_prepare;
    return t;
}

static void track_phase(int fold, hpo__nested_phase phase,
                        const hpo__split *outer, void *data)
{
    (void)data;
    tr.fold = fold;
    tr.phase = phase;
    memset(tr.in_test, 0, (size_t)tr.n_rows);
    memset(tr.in_train, 0, (size_t)tr.n_rows);
    for (int i = 0; i < outer->n_test; i++)
        tr.in_test[outer->test[i]] = 1;
    for (int i = 0; i < outer->n_train; i++)
        tr.in_train[outer->train[i]] = 1;
}

/* ---- tests ------------------------------------------------------------------ */

static void test_no_outer_test_row_in_inner_study(void)
{
    hpo__dataset d = {0};
    if (load(&d, "breast_cancer.csv") != HPO_OK) {
        CHECK(0);
        return;
    }
    tr.n_rows = d.n_rows;
    tr.in_test = calloc((size_t)d.n_rows, 1);
    tr.in_train = calloc((size_t)d.n_rows, 1);
    hpo__learner_type t = tracked_svm();
    hpo__nested_options o = {.metric = HPO__METRIC_ERROR, .outer_k = 4,
                             .inner_k = 3, .n_trials = 4, .n_jobs = 2,
                             .sampler = "random", .have_seed = 1, .seed = 3,
                             .on_phase = track_phase};
    hpo__nested_result r;
    hpo__msg m = {0};
    CHECK_RC(hpo__nested_cv(&t, &d, &o, &r, &m), HPO_OK);
    CHECK(r.n_folds == 4);
    /* The tracker saw the inner studies' work ... */
    CHECK(tr.inner_rows_seen > 4L * 4 * 3 * 100);
    /* ... none of it on an outer test row. */
    CHECK(tr.inner_leaks == 0);
    /* The refits: one per fold, on exactly the outer training rows (each
     * row once per fold), scored on exactly the outer test rows; the
     * tracker does flag outer test rows when they are used. */
    CHECK(tr.refit_fits == 4);
    CHECK(tr.refit_fit_wrong == 0);
    CHECK(tr.refit_fit_rows == 3L * d.n_rows);
    CHECK(tr.refit_pred_wrong == 0);
    CHECK(tr.refit_pred_rows >= d.n_rows);
    if (tr.inner_leaks)
        fprintf(stderr, "%ld outer test rows used inside inner studies\n",
                tr.inner_leaks);
    hpo__nested_result_free(&r);
    hpo__msg_free(&m);
    free(tr.in_test);
    free(tr.in_train);
    hpo__data_free(&d);
}

/* Outer splits captured for a recomputation. */
static hpo__split captured[8];

static void capture_phase(int fold, hpo__nested_phase phase,
                          const hpo__split *outer, void *data)
{
    (void)data;
    if (phase != HPO__NESTED_INNER || fold >= 8)
        return;
    hpo__split *c = &captured[fold];
    c->n_train = outer->n_train;
    c->n_test = outer->n_test;
    c->train = malloc((size_t)outer->n_train * sizeof *c->train);
    c->test = malloc((size_t)outer->n_test * sizeof *c->test);
    memcpy(c->train, outer->train, (size_t)outer->n_train * sizeof(int));
    memcpy(c->test, outer->test, (size_t)outer->n_test * sizeof(int));
}

static void test_numbers_are_consistent(void)
{
    hpo__dataset d = {0};
    if (load(&d, "breast_cancer.csv") != HPO_OK) {
        CHECK(0);
        return;
    }
    hpo__nested_options o = {.metric = HPO__METRIC_ERROR, .outer_k = 3,
                             .inner_k = 4, .n_trials = 6, .folds_seed = 7,
                             .have_seed = 1, .seed = 0,
                             .on_phase = capture_phase};
    hpo__nested_result r;
    hpo__msg m = {0};
    CHECK_RC(hpo__nested_cv(&hpo__learner_svm, &d, &o, &r, &m), HPO_OK);
    CHECK(r.n_folds == 3);
    CHECK(!r.maximize);
    double so = 0, si = 0;
    int n_test = 0;
    for (int i = 0; i < r.n_folds; i++) {
        const hpo__nested_fold *f = &r.folds[i];
        CHECK(f->outer_score >= 0 && f->outer_score <= 1);
        CHECK(f->inner_best >= 0 && f->inner_best <= 1);
        CHECK(f->n_complete == 6);
        CHECK(f->n_train + f->n_test == d.n_rows);
        CHECK(hpo__hparams_find(&f->chosen, "C") != NULL);
        CHECK(hpo__hparams_find(&f->chosen, "gamma") != NULL);
        /* An error rate on n_test rows is a multiple of 1/n_test. */
        double wrong = f->outer_score * f->n_test;
        CHECK_NEAR(wrong, floor(wrong + 0.5), 1e-9);
        so += f->outer_score;
        si += f->inner_best;
        n_test += f->n_test;
    }
    CHECK(n_test == d.n_rows);
    CHECK_NEAR(r.mean_outer, so / 3, 1e-12);
    CHECK_NEAR(r.mean_inner, si / 3, 1e-12);
    CHECK_NEAR(r.gap, r.mean_outer - r.mean_inner, 1e-12);
    CHECK(r.sd_outer >= 0);

    /* Fold 1's inner best, recomputed: the chosen configuration's CV
     * error on 4 folds of the outer training rows (same seed). */
    hpo__folds inner = {0};
    hpo__cv_spec spec = {.kind = HPO__CV_STRATIFIED, .k = 4, .seed = 7};
    CHECK_RC(hpo__cv_split(&d, captured[0].train, captured[0].n_train, &spec,
                           &inner, &m), HPO_OK);
    hpo__eval_result er;
    CHECK_RC(hpo__evaluate(&hpo__learner_svm, &r.folds[0].chosen, &d, &inner,
                           HPO__METRIC_ERROR, NULL, &er, &m), HPO_OK);
    CHECK_NEAR(er.mean, r.folds[0].inner_best, 1e-12);
    int shared = 0;
    for (int k = 0; k < inner.n; k++)
        for (int j = 0; j < inner.v[k].n_test; j++)
            for (int t = 0; t < captured[0].n_test; t++)
                shared += inner.v[k].test[j] == captured[0].test[t];
    CHECK(shared == 0);
    hpo__eval_result_free(&er);
    hpo__folds_free(&inner);

    /* Fold 2's outer score, recomputed by a refit on its training rows. */
    hpo__fit_input in = {.d = &d, .rows = captured[1].train,
                         .n_rows = captured[1].n_train,
                         .params = &r.folds[1].chosen};
    void *model = NULL;
    double *pred = malloc((size_t)captured[1].n_test * sizeof *pred);
    CHECK_RC(hpo__learner_fit(&hpo__learner_svm, &in, &model, &m), HPO_OK);
    CHECK_RC(hpo__learner_predict(&hpo__learner_svm, model, &d,
                                  captured[1].test, captured[1].n_test,
                                  HPO__OUTPUT_LABEL, pred, &m), HPO_OK);
    CHECK_NEAR(hpo__metric_compute(HPO__METRIC_ERROR, &d, captured[1].test,
                                   captured[1].n_test, pred),
               r.folds[1].outer_score, 1e-12);
    hpo__learner_svm.free_model(model);
    free(pred);
    for (int i = 0; i < 8; i++) {
        free(captured[i].train);
        free(captured[i].test);
    }
    hpo__nested_result_free(&r);
    hpo__msg_free(&m);
    hpo__data_free(&d);
}

static void test_maximized_metric_gap_and_storage(void)
{
    hpo__dataset d = {0};
    if (load(&d, "breast_cancer.csv") != HPO_OK) {
        CHECK(0);
        return;
    }
    hpo_storage *st = NULL;
    CHECK_RC(hpo_storage_open(&st, "memory:"), HPO_OK);
    hpo__hparams fixed = {0};
    hpo__hparams_set_text(&fixed, "kernel", "linear");
    hpo_space *space = hpo_space_new();
    CHECK_RC(hpo_space_parse_param(space, "C=float:0.01:10:log"), HPO_OK);
    hpo__nested_options o = {.metric = HPO__METRIC_ACCURACY, .outer_k = 2,
                             .inner_k = 2, .n_trials = 3, .space = space,
                             .fixed = &fixed, .storage = st,
                             .study_name = "acc"};
    hpo__nested_result r;
    hpo__msg m = {0};
    CHECK_RC(hpo__nested_cv(&hpo__learner_svm, &d, &o, &r, &m), HPO_OK);
    CHECK(r.maximize);
    CHECK_NEAR(r.gap, r.mean_inner - r.mean_outer, 1e-12);
    CHECK(r.mean_outer > 0.9 && r.mean_outer <= 1);
    const hpo__hparam *k = hpo__hparams_find(&r.folds[0].chosen, "kernel");
    CHECK(k && strcmp(k->text, "linear") == 0);
    hpo_study_summary *list = NULL;
    int n = 0;
    CHECK_RC(hpo_storage_studies(st, &list, &n), HPO_OK);
    CHECK(n == 2);
    if (n == 2) {
        CHECK(strcmp(list[0].name, "acc-fold-1") == 0);
        CHECK(strcmp(list[1].name, "acc-fold-2") == 0);
        CHECK(list[0].n_trials == 3 && list[0].directions[0] == HPO_MAXIMIZE);
    }
    hpo_study_summaries_free(list, n);
    hpo__nested_result_free(&r);
    /* Running it again into the same storage: the studies exist. */
    CHECK(hpo__nested_cv(&hpo__learner_svm, &d, &o, &r, &m) == HPO_EEXIST);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "outer fold 1: study 'acc-fold-1'");
    /* Bad options are refused with a message. */
    o.storage = NULL;
    o.outer_k = 1;
    CHECK_RC(hpo__nested_cv(&hpo__learner_svm, &d, &o, &r, &m), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "at least 2 outer");
    o.outer_k = 2;
    hpo__hparams_set_text(&fixed, "gama", "1");
    CHECK(hpo__nested_cv(&hpo__learner_svm, &d, &o, &r, &m) != HPO_OK);
    CHECK_STR_CONTAINS(hpo__msg_get(&m), "no inner trial completed");
    hpo__hparams_free(&fixed);
    hpo_space_free(space);
    hpo_storage_close(st);
    hpo__msg_free(&m);
    hpo__data_free(&d);
}

int main(void)
{
    RUN(test_no_outer_test_row_in_inner_study);
    RUN(test_numbers_are_consistent);
    RUN(test_maximized_metric_gap_and_storage);
    return CHECK_DONE();
}
#else
int main(void)
{
    fprintf(stderr, "built without the learners (HPO_WITH_ML=OFF): skipped\n");
    return CHECK_DONE();
}
#endif
