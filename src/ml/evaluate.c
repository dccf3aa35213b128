/*
 * evaluate.c — the score of one configuration: k-fold cross-validation
 * (Stone 1974) over splits fixed in advance (cv.c), so every trial of a
 * study is compared on the same folds.
 *
 * The score is the plain mean of the fold scores (scikit-learn's
 * cross_val_score convention), not the pooled score of all test rows
 * (libsvm's svm_cross_validation convention); both are kept per fold.
 *
 * A learner with a fidelity (XGBoost's rounds) is trained on all folds at
 * once, one step at a time, when a report callback is given:
 *
 *     for step = 1 .. num_round:
 *         every fold: one more step, then score its test rows
 *         report(step, mean over folds)  --nonzero-->  stop: HPO_PRUNED
 *
 * so a pruner compares trials at equal budgets, and a stopped trial costs
 * only the rounds it ran.
 *
 * With a cache, each split's hyperparameter-free preparation (scaling and
 * the library's data format) is made once and reused by every trial.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "learner.h"

struct hpo__eval_cache {
    const hpo__learner_type *t;
    const hpo__dataset *d;
    const hpo__folds *folds;
    int no_standardize;
    pthread_mutex_t lock; /* guards prepared[] while splits are prepared */
    void **prepared;      /* per split; NULL until first needed */
};

hpo__eval_cache *hpo__eval_cache_new(const hpo__learner_type *t,
                                     const hpo__dataset *d,
                                     const hpo__folds *folds,
                                     int no_standardize)
{
    hpo__eval_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->prepared = calloc((size_t)(folds->n > 0 ? folds->n : 1),
                         sizeof *c->prepared);
    if (!c->prepared) {
        free(c);
        return NULL;
    }
    c->t = t;
    c->d = d;
    c->folds = folds;
    c->no_standardize = no_standardize;
    pthread_mutex_init(&c->lock, NULL);
    return c;
}

void hpo__eval_cache_free(hpo__eval_cache *c)
{
    if (!c)
        return;
    for (int k = 0; k < c->folds->n; k++)
        if (c->prepared[k] && c->t->free_prepared)
            c->t->free_prepared(c->prepared[k]);
    pthread_mutex_destroy(&c->lock);
    free(c->prepared);
    free(c);
}

static int cache_check(const hpo__eval_cache *c, const hpo__learner_type *t,
                       const hpo__dataset *d, const hpo__folds *folds,
                       const hpo__eval_options *o, hpo__msg *m)
{
    if (c->t != t || c->d != d || c->folds != folds ||
        c->no_standardize != o->no_standardize)
        return hpo__fail(m, HPO_EMISUSE, "the evaluation cache was made for "
                         "another learner, data set, folds or scaling");
    return HPO_OK;
}

/* Split k's preparation, made on first use; NULL (and HPO_OK) for a
 * learner with nothing to prepare. */
static int cache_get(hpo__eval_cache *c, int k, const void **out,
                     hpo__msg *m)
{
    int rc = HPO_OK;
    pthread_mutex_lock(&c->lock);
    if (!c->prepared[k] && c->t->prepare) {
        const hpo__split *s = &c->folds->v[k];
        hpo__fit_input in = {.d = c->d, .rows = s->train,
                             .n_rows = s->n_train,
                             .no_standardize = c->no_standardize,
                             .eval_rows = s->test, .n_eval = s->n_test};
        rc = hpo__learner_prepare(c->t, &in, &c->prepared[k], m);
    }
    *out = c->prepared[k];
    pthread_mutex_unlock(&c->lock);
    return rc;
}

void hpo__eval_result_free(hpo__eval_result *r)
{
    free(r->fold_scores);
    free(r->note);
    memset(r, 0, sizeof *r);
}

/* Can this metric judge this data set's task? */
static int check_metric(hpo__metric metric, const hpo__dataset *d,
                        hpo__msg *m)
{
    int regression = hpo__data_task(d) == HPO__REGRESSION;
    int wants_regression = hpo__metric_output(metric) == HPO__OUTPUT_VALUE;
    if (regression != wants_regression)
        return hpo__fail(m, HPO_EINVAL, "metric '%s' does not apply to %s",
                         hpo__metric_name(metric),
                         regression ? "regression" : "classification");
    return HPO_OK;
}

/* Checkpoints need a learner that keeps them, a report callback (they
 * are trained step by step) and one model: one split. */
static int check_checkpoints(const hpo__learner_type *t,
                             const hpo__folds *folds,
                             const hpo__eval_options *o, hpo__msg *m)
{
    if (!o->checkpoint_in && !o->checkpoint_out)
        return HPO_OK;
    if (!t->save || !t->fit_resume || !t->fidelity || !t->fit_step ||
        !o->report)
        return hpo__fail(m, HPO_EINVAL, "learner '%s' keeps no "
                         "checkpoints", t->name);
    if (folds->n != 1)
        return hpo__fail(m, HPO_EINVAL, "a checkpoint holds one model: it "
                         "needs one split (a hold-out), not %d folds",
                         folds->n);
    return HPO_OK;
}

static int check_folds(const hpo__folds *folds, hpo__msg *m)
{
    if (!folds || folds->n < 1)
        return hpo__fail(m, HPO_EINVAL, "no splits to evaluate on");
    for (int k = 0; k < folds->n; k++)
        if (folds->v[k].n_train < 1 || folds->v[k].n_test < 1)
            return hpo__fail(m, HPO_EINVAL, "split %d has no %s rows", k + 1,
                             folds->v[k].n_train < 1 ? "training" : "test");
    return HPO_OK;
}

/* Largest test set, to size the prediction buffer once. */
static int max_test_rows(const hpo__folds *folds)
{
    int most = 0;
    for (int k = 0; k < folds->n; k++)
        if (folds->v[k].n_test > most)
            most = folds->v[k].n_test;
    return most;
}

/* What fold k's fit gets; its preparation comes from the cache, if any. */
static int fit_input(const hpo__hparams *params, const hpo__dataset *d,
                     const hpo__folds *folds, int k, hpo__metric metric,
                     const hpo__eval_options *o, hpo__fit_input *in,
                     hpo__msg *m)
{
    const hpo__split *s = &folds->v[k];
    *in = (hpo__fit_input){
        .d = d, .rows = s->train, .n_rows = s->n_train, .params = params,
        .output = hpo__metric_output(metric),
        .no_standardize = o->no_standardize,
        .eval_rows = s->test, .n_eval = s->n_test,
    };
    return o->cache ? cache_get(o->cache, k, &in->prepared, m) : HPO_OK;
}

/* Predict a split's test rows with a fitted model and score them. */
static int score_fold(const hpo__learner_type *t, void *model,
                      const hpo__dataset *d, const hpo__split *s,
                      hpo__metric metric, double *pred, double *score,
                      hpo__msg *m)
{
    int rc = hpo__learner_predict(t, model, d, s->test, s->n_test,
                                  hpo__metric_output(metric), pred, m);
    if (rc == HPO_OK)
        *score = hpo__metric_compute(metric, d, s->test, s->n_test, pred);
    return rc;
}

/* Tell the observer, if any, that done of total folds or steps are done;
 * HPO_OK, or the failure "interrupted" when it asks to stop. */
static int tell_progress(const hpo__eval_options *o, int done, int total,
                         int steps, double start, hpo__msg *m)
{
    if (!o->progress)
        return HPO_OK;
    hpo__eval_progress p = {.trial = -1, .done = done, .total = total,
                            .steps = steps,
                            .elapsed_s = hpo__monotonic() - start};
    if (o->progress(&p, o->progress_data))
        return hpo__fail(m, HPO_EFAIL, "interrupted");
    return HPO_OK;
}

/* The learner's note on fold k's model, if it has one and none came
 * before (a note is advice, so running out of memory just drops it). */
static void keep_note(const hpo__learner_type *t, void *model, int k,
                      hpo__eval_result *out)
{
    const char *note = t->note && model && !out->note ? t->note(model)
                                                      : NULL;
    if (note)
        out->note = hpo__asprintf("fold %d: %s", k + 1, note);
}

static double mean_of(const double *v, int n)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += v[i];
    return sum / n;
}

/* Each fold on its own: fit, predict, score. */
static int evaluate_folds(const hpo__learner_type *t,
                          const hpo__hparams *params, const hpo__dataset *d,
                          const hpo__folds *folds, hpo__metric metric,
                          const hpo__eval_options *o, double *pred,
                          hpo__eval_result *out, hpo__msg *m)
{
    double start = hpo__monotonic();
    for (int k = 0; k < folds->n; k++) {
        hpo__fit_input in;
        void *model = NULL;
        int rc = fit_input(params, d, folds, k, metric, o, &in, m);
        if (rc == HPO_OK)
            rc = hpo__learner_fit(t, &in, &model, m);
        if (rc == HPO_OK)
            rc = score_fold(t, model, d, &folds->v[k], metric, pred,
                            &out->fold_scores[k], m);
        keep_note(t, model, k, out);
        t->free_model(model);
        if (rc == HPO_OK)
            rc = tell_progress(o, k + 1, folds->n, 0, start, m);
        if (rc != HPO_OK)
            return rc;
    }
    return HPO_OK;
}

/* All folds together, one step at a time, reporting after each. */
static int evaluate_stepwise(const hpo__learner_type *t,
                             const hpo__hparams *params,
                             const hpo__dataset *d, const hpo__folds *folds,
                             hpo__metric metric, const hpo__eval_options *o,
                             double *pred, hpo__eval_result *out,
                             hpo__msg *m)
{
    int steps, rc;
    double start = hpo__monotonic();
    if ((rc = hpo__learner_int(t, params, t->fidelity, &steps, m)))
        return rc;
    void **models = calloc((size_t)folds->n, sizeof *models);
    if (!models)
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    int done = 0; /* steps of a checkpoint trained on */
    for (int k = 0; k < folds->n && rc == HPO_OK; k++) {
        hpo__fit_input in;
        rc = fit_input(params, d, folds, k, metric, o, &in, m);
        if (rc == HPO_OK && o->checkpoint_in)
            rc = t->fit_resume(&in, o->checkpoint_in, &models[k], &done, m);
        else if (rc == HPO_OK)
            rc = hpo__learner_fit_start(t, &in, &models[k], m);
    }
    for (int step = 1; step <= steps && rc == HPO_OK; step++) {
        for (int k = 0; k < folds->n && rc == HPO_OK; k++) {
            rc = t->fit_step(models[k], m);
            if (rc == HPO_OK)
                rc = score_fold(t, models[k], d, &folds->v[k], metric, pred,
                                &out->fold_scores[k], m);
        }
        if (rc != HPO_OK)
            break;
        out->steps = done + step;
        if (o->report(done + step, mean_of(out->fold_scores, folds->n),
                      o->report_data))
            rc = HPO_PRUNED;
        else
            rc = tell_progress(o, step, steps, 1, start, m);
    }
    if (rc == HPO_OK && o->checkpoint_out)
        rc = t->save(models[0], o->checkpoint_out, m);
    for (int k = 0; k < folds->n; k++) {
        keep_note(t, models[k], k, out);
        t->free_model(models[k]);
    }
    free(models);
    return rc;
}

int hpo__evaluate(const hpo__learner_type *t, const hpo__hparams *params,
                  const hpo__dataset *d, const hpo__folds *folds,
                  hpo__metric metric, const hpo__eval_options *options,
                  hpo__eval_result *out, hpo__msg *m)
{
    static const hpo__eval_options defaults;
    const hpo__eval_options *o = options ? options : &defaults;
    memset(out, 0, sizeof *out);
    int rc;
    if ((rc = hpo__learner_check_params(t, params, hpo__data_task(d), m)) ||
        (rc = check_metric(metric, d, m)) || (rc = check_folds(folds, m)) ||
        (rc = check_checkpoints(t, folds, o, m)) ||
        (o->cache && (rc = cache_check(o->cache, t, d, folds, o, m))))
        return rc;
    int stepwise = t->fidelity && t->fit_start && t->fit_step && o->report;
    out->n_folds = folds->n;
    out->fold_scores = calloc((size_t)folds->n, sizeof *out->fold_scores);
    double *pred = malloc((size_t)max_test_rows(folds) *
                          hpo__output_width(hpo__metric_output(metric), d) *
                          sizeof *pred);
    if (!out->fold_scores || !pred) {
        free(pred);
        hpo__eval_result_free(out);
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    }
    if (stepwise) {
        rc = evaluate_stepwise(t, params, d, folds, metric, o, pred, out, m);
    } else {
        rc = evaluate_folds(t, params, d, folds, metric, o, pred, out, m);
        if (rc == HPO_OK && t->fidelity)
            rc = hpo__learner_int(t, params, t->fidelity, &out->steps, m);
    }
    free(pred);
    if (rc != HPO_OK && rc != HPO_PRUNED) {
        hpo__eval_result_free(out);
        return rc;
    }
    out->mean = mean_of(out->fold_scores, folds->n);
    return rc;
}
