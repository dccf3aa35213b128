/*
 * tune_model.c — `hpo tune-model MODEL --data FILE [options]`: tune a
 * learner in-process.  Each trial suggests the search space (the
 * learner's default, or --space/--param/--set) and cross-validates the
 * configuration on folds fixed once for the whole study, with one
 * evaluation cache (each fold's scaling and data conversion made once);
 * XGBoost reports every boosting round to the trial, so --pruner median
 * stops poor trials early.
 *
 * The study is an ordinary one (--storage, --study, samplers, pruners,
 * seeds, heartbeats, --jobs threads): `hpo best` and `hpo trials` read it.
 * What it tunes — model, data, task, metric, folds, fixed values, space —
 * is stored with the study (system attribute "hpo:model"); going on with
 * the study needs the same, unless --force.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "cli.h"
#include "ml_args.h"

#if HPO_HAVE_ML

#include <cJSON.h>

#include "core/json.h"
#include "interrupt.h"
#include "logging.h"
#include "progress.h"
#include "progress_ml.h"
#include "setup.h"
#include "study_config.h"

#define CMD "tune-model"
#define DEFAULT_TRIALS 100
#define MODEL_ATTR "hpo:model"

enum { OPT_FORCE = 1, OPT_HELP };

static const cli_option tm_options[] = {
    ML_DATA_OPTIONS,
    ML_STUDY_OPTIONS,
    {"timeout", 0, 1, CLI_OPT_TIMEOUT},
    CLI_RESOURCE_OPTIONS,
    SETUP_LIVENESS_OPTIONS,
    {"force", 0, 0, OPT_FORCE},
    {"help", 'h', 0, OPT_HELP},
    {0},
};

static void tm_help(FILE *out, const char *model)
{
    fprintf(out,
"usage: hpo tune-model MODEL --data FILE [options]\n"
"\n"
"Tune MODEL's hyperparameters on FILE in-process: every trial is scored by\n"
"cross-validation on the same folds.  The default search space is the\n"
"model's (svm: C = 2^a, a in [-5, 15], gamma = 2^b, b in [-15, 3]).\n"
"\n"
"The data and the score:\n"
ML_DATA_HELP
"The search space:\n"
ML_SPACE_HELP
"The run (as hpo tune):\n"
"  -n, --trials N          run N trials (default %d unless --timeout or\n"
"                          --budget-resource)\n"
"      --timeout T         start no trial after T (seconds, or 30s, 10m, 2h)\n"
CLI_RESOURCE_HELP
"                          (xgboost: a boosting round is one unit; mlp:\n"
"                          an epoch)\n"
"  -j, --jobs N            run N trials at once, on threads\n"
"      --sampler NAME[:k=v,...]   the sampler (default: auto)\n"
"      --pruner NAME[:k=v,...]    the pruner (xgboost reports every round,\n"
"                          mlp every epoch; default for them: auto, else\n"
"                          none)\n"
"      --seed N            seed the sampler\n"
"      --storage URL       memory:, sqlite:///FILE.db, postgresql://...\n"
"                          (default $HPO_STORAGE, else %s)\n"
"      --study NAME        load or create this study (default: a new\n"
"                          MODEL-YYYYMMDD-HHMMSS)\n"
"      --force             go on with a study that tuned something else\n"
"      --heartbeat S, --grace S, --retry-failed N   as hpo tune\n"
CLI_LOG_HELP
"\n"
"Models:\n", DEFAULT_TRIALS, CLI_DEFAULT_STORAGE);
    ml_print_learners(out);
    if (!model || ml_print_learner_params(out, model) != 0)
        fprintf(out, "'hpo tune-model MODEL --help' lists a model's "
                "hyperparameters.\n");
    fprintf(out, "Samplers:\n");
    cli_list_registry(out, 0, 0);
    fprintf(out, "Pruners:\n");
    cli_list_registry(out, 1, 0);
    fprintf(out,
"\n"
"Example:\n"
"  hpo tune-model svm --data ../shared/data/breast_cancer.csv -n 50 \\\n"
"      --storage sqlite:///svm.db --study svm\n"
"\n"
"Exit status: 0 done, 1 every trial failed or a runtime error, 2 bad usage\n"
"(an unknown model, option, hyperparameter, metric or space, a data file\n"
"that cannot be read), 130 interrupted (143 on SIGTERM).  Ctrl-C lets the\n"
"running trials finish (a second Ctrl-C stops them; they fail as\n"
"interrupted); every finished trial is kept.\n");
}

typedef struct tm_opts {
    ml_data_opts data;
    ml_study_opts study;
    setup_liveness liveness;
    int force;
} tm_opts;

static void tm_opts_free(tm_opts *o)
{
    ml_space_opts_free(&o->study.space);
}

static int take_option(void *opts, int id, const char *v)
{
    tm_opts *o = opts;
    if (setup_is_liveness_option(id))
        return setup_take_liveness(CMD, id, v, &o->liveness);
    switch (id) {
    case OPT_FORCE:
        o->force = 1;
        return 0;
    }
    return ml_take_option(CMD, id, v, &o->data, &o->study);
}

static const ml_command tm_command = {CMD, tm_options, OPT_HELP, take_option,
                                      tm_help};

/* ---- the study ---------------------------------------------------------------- */

/* Directions, sampler, pruner, space and liveness through the helpers
 * hpo tune uses; then the seed. */
static int configure(const tm_opts *o, const ml_problem *p,
                     const hpo_space *space, hpo_study *s)
{
    const cli_run_opts *run = &o->study.run;
    study_config c = {.n_directions = 1,
                      .directions = {hpo__metric_maximize(p->metric)
                                         ? HPO_MAXIMIZE : HPO_MINIMIZE},
                      /* auto picks GP for the learners' small spaces */
                      .sampler = (char *)(run->sampler ? run->sampler
                                                       : "auto"),
                      /* learners that report round by round (xgboost)
                       * are stopped early by hpo's measured default */
                      .pruner = (char *)(run->pruner ? run->pruner
                                         : p->t->fidelity ? "auto" : NULL)};
    int rc = setup_apply_liveness(CMD, &o->liveness, &c);
    if (!rc)
        rc = setup_configure_study(CMD, s, &c, space, 0);
    if (!rc && run->have_seed && hpo_study_set_seed(s, run->seed) != HPO_OK) {
        cli_error(CMD, "--seed: %s", hpo_study_errmsg(s));
        rc = CLI_EXIT_USAGE;
    }
    return rc;
}

static int open_study(const tm_opts *o, const ml_problem *p, hpo_study *s)
{
    int rc;
    char name[128];
    if (o->study.run.study_name) {
        snprintf(name, sizeof name, "%s", o->study.run.study_name);
        rc = hpo_study_open(s, name, HPO_OPEN_CREATE | HPO_OPEN_LOAD);
    } else {
        char base[96];
        time_t now = time(NULL);
        char stamp[32];
        strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", localtime(&now));
        snprintf(base, sizeof base, "%s-%s", p->t->name, stamp);
        snprintf(name, sizeof name, "%s", base);
        rc = hpo_study_open(s, name, HPO_OPEN_CREATE);
        for (int k = 2; rc == HPO_EEXIST && k < 1000; k++) {
            snprintf(name, sizeof name, "%s-%d", base, k);
            rc = hpo_study_open(s, name, HPO_OPEN_CREATE);
        }
    }
    if (rc == HPO_OK)
        return 0;
    cli_error(CMD, "--study '%s': %s", name, hpo_study_errmsg(s));
    return rc == HPO_EINCOMPAT || rc == HPO_EINVAL ? CLI_EXIT_USAGE
                                                   : CLI_EXIT_FAILED;
}

/* What this run tunes, as the JSON text kept in MODEL_ATTR. */
/* --missing and --categorical change the data: kept with the study when
 * not the defaults (so studies made before they existed still match). */
static int data_options(cJSON *j, const ml_data_opts *o)
{
    return (o->missing == HPO__MISSING_ERROR ||
            cJSON_AddStringToObject(j, "missing", hpo__missing_name(o->missing))) &&
           (o->categorical == HPO__CATEGORICAL_ONEHOT ||
            cJSON_AddStringToObject(j, "categorical", "error"));
}

static char *what_is_tuned(const tm_opts *o, const ml_problem *p,
                           const hpo_space *space)
{
    char folds[64], real[PATH_MAX];
    ml_folds_text(&p->spec, folds, sizeof folds);
    cJSON *j = cJSON_CreateObject();
    cJSON *fixed = cJSON_CreateObject();
    char *space_json = hpo_space_to_json(space);
    /* Each part checked: a part missing (out of memory), stored, would
     * make every later run refuse the study as tuning something else. */
    int ok = j && fixed && space_json &&
             cJSON_AddStringToObject(j, "model", p->t->name) &&
             cJSON_AddStringToObject(j, "data", realpath(o->data.data, real)
                                                    ? real : o->data.data) &&
             cJSON_AddStringToObject(j, "target", p->d.target_name) &&
             cJSON_AddStringToObject(j, "task", hpo__data_task(&p->d) ==
                                                    HPO__REGRESSION
                                                    ? "regression"
                                                    : "classification") &&
             cJSON_AddStringToObject(j, "metric", hpo__metric_name(p->metric)) &&
             cJSON_AddStringToObject(j, "folds", folds) &&
             cJSON_AddNumberToObject(j, "folds_seed", (double)p->spec.seed) &&
             data_options(j, &o->data);
    for (int i = 0; ok && i < o->study.space.fixed.n; i++)
        ok = cJSON_AddStringToObject(fixed, o->study.space.fixed.v[i].name,
                                     o->study.space.fixed.v[i].text) != NULL;
    if (!ok)
        cJSON_Delete(fixed); /* not j's yet */
    ok = ok && hpo__json_put(j, "fixed", fixed) &&
         hpo__json_put(j, "space", cJSON_Parse(space_json));
    char *text = ok ? cJSON_PrintUnformatted(j) : NULL;
    cJSON_Delete(j);
    free(space_json);
    return text;
}

/* A study that tuned something else goes on only with --force. */
static int check_and_store(const tm_opts *o, const ml_problem *p,
                           const hpo_space *space, hpo_study *s)
{
    char *given = what_is_tuned(o, p, space);
    if (!given) {
        cli_error(CMD, "out of memory");
        return CLI_EXIT_FAILED;
    }
    const char *stored = hpo_study_system_attr(s, MODEL_ATTR);
    int rc = 0;
    if (stored && strcmp(stored, given) != 0 && !o->force) {
        cli_error(CMD, "study '%s' tuned something else: %s (add --force to "
                  "go on with this)", hpo_study_name(s), stored);
        rc = CLI_EXIT_USAGE;
    } else if (hpo_study_set_system_attr(s, MODEL_ATTR, given) != HPO_OK) {
        cli_error(CMD, "storing what is tuned: %s", hpo_study_errmsg(s));
        rc = CLI_EXIT_FAILED;
    }
    free(given);
    return rc;
}

/* ---- the run ------------------------------------------------------------------ */

typedef struct tm_run {
    progress *progress;
    int64_t max_resource, budget; /* budget 0: none */
    hpo__ml_objective ob;
} tm_run;

/* The learner's objective, counted as running for Ctrl-C's message. */
static int run_trial(hpo_trial *trial, void *data, double *values)
{
    tm_run *r = data;
    progress_trial_started(r->progress);
    return hpo__ml_objective_run(trial, &r->ob, values);
}

/* The resource on the progress line (progress.h): the study's with a
 * budget, else this run's. */
static void note_resource(hpo_study *study, const hpo_trial *trial,
                          tm_run *r)
{
    int64_t used;
    if (r->budget <= 0)
        progress_add_resource(r->progress,
                              hpo_trial_resource(trial, r->max_resource));
    else if (hpo_study_resource_used(study, r->max_resource, &used) == HPO_OK)
        progress_set_resource_used(r->progress, used);
}

static int on_trial_done(hpo_study *study, const hpo_trial *trial, void *data)
{
    tm_run *r = data;
    note_resource(study, trial, r);
    progress_trial_done(r->progress, trial);
    return interrupt_signal() != 0;
}

/* The best trial's configuration and score, and the time per trial; 0,
 * or -1 after saying why the best trial could not be read (a script
 * reading the result must not take silence for it). */
static int print_outcome(const ml_problem *p, const hpo__hparams *fixed,
                         hpo_study *s, int n_run, double seconds)
{
    hpo_trial *best;
    char folds[64];
    ml_folds_text(&p->spec, folds, sizeof folds);
    int rc = hpo_study_best_trial(s, &best);
    const char *why = rc == HPO_OK || rc == HPO_ENOTFOUND
                          ? NULL : hpo_study_errmsg(s);
    if (rc == HPO_OK) {
        hpo__hparams chosen = {0};
        if (hpo__hparams_from_trial(&chosen, best, fixed) != HPO_OK) {
            why = "out of memory";
        } else {
            printf("best %s %s %.6g (trial %d): ", folds,
                   hpo__metric_name(p->metric), hpo_trial_value(best, 0),
                   hpo_trial_number(best));
            ml_print_hparams(stdout, &chosen);
            printf("\n");
        }
        hpo__hparams_free(&chosen);
        hpo_trial_free(best);
    }
    printf("%d trials in %.2f s (%.1f ms per trial)\n", n_run, seconds,
           n_run ? seconds * 1000 / n_run : 0.0);
    fflush(stdout);
    if (why)
        cli_error(CMD, "reading the best trial: %s", why);
    return why ? -1 : 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int run(const tm_opts *o, const ml_problem *p, hpo_study *s,
               const char *url_shown)
{
    char data[256], folds[64];
    hpo__eval_cache *cache = hpo__eval_cache_new(p->t, &p->d, &p->folds, 0);
    const cli_run_opts *run = &o->study.run;
    tm_run r = {.progress = progress_new((int)run->n_trials, run->timeout_s,
                                         hpo_study_direction(s, 0)),
                .max_resource = run->max_resource};
    progress_ml steps = {.p = r.progress, .prefix = "", .fold_name = "fold",
                         .step_name = p->t->step_name ? p->t->step_name
                                                      : "round"};
    /* The budget is N more units than the study's trials have used. */
    int64_t used = 0;
    if (run->budget_resource > 0 &&
        hpo_study_resource_used(s, run->max_resource, &used) != HPO_OK) {
        cli_error(CMD, "reading the study's resource: %s",
                  hpo_study_errmsg(s));
        progress_free(r.progress);
        return CLI_EXIT_FAILED;
    }
    if (!cache || !r.progress) {
        cli_error(CMD, "out of memory");
        hpo__eval_cache_free(cache);
        progress_free(r.progress);
        return CLI_EXIT_FAILED;
    }
    ml_data_text(&p->d, data, sizeof data);
    ml_folds_text(&p->spec, folds, sizeof folds);
    progress_say(r.progress, "hpo: tuning %s on %s; %s %s", p->t->name, data,
                 folds, hpo__metric_name(p->metric));
    progress_say(r.progress, "hpo: study %s in %s", hpo_study_name(s),
                 url_shown);
    interrupt_set_study(s);
    hpo_study_set_log(s, progress_study_log, r.progress);
    progress_set_in_process(r.progress, 1);
    r.ob = (hpo__ml_objective){.t = p->t, .d = &p->d, .folds = &p->folds,
                               .metric = p->metric,
                               .fixed = &o->study.space.fixed, .cache = cache,
                               .progress = progress_ml_step,
                               .progress_data = &steps};
    hpo_optimize_options oo = {.n_trials = (int)o->study.run.n_trials,
                               .timeout_s = o->study.run.timeout_s,
                               .n_jobs = (int)o->study.run.jobs,
                               .callback = on_trial_done,
                               .callback_data = &r,
                               .budget_resource = run->budget_resource > 0
                                   ? used + run->budget_resource : 0,
                               .max_resource = run->max_resource};
    r.budget = oo.budget_resource;
    progress_set_resource_target(r.progress, r.budget);
    progress_start(r.progress);
    double start = now_s();
    int rc = hpo_study_optimize(s, run_trial, &r, &oo);
    double seconds = now_s() - start;
    char *why = rc < 0 ? strdup(hpo_study_errmsg(s)) : NULL;
    progress_stop(r.progress);
    interrupt_set_study(NULL);
    hpo_study_set_log(s, NULL, NULL);
    int sig = interrupt_signal();
    progress_summary(r.progress, sig ? "interrupted" : NULL);
    printf("study %s\n", hpo_study_name(s));
    int unread = print_outcome(p, &o->study.space.fixed, s,
                               progress_n_finished(r.progress), seconds);
    int code = CLI_EXIT_OK;
    if (sig)
        code = 128 + sig;
    else if (rc < 0)
        cli_error(CMD, "%s", why && *why ? why : hpo_errstr(rc)),
            code = CLI_EXIT_FAILED;
    else if (progress_n_finished(r.progress) > 0 &&
             progress_n_failed(r.progress) == progress_n_finished(r.progress))
        cli_error(NULL, "all %d trials failed", progress_n_failed(r.progress)),
            code = CLI_EXIT_FAILED;
    if (code == CLI_EXIT_OK && unread)
        code = CLI_EXIT_FAILED;
    free(why);
    progress_free(r.progress);
    hpo__eval_cache_free(cache);
    return code;
}

static int tune_model(const tm_opts *o, const char *model)
{
    ml_problem p;
    hpo_space *space = NULL;
    hpo_storage *storage = NULL;
    hpo_study *study = NULL;
    char shown[CLI_URL_SHOWN_MAX];
    const char *url = cli_storage_url(o->study.run.storage_url);
    cli_redact_url(url, shown, sizeof shown);
    int rc = ml_problem_load(CMD, model, &o->data, &p);
    if (!rc)
        rc = ml_build_space(CMD, &p, &o->study.space, &space);
    if (!rc && !(study = hpo_study_new())) {
        cli_error(CMD, "out of memory");
        rc = CLI_EXIT_FAILED;
    }
    if (!rc)
        rc = configure(o, &p, space, study);
    if (!rc && !(rc = cli_open_storage(CMD, url, 0, &storage)))
        hpo_study_set_storage(study, storage);
    if (!rc && !(rc = open_study(o, &p, study)) &&
        !(rc = check_and_store(o, &p, space, study)))
        rc = run(o, &p, study, shown);
    hpo_study_free(study);
    hpo_storage_close(storage);
    hpo_space_free(space);
    ml_problem_free(&p);
    return rc;
}

int cli_tune_model(int argc, char **argv)
{
    tm_opts o = {.study = ML_STUDY_DEFAULTS};
    int rc = ml_parse_command(&tm_command, argc, argv, &o);
    if (rc < 0 && !o.study.run.trials_given && o.study.run.timeout_s == 0 &&
        !o.study.run.budget_resource)
        o.study.run.n_trials = DEFAULT_TRIALS;
    if (rc < 0 && (rc = log_setup(CMD, &o.study.run)) == 0)
        rc = -1;
    if (rc < 0)
        rc = tune_model(&o, argv[1]);
    log_close();
    tm_opts_free(&o);
    return rc;
}

#else

int cli_tune_model(int argc, char **argv)
{
    (void)argc, (void)argv;
    return ml_not_built("tune-model");
}

#endif
