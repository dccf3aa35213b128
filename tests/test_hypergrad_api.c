/*
 * test_hypergrad_api.c — the hypergradient optimizer through the public
 * call hpo_study_hypergrad (include/hpo.h): on ridge_diabetes it ends
 * below its start point's validation loss, every outer step is a COMPLETE
 * trial with the hyperparameters as float-log parameters, and the best
 * trial's parameters are the result's; the SGD path (linear, mlp) runs a
 * tiny configuration through the same call; progress and notes come
 * through the callback; bad input is refused with HPO_EINVAL (HPO_EIO for
 * a file that cannot be read) and a message, before anything is stored.
 */
#include <math.h>

#include "check.h"
#include "hpo.h"

static const char *data_dir(void)
{
    const char *dir = getenv("HPO_DATA_DIR");
    return dir && *dir ? dir : HPO_SOURCE_DIR "/../shared/data";
}

static char diabetes[4200], digits[4200];

static hpo_study *open_study(const char *name)
{
    hpo_study *s = hpo_study_new();
    CHECK_RC(hpo_study_open(s, name, HPO_OPEN_CREATE), HPO_OK);
    return s;
}

static int n_trials(hpo_study *s)
{
    hpo_trial **ts;
    int n = -1;
    if (hpo_study_trials(s, &ts, &n) != HPO_OK)
        return -1;
    hpo_trials_free(ts, n);
    return n;
}

typedef struct seen {
    int steps, notes, last_step, n_steps;
    double first_val;
    char first_name[64];
} seen;

static void on_progress(const hpo_hypergrad_progress *p, void *data)
{
    seen *s = data;
    if (p->note) {
        s->notes++;
        return;
    }
    if (s->steps++ == 0) {
        s->first_val = p->val_loss;
        snprintf(s->first_name, sizeof s->first_name, "%s", p->names[0]);
    }
    s->last_step = p->step;
    s->n_steps = p->n_steps;
}

/* Every trial COMPLETE, its value the step's validation loss, each
 * hyperparameter a float-log parameter inside its bounds. */
static void check_trials(hpo_study *s, const hpo_hypergrad_result *r)
{
    hpo_trial **ts;
    int n = 0;
    CHECK_RC(hpo_study_trials(s, &ts, &n), HPO_OK);
    CHECK(n == r->n_steps);
    for (int t = 0; t < n; t++) {
        CHECK(hpo_trial_state_of(ts[t]) == HPO_COMPLETE);
        CHECK(isfinite(hpo_trial_value(ts[t], 0)));
        CHECK(hpo_trial_value(ts[t], 0) >= r->val_loss);
        CHECK(hpo_trial_n_params(ts[t]) == r->n_hyper);
        for (int i = 0; i < hpo_trial_n_params(ts[t]); i++) {
            CHECK(hpo_trial_param_kind(ts[t], i) == HPO_PARAM_FLOAT);
            CHECK_STR_CONTAINS(hpo_trial_param_distribution(ts[t], i),
                               "\"log\":true");
        }
        CHECK(hpo_trial_user_attr(ts[t], "test_loss") != NULL);
    }
    hpo_trials_free(ts, n);
}

/* The best trial's parameters are the result's best point. */
static void check_best(hpo_study *s, const hpo_hypergrad_result *r)
{
    hpo_trial *best = NULL;
    CHECK_RC(hpo_study_best_trial(s, &best), HPO_OK);
    if (!best)
        return;
    CHECK(hpo_trial_value(best, 0) == r->val_loss);
    for (int i = 0; i < r->n_hyper; i++) {
        double v = NAN;
        CHECK(hpo_trial_param(best, r->names[i], &v) == 1);
        CHECK_NEAR(v, r->best[i], 1e-12 * fabs(r->best[i]));
    }
    hpo_trial_free(best);
}

/* The defaults with a model, its data and a number of steps. */
static hpo_hypergrad_options options(const char *model, const char *data,
                                     int steps)
{
    hpo_hypergrad_options o;
    hpo_hypergrad_options_default(&o);
    o.model = model;
    o.data_path = data;
    o.steps = steps;
    return o;
}

static void test_ridge_descends_and_stores_steps(void)
{
    hpo_study *s = open_study("ridge");
    hpo_hypergrad_options o = options("ridge", diabetes, 8);
    o.per_feature = 1;
    seen sn = {0};
    o.progress = on_progress;
    o.progress_data = &sn;
    hpo_hypergrad_result r;
    CHECK_RC(hpo_study_hypergrad(s, &o, &r), HPO_OK);
    CHECK(r.n_steps == 8 && r.fits == 8);
    CHECK(r.n_hyper == 10); /* one lambda per feature of diabetes */
    CHECK(r.n_features == 10 && r.n_train + r.n_val + r.n_test == 442);
    CHECK(isfinite(r.test_loss) && isnan(r.val_metric));
    /* the first step is the start point (lambda 1): the descent beats it */
    CHECK(sn.steps == 8 && sn.last_step == 8 && sn.n_steps == 8);
    CHECK(r.val_loss < sn.first_val);
    CHECK(strncmp(sn.first_name, "lambda_", 7) == 0);
    CHECK(r.names && strncmp(r.names[0], "lambda_", 7) == 0);
    for (int i = 0; i < r.n_hyper; i++)
        CHECK(r.best[i] >= 1e-6 && r.best[i] <= 1e3);
    check_trials(s, &r);
    check_best(s, &r);
    hpo_hypergrad_result_free(&r);
    CHECK(r.names == NULL && r.best == NULL && r.n_hyper == 0);
    hpo_hypergrad_result_free(&r); /* twice is fine */
    hpo_study_free(s);
}

/* Adam and the CG solver through the options' texts; r may be NULL. */
static void test_adam_cg_one_lambda(void)
{
    hpo_study *s = open_study("adam");
    hpo_hypergrad_options o = options("ridge", diabetes, 5);
    o.method = "adam";
    o.solver = "cg";
    CHECK_RC(hpo_study_hypergrad(s, &o, NULL), HPO_OK);
    CHECK(n_trials(s) == 5);
    hpo_study_free(s);
}

static void test_sgd_models_tiny(void)
{
    const char *models[] = {"linear", "mlp"};
    for (int k = 0; k < 2; k++) {
        hpo_study *s = open_study(models[k]);
        hpo_hypergrad_options o = options(models[k], digits, 2);
        o.epochs = 2;
        o.hidden = 8;
        o.batch = 64;
        o.method = "adam";
        hpo_hypergrad_result r;
        CHECK_RC(hpo_study_hypergrad(s, &o, &r), HPO_OK);
        CHECK(r.n_steps == 2);
        CHECK(r.n_hyper == 2); /* one learning rate per epoch */
        CHECK(r.names && strcmp(r.names[0], "lr_1") == 0);
        CHECK(isfinite(r.val_loss) && r.val_metric >= 0 &&
              r.val_metric <= 1);
        check_trials(s, &r);
        hpo_hypergrad_result_free(&r);
        hpo_study_free(s);
    }
    /* a constant schedule of two kinds: two hyperparameters */
    hpo_study *s = open_study("constant");
    hpo_hypergrad_options o = options("linear", digits, 1);
    o.epochs = 1;
    o.schedule = "constant";
    o.tune = "lr,momentum";
    hpo_hypergrad_result r;
    CHECK_RC(hpo_study_hypergrad(s, &o, &r), HPO_OK);
    CHECK(r.n_hyper == 2 && r.names && strcmp(r.names[0], "lr") == 0 &&
          strcmp(r.names[1], "momentum") == 0);
    hpo_hypergrad_result_free(&r);
    hpo_study_free(s);
}

/* Refused with code and a message containing `why`; nothing stored. */
static void expect_refused(const hpo_hypergrad_options *o, int code,
                           const char *why)
{
    hpo_study *s = open_study("bad");
    hpo_hypergrad_result r;
    CHECK_RC(hpo_study_hypergrad(s, o, &r), code);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), why);
    CHECK(r.n_steps == 0 && r.names == NULL && r.best == NULL);
    CHECK(n_trials(s) == 0);
    hpo_hypergrad_result_free(&r);
    hpo_study_free(s);
}

static void test_bad_input(void)
{
    hpo_hypergrad_options o = options("ridge", diabetes, 30);
    expect_refused(NULL, HPO_EINVAL, "no options");

    o.model = "ridg";
    expect_refused(&o, HPO_EINVAL, "unknown model 'ridg'");
    o.model = NULL;
    expect_refused(&o, HPO_EINVAL, "unknown model '(none)'");
    o.model = "ridge";

    o.data_path = "/nonexistent/diabetes.csv";
    expect_refused(&o, HPO_EIO, "/nonexistent/diabetes.csv");
    o.data_path = NULL;
    expect_refused(&o, HPO_EINVAL, "no data_path");
    o.data_path = diabetes;

    o.model = "krr";
    o.per_feature = 1;
    expect_refused(&o, HPO_EINVAL, "krr: --per-feature is not supported");
    o.model = "ridge";
    o.per_feature = 0;

    o.steps = 0;
    expect_refused(&o, HPO_EINVAL, "steps must be >= 1 (got 0)");
    o.steps = -3;
    expect_refused(&o, HPO_EINVAL, "steps must be >= 1 (got -3)");
    o.steps = 30;

    o.method = "sgd";
    expect_refused(&o, HPO_EINVAL, "method: 'sgd' is not adam or lbfgs");
    o.method = NULL;
    o.solver = "lu";
    expect_refused(&o, HPO_EINVAL, "solver: unknown solver 'lu'");
    o.solver = NULL;
    o.step_size = 0;
    expect_refused(&o, HPO_EINVAL, "step_size must be a number > 0");
    o.step_size = 0.3;
    o.tol0 = NAN;
    expect_refused(&o, HPO_EINVAL, "tol0 must be a number >= 0");
    o.tol0 = 1e-6;

    o.model = "logistic"; /* diabetes' target is a regression target */
    expect_refused(&o, HPO_EINVAL, "regression or two classes");

    o.model = "mlp";
    o.data_path = digits;
    o.tune = "lr,beta";
    expect_refused(&o, HPO_EINVAL, "tune: 'beta' is not lr, momentum or "
                   "weight_decay");
    o.tune = NULL;
    o.schedule = "cosine";
    expect_refused(&o, HPO_EINVAL, "schedule: 'cosine' is not per-epoch or "
                   "constant");
    o.schedule = NULL;
    o.epochs = 0;
    expect_refused(&o, HPO_EINVAL, "epochs, batch and hidden must be >= 1");
    o.epochs = 20;
    o.truncate = -1;
    expect_refused(&o, HPO_EINVAL, "truncate must be >= 0");
}

static void test_bad_study(void)
{
    hpo_hypergrad_options o = options("ridge", diabetes, 30);
    hpo_hypergrad_result r;
    CHECK_RC(hpo_study_hypergrad(NULL, &o, &r), HPO_EINVAL);
    CHECK(r.n_steps == 0 && r.names == NULL);

    hpo_study *s = hpo_study_new(); /* not open */
    CHECK_RC(hpo_study_hypergrad(s, &o, &r), HPO_EMISUSE);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "open the study first");
    hpo_study_free(s);

    s = hpo_study_new();
    CHECK_RC(hpo_study_add_direction(s, HPO_MAXIMIZE), HPO_OK);
    CHECK_RC(hpo_study_open(s, "max", HPO_OPEN_CREATE), HPO_OK);
    CHECK_RC(hpo_study_hypergrad(s, &o, &r), HPO_EINVAL);
    CHECK_STR_CONTAINS(hpo_study_errmsg(s), "one objective, minimized");
    CHECK(n_trials(s) == 0);
    hpo_study_free(s);
}

int main(void)
{
    snprintf(diabetes, sizeof diabetes, "%s/diabetes.csv", data_dir());
    snprintf(digits, sizeof digits, "%s/digits.csv", data_dir());
    FILE *f = fopen(diabetes, "r");
    if (!f) {
        fprintf(stderr, "test_hypergrad_api: %s is not readable (set "
                "HPO_DATA_DIR to the directory of diabetes.csv)\n", diabetes);
        return 1;
    }
    fclose(f);
    RUN(test_ridge_descends_and_stores_steps);
    RUN(test_adam_cg_one_lambda);
    RUN(test_sgd_models_tiny);
    RUN(test_bad_input);
    RUN(test_bad_study);
    return CHECK_DONE();
}
