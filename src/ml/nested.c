/*
 * nested.c — tuning a learner with an hpo study, and nested
 * cross-validation (Varma & Simon, "Bias in error estimation when using
 * cross-validation for model selection", BMC Bioinformatics 2006; Cawley &
 * Talbot, "On over-fitting in model selection and subsequent selection
 * bias in performance evaluation", JMLR 2010).
 *
 * The best inner CV score of a study is a biased estimate: it is the
 * minimum of many noisy scores on the same folds.  Nested CV keeps an
 * outer test fold away from the whole selection (every trial of its inner
 * study), refits the chosen configuration on the outer training rows and
 * scores it on the outer test rows; the mean of those outer scores is the
 * nearly unbiased estimate, and its distance to the mean inner best is the
 * optimism of the tuned score.
 *
 * Deliberate choices:
 *   1. The inner folds are split from the outer training rows only
 *      (hpo__cv_split with rows = outer train), with the same folds seed
 *      as the outer split; the folds depend on the set of rows and the
 *      seed (cv.c), so a run is reproducible.
 *   2. Each inner study is a real study (memory, or the given storage as
 *      NAME-fold-I), so it can be inspected with `hpo trials` afterwards.
 *      Its seed, when given, is seed + fold index: the folds' searches are
 *      different draws, as independent repetitions should be.
 *   3. The refit standardizes features from the outer training rows only
 *      (inside hpo__learner_fit, learner.h rule 4).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "learner.h"

/* ---- the objective of an ML study ------------------------------------- */

int hpo__hparams_from_trial(hpo__hparams *p, const hpo_trial *trial,
                            const hpo__hparams *fixed)
{
    for (int i = 0; fixed && i < fixed->n; i++)
        if (hpo__hparams_set_text(p, fixed->v[i].name, fixed->v[i].text))
            return HPO_ENOMEM;
    int n = hpo_trial_n_params(trial);
    for (int i = 0; i < n; i++) {
        const char *text = hpo_trial_param_text(trial, i);
        if (!text ||
            hpo__hparams_set_text(p, hpo_trial_param_name(trial, i), text))
            return HPO_ENOMEM;
    }
    return HPO_OK;
}

/* Each step's mean score goes to the trial; the pruner may stop it. */
static int report_to_trial(int step, double value, void *data)
{
    hpo_trial *trial = data;
    if (hpo_trial_report(trial, step, value) != HPO_OK)
        return 0; /* a report lost is no reason to stop the trial */
    return hpo_trial_should_prune(trial) == 1;
}

/* The failure's reason where the CLI's progress and `hpo trials` show it. */
static void keep_attr(hpo_trial *trial, const char *key, const char *why)
{
    cJSON *text = cJSON_CreateString(why);
    char *json = text ? cJSON_PrintUnformatted(text) : NULL;
    if (json)
        hpo_trial_set_user_attr(trial, key, json);
    free(json);
    cJSON_Delete(text);
}

static void keep_reason(hpo_trial *trial, const char *why)
{
    keep_attr(trial, "fail_reason", why);
}

/* The evaluation's progress, with the trial's number, to the objective's
 * observer. */
typedef struct progress_relay {
    const hpo__ml_objective *ob;
    int trial;
} progress_relay;

static int relay_progress(const hpo__eval_progress *p, void *data)
{
    const progress_relay *r = data;
    hpo__eval_progress q = *p;
    q.trial = r->trial;
    return r->ob->progress(&q, r->ob->progress_data);
}

int hpo__ml_objective_run(hpo_trial *trial, void *data, double *values)
{
    const hpo__ml_objective *ob = data;
    hpo__hparams params = {0};
    hpo__eval_result r = {0};
    hpo__msg m = {0};
    int rc = hpo_trial_suggest_all(trial);
    if (rc != HPO_OK) {
        keep_reason(trial, hpo_trial_errmsg(trial));
        return rc;
    }
    if ((rc = hpo__hparams_from_trial(&params, trial, ob->fixed))) {
        keep_reason(trial, "out of memory");
        hpo__hparams_free(&params);
        return rc;
    }
    hpo__eval_options eo = {.cache = ob->cache};
    progress_relay relay = {ob, hpo_trial_number(trial)};
    if (ob->progress) {
        eo.progress = relay_progress;
        eo.progress_data = &relay;
    }
    if (ob->t->fidelity) {
        eo.report = report_to_trial;
        eo.report_data = trial;
    }
    rc = hpo__evaluate(ob->t, &params, ob->d, ob->folds, ob->metric, &eo, &r,
                       &m);
    if (rc == HPO_OK)
        values[0] = r.mean;
    /* The learner's note (a diverged mlp) beside the score. */
    if ((rc == HPO_OK || rc == HPO_PRUNED) && r.note)
        keep_attr(trial, "note", r.note);
    if (rc != HPO_OK && rc != HPO_PRUNED)
        keep_reason(trial, hpo__msg_get(&m));
    if (rc == HPO_OK || rc == HPO_PRUNED)
        hpo__eval_result_free(&r);
    hpo__hparams_free(&params);
    hpo__msg_free(&m);
    return rc;
}

/* ---- nested cross-validation -------------------------------------------- */

void hpo__nested_result_free(hpo__nested_result *r)
{
    for (int i = 0; r->folds && i < r->n_folds; i++)
        hpo__hparams_free(&r->folds[i].chosen);
    free(r->folds);
    memset(r, 0, sizeof *r);
}

static hpo__cv_spec fold_spec(const hpo__dataset *d, int k, uint64_t seed)
{
    hpo__cv_spec spec = {.kind = d->n_classes > 0 ? HPO__CV_STRATIFIED
                                                  : HPO__CV_KFOLD,
                         .k = k, .seed = seed};
    return spec;
}

/* A configured, opened inner study for outer fold i. */
static int open_inner_study(const hpo__nested_options *o,
                            const hpo_space *space, int i, hpo_study **out,
                            hpo__msg *m)
{
    hpo_study *s = hpo_study_new();
    *out = s;
    if (!s)
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    int rc = HPO_OK;
    const char *what = "the storage";
    if (o->storage)
        rc = hpo_study_set_storage(s, o->storage);
    if (rc == HPO_OK && hpo__metric_maximize(o->metric))
        rc = hpo_study_add_direction(s, HPO_MAXIMIZE);
    if (rc == HPO_OK && o->sampler)
        what = "the sampler", rc = hpo_study_set_sampler(s, o->sampler);
    if (rc == HPO_OK && o->pruner)
        what = "the pruner", rc = hpo_study_set_pruner(s, o->pruner);
    if (rc == HPO_OK && o->have_seed)
        what = "the seed", rc = hpo_study_set_seed(s, o->seed + (uint64_t)i);
    if (rc == HPO_OK)
        what = "the search space", rc = hpo_study_set_space(s, space);
    if (rc != HPO_OK)
        return hpo__fail(m, rc, "%s: %s", what, hpo_study_errmsg(s));
    char *name = o->storage
                     ? hpo__asprintf("%s-fold-%d",
                                     o->study_name ? o->study_name : "nested",
                                     i + 1)
                     : hpo__asprintf("nested-fold-%d", i + 1);
    if (!name)
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    rc = hpo_study_open(s, name, HPO_OPEN_CREATE);
    if (rc != HPO_OK)
        hpo__fail(m, rc, "study '%s': %s", name, hpo_study_errmsg(s));
    free(name);
    return rc;
}

/* "no inner trial completed", with the first failed trial's reason (all
 * trials usually fail alike: a misspelled hyperparameter). */
static void why_none_completed(hpo_study *study, hpo__msg *m)
{
    hpo_trial **trials = NULL;
    int n = 0;
    const char *why = NULL;
    if (hpo_study_trials(study, &trials, &n) == HPO_OK)
        for (int i = 0; i < n && !why; i++)
            why = hpo_trial_user_attr(trials[i], "fail_reason");
    cJSON *text = why ? cJSON_Parse(why) : NULL;
    if (cJSON_IsString(text))
        hpo__fail(m, HPO_ENOTFOUND, "no inner trial completed: %s",
                  text->valuestring);
    else
        hpo__fail(m, HPO_ENOTFOUND, "no inner trial completed");
    cJSON_Delete(text);
    hpo_trials_free(trials, n);
}

/* Run the inner study on the folds of the outer training rows; the best
 * trial's score and hyperparameters go to *f. */
static int tune_inner(const hpo__learner_type *t, const hpo__dataset *d,
                      const hpo__nested_options *o, const hpo_space *space,
                      int i, const hpo__split *outer, hpo__nested_fold *f,
                      hpo__msg *m)
{
    hpo__folds inner = {0};
    hpo__cv_spec spec = fold_spec(d, o->inner_k, o->folds_seed);
    hpo_study *study = NULL;
    hpo__eval_cache *cache = NULL;
    hpo_trial *best = NULL;
    int rc = hpo__cv_split(d, outer->train, outer->n_train, &spec, &inner, m);
    if (rc == HPO_OK)
        rc = open_inner_study(o, space, i, &study, m);
    if (rc == HPO_OK && !(cache = hpo__eval_cache_new(t, d, &inner, 0)))
        rc = hpo__fail(m, HPO_ENOMEM, "out of memory");
    if (rc == HPO_OK) {
        hpo__ml_objective ob = {.t = t, .d = d, .folds = &inner,
                                .metric = o->metric, .fixed = o->fixed,
                                .cache = cache, .progress = o->progress,
                                .progress_data = o->data};
        hpo_optimize_options oo = {.n_trials = o->n_trials,
                                   .n_jobs = o->n_jobs,
                                   .callback = o->on_trial,
                                   .callback_data = o->data};
        if (o->on_study)
            o->on_study(i, study, o->data);
        rc = hpo_study_optimize(study, hpo__ml_objective_run, &ob, &oo);
        if (rc < 0)
            hpo__fail(m, rc, "%s", hpo_study_errmsg(study));
        if (o->on_study)
            o->on_study(i, NULL, o->data);
    }
    if (rc >= 0) {
        rc = hpo_study_best_trial(study, &best);
        if (rc == HPO_ENOTFOUND)
            why_none_completed(study, m);
        else if (rc != HPO_OK)
            hpo__fail(m, rc, "%s", hpo_study_errmsg(study));
    }
    if (rc == HPO_OK) {
        int counts[5] = {0};
        hpo_study_count_trials(study, counts);
        f->n_complete = counts[HPO_COMPLETE];
        f->inner_best = hpo_trial_value(best, 0);
        f->best_trial = hpo_trial_number(best);
        rc = hpo__hparams_from_trial(&f->chosen, best, o->fixed);
        if (rc != HPO_OK)
            hpo__fail(m, rc, "out of memory");
    }
    hpo_trial_free(best);
    hpo__eval_cache_free(cache);
    hpo_study_free(study);
    hpo__folds_free(&inner);
    return rc;
}

/* Refit the chosen configuration on the outer training rows and score it
 * on the outer test rows. */
static int refit_and_score(const hpo__learner_type *t, const hpo__dataset *d,
                           hpo__metric metric, const hpo__split *outer,
                           hpo__nested_fold *f, hpo__msg *m)
{
    hpo__output output = hpo__metric_output(metric);
    hpo__fit_input in = {.d = d, .rows = outer->train,
                         .n_rows = outer->n_train, .params = &f->chosen,
                         .output = output, .eval_rows = outer->test,
                         .n_eval = outer->n_test};
    void *model = NULL;
    double *pred = malloc((size_t)outer->n_test *
                          hpo__output_width(output, d) * sizeof *pred);
    if (!pred)
        return hpo__fail(m, HPO_ENOMEM, "out of memory");
    int rc = hpo__learner_fit(t, &in, &model, m);
    if (rc == HPO_OK)
        rc = hpo__learner_predict(t, model, d, outer->test, outer->n_test,
                                  output, pred, m);
    if (rc == HPO_OK)
        f->outer_score = hpo__metric_compute(metric, d, outer->test,
                                             outer->n_test, pred);
    if (model)
        t->free_model(model);
    free(pred);
    return rc;
}

static int check_options(const hpo__nested_options *o, hpo__msg *m)
{
    if (o->outer_k < 2 || o->inner_k < 2)
        return hpo__fail(m, HPO_EINVAL, "nested CV needs at least 2 outer "
                         "and 2 inner folds (got %d and %d)", o->outer_k,
                         o->inner_k);
    if (o->n_trials < 1)
        return hpo__fail(m, HPO_EINVAL, "nested CV needs at least one trial "
                         "per inner study");
    return HPO_OK;
}

/* Means, spread and gap over the folds. */
static void summarize(hpo__nested_result *r)
{
    double so = 0, si = 0, ss = 0;
    for (int i = 0; i < r->n_folds; i++) {
        so += r->folds[i].outer_score;
        si += r->folds[i].inner_best;
    }
    r->mean_outer = so / r->n_folds;
    r->mean_inner = si / r->n_folds;
    for (int i = 0; i < r->n_folds; i++) {
        double dv = r->folds[i].outer_score - r->mean_outer;
        ss += dv * dv;
    }
    r->sd_outer = r->n_folds > 1 ? sqrt(ss / (r->n_folds - 1)) : 0;
    r->gap = r->maximize ? r->mean_inner - r->mean_outer
                         : r->mean_outer - r->mean_inner;
}

/* One outer fold: the inner study, then the refit and its score. */
static int run_fold(const hpo__learner_type *t, const hpo__dataset *d,
                    const hpo__nested_options *o, const hpo_space *space,
                    int i, const hpo__split *outer, hpo__nested_fold *f,
                    hpo__msg *m)
{
    double start = hpo__monotonic();
    f->n_train = outer->n_train;
    f->n_test = outer->n_test;
    if (o->on_phase)
        o->on_phase(i, HPO__NESTED_INNER, outer, o->data);
    int rc = tune_inner(t, d, o, space, i, outer, f, m);
    if (rc == HPO_OK && o->on_phase)
        o->on_phase(i, HPO__NESTED_REFIT, outer, o->data);
    if (rc == HPO_OK)
        rc = refit_and_score(t, d, o->metric, outer, f, m);
    f->seconds = hpo__monotonic() - start;
    if (rc != HPO_OK) {
        char *why = hpo__strdup(hpo__msg_get(m));
        hpo__fail(m, rc, "outer fold %d: %s", i + 1, why ? why : "");
        free(why);
    }
    return rc;
}

int hpo__nested_cv(const hpo__learner_type *t, const hpo__dataset *d,
                   const hpo__nested_options *o, hpo__nested_result *out,
                   hpo__msg *m)
{
    memset(out, 0, sizeof *out);
    hpo__folds outer = {0};
    hpo_space *own_space = NULL;
    const hpo_space *space = o->space;
    hpo__cv_spec spec = fold_spec(d, o->outer_k, o->folds_seed);
    int rc = check_options(o, m);
    if (rc == HPO_OK && !space) {
        if (!(own_space = hpo_space_new()))
            rc = hpo__fail(m, HPO_ENOMEM, "out of memory");
        else
            rc = hpo__learner_default_space(t, hpo__data_task(d), own_space,
                                            m);
        space = own_space;
    }
    if (rc == HPO_OK)
        rc = hpo__cv_split(d, NULL, 0, &spec, &outer, m);
    if (rc == HPO_OK &&
        !(out->folds = calloc((size_t)outer.n, sizeof *out->folds)))
        rc = hpo__fail(m, HPO_ENOMEM, "out of memory");
    out->n_folds = rc == HPO_OK ? outer.n : 0;
    out->maximize = hpo__metric_maximize(o->metric);
    for (int i = 0; rc == HPO_OK && i < outer.n; i++) {
        if (o->should_stop && o->should_stop(o->data)) {
            rc = hpo__fail(m, HPO_STOPPED, "interrupted after %d of %d "
                           "outer folds", i, outer.n);
            break;
        }
        rc = run_fold(t, d, o, space, i, &outer.v[i], &out->folds[i], m);
        if (rc == HPO_OK && o->on_fold)
            o->on_fold(i, &out->folds[i], o->data);
    }
    if (rc == HPO_OK)
        summarize(out);
    else
        hpo__nested_result_free(out);
    hpo__folds_free(&outer);
    hpo_space_free(own_space);
    return rc;
}
