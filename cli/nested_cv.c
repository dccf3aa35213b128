/*
 * nested_cv.c — `hpo nested-cv MODEL --data FILE [options]`: the honest
 * estimate of a tuned model's score (src/ml/nested.c).  Per outer fold it
 * prints the inner study's best CV score, the hyperparameters it chose and
 * the refit model's score on the outer test fold; then the mean outer
 * score (the estimate to report) next to the mean inner best (what tuning
 * alone would claim) and their gap.
 *
 * While it runs (standard error, progress.h): the progress line over all
 * inner trials (the current fold's best inner score, elapsed, remaining),
 * a record per outer fold when its study is done, and with -v a record
 * per inner trial and per inner fold.  Ctrl-C lets the running inner
 * trials finish, then stops with the folds done so far (exit 130).
 */
#include <stdio.h>
#include <stdlib.h>

#include "args.h"
#include "cli.h"
#include "ml_args.h"

#if HPO_HAVE_ML

#include "interrupt.h"
#include "logging.h"
#include "progress.h"
#include "progress_ml.h"

#define CMD "nested-cv"
#define DEFAULT_OUTER 5
#define DEFAULT_INNER 5
#define DEFAULT_TRIALS 30

enum { OPT_OUTER = 1, OPT_INNER, OPT_HELP };

static const cli_option ncv_options[] = {
    ML_DATA_OPTIONS,
    ML_STUDY_OPTIONS,
    {"outer", 0, 1, OPT_OUTER},
    {"inner", 0, 1, OPT_INNER},
    {"help", 'h', 0, OPT_HELP},
    {0},
};

static void ncv_help(FILE *out, const char *model)
{
    fprintf(out,
"usage: hpo nested-cv MODEL --data FILE [options]\n"
"\n"
"Nested cross-validation: split the rows into --outer folds; for each, tune\n"
"MODEL with a whole study whose trials are scored by --inner-fold CV on the\n"
"outer training rows only, refit the best configuration on those rows and\n"
"score it on the outer test fold.  The mean outer score estimates how the\n"
"tuned model does on new data; the mean inner best is what the tuning\n"
"itself claims, and their gap is the optimism of a tuned CV score.\n"
"Standard error gets the progress over all inner trials, a record per\n"
"outer fold and, with -v, one per inner trial.  Ctrl-C lets the running\n"
"inner trials finish and stops after the outer fold under way.\n"
"\n"
"      --outer K           outer folds (default %d)\n"
"      --inner K           inner folds (default %d)\n"
"  -n, --trials N          trials per inner study (default %d)\n"
"  -j, --jobs N            threads per inner study\n"
"      --sampler NAME[:k=v,...] (default auto), --pruner ..., --seed N\n"
"                          as hpo tune-model (xgboost's pruner: auto);\n"
"                          fold i's study gets seed N + i - 1\n"
"      --storage URL       keep the inner studies (default: in memory) ...\n"
"      --study NAME        ... as NAME-fold-1, NAME-fold-2, ... (in\n"
"                          $HPO_STORAGE when --storage is not given)\n"
CLI_LOG_HELP
"The data and the score (--cv and --holdout do not apply):\n"
ML_DATA_HELP
"The search space:\n"
ML_SPACE_HELP
"\n"
"Models:\n", DEFAULT_OUTER, DEFAULT_INNER, DEFAULT_TRIALS);
    ml_print_learners(out);
    if (!model || ml_print_learner_params(out, model) != 0)
        fprintf(out, "'hpo nested-cv MODEL --help' lists a model's "
                "hyperparameters.\n");
    fprintf(out,
"\n"
"Example:\n"
"  hpo nested-cv svm --data ../shared/data/breast_cancer.csv -n 30 --seed 0\n"
"\n"
"Exit status: 0 done, 1 an inner study where no trial completed or a\n"
"runtime error, 2 bad usage, 130 interrupted (143 on SIGTERM).\n");
}

typedef struct ncv_opts {
    ml_data_opts data;
    ml_study_opts study;
    int64_t outer, inner;
} ncv_opts;

static int take_option(void *opts, int id, const char *v)
{
    ncv_opts *o = opts;
    switch (id) {
    case OPT_OUTER:
        return cli_parse_int(CMD, "--outer", v, 2, 1000, &o->outer)
                   ? CLI_EXIT_USAGE : 0;
    case OPT_INNER:
        return cli_parse_int(CMD, "--inner", v, 2, 1000, &o->inner)
                   ? CLI_EXIT_USAGE : 0;
    case ML_OPT_CV:
    case ML_OPT_HOLDOUT:
        cli_error(CMD, "use --outer and --inner to choose the folds");
        return CLI_EXIT_USAGE;
    }
    return ml_take_option(CMD, id, v, &o->data, &o->study);
}

static const ml_command ncv_command = {CMD, ncv_options, OPT_HELP,
                                       take_option, ncv_help};

/* -1 to go on, else an exit code (0 after --help). */
static int parse(ncv_opts *o, int argc, char **argv)
{
    int rc = ml_parse_command(&ncv_command, argc, argv, o);
    /* HPO_STORAGE serves only a --study: without one nested-cv keeps its
     * studies in memory, as it always did. */
    if (rc < 0 && o->study.run.study_name && !o->study.run.storage_url &&
        getenv("HPO_STORAGE") && *getenv("HPO_STORAGE"))
        o->study.run.storage_url = getenv("HPO_STORAGE");
    if (rc < 0 && o->study.run.study_name && !o->study.run.storage_url) {
        cli_error(CMD, "--study names the studies kept in --storage; give "
                  "both, or neither");
        return CLI_EXIT_USAGE;
    }
    return rc;
}

/* ---- output ------------------------------------------------------------------- */

typedef struct ncv_show {
    int n_trials, outer;
    progress *progress;
    progress_ml steps;
    char prefix[48]; /* "outer fold 2/5 " */
    double start;
    hpo_study *study; /* the inner study running, or NULL */
} ncv_show;

static void on_phase(int fold, hpo__nested_phase phase,
                     const hpo__split *outer, void *data)
{
    ncv_show *s = data;
    if (phase != HPO__NESTED_INNER)
        return;
    snprintf(s->prefix, sizeof s->prefix, "outer fold %d/%d ", fold + 1,
             s->outer);
    progress_set_records(s->progress, LOG_DEBUG, s->prefix);
    progress_reset_best(s->progress);
    log_say(LOG_INFO, "hpo: outer fold %d/%d: tuning on %d rows, %d held out",
            fold + 1, s->outer, outer->n_train, outer->n_test);
}

/* The inner study: Ctrl-C stops it, its log is ours. */
static void on_study(int fold, hpo_study *study, void *data)
{
    ncv_show *s = data;
    (void)fold;
    interrupt_set_study(study);
    if (study)
        hpo_study_set_log(study, progress_study_log, s->progress);
    else if (s->study)
        hpo_study_set_log(s->study, NULL, NULL);
    s->study = study;
}

static int on_trial(hpo_study *study, const hpo_trial *trial, void *data)
{
    ncv_show *s = data;
    (void)study;
    progress_trial_done(s->progress, trial);
    return interrupt_signal() != 0;
}

/* Where an inner trial is inside its inner CV. */
static int on_progress(const hpo__eval_progress *e, void *data)
{
    ncv_show *s = data;
    return progress_ml_step(e, &s->steps);
}

static int should_stop(void *data)
{
    (void)data;
    return interrupt_signal() != 0;
}

/* "outer fold 2/5 done: 30 inner trials, best inner 0.0312 (trial 17),
 * outer 0.035, 4.1s; elapsed 9s, remaining ~14s" */
static void record_fold(const ncv_show *s, int fold,
                        const hpo__nested_fold *f)
{
    char took[32], el[32], rem[32];
    double elapsed = hpo__monotonic() - s->start;
    progress_format_duration(took, sizeof took, f->seconds);
    progress_format_duration(el, sizeof el, elapsed);
    progress_format_duration(rem, sizeof rem,
                             elapsed / (fold + 1) * (s->outer - fold - 1));
    log_record(LOG_INFO, "outer fold %d/%d done: %d inner trials complete, "
               "best inner %.6g (trial %d), outer %.6g, %s; elapsed %s, "
               "remaining ~%s", fold + 1, s->outer, f->n_complete,
               f->inner_best, f->best_trial, f->outer_score, took, el, rem);
}

static void on_fold(int fold, const hpo__nested_fold *f, void *data)
{
    record_fold(data, fold, f);
    printf("%4d  %5d  %4d  %10.6g  %10.6g  ", fold + 1, f->n_train, f->n_test,
           f->inner_best, f->outer_score);
    ml_print_hparams(stdout, &f->chosen);
    printf("\n");
    fflush(stdout);
}

static void print_summary(const ml_problem *p, const hpo__nested_result *r)
{
    const char *metric = hpo__metric_name(p->metric);
    printf("\nnested CV estimate (mean outer %s): %.6g (sd %.3g over %d "
           "folds)\n", metric, r->mean_outer, r->sd_outer, r->n_folds);
    printf("mean inner best %s (optimistic):  %.6g\n", metric,
           r->mean_inner);
    printf("gap (optimism of the tuned score): %+.6g\n", r->gap);
}

static int nested(const ncv_opts *o, const char *model)
{
    ml_problem p;
    hpo_space *space = NULL;
    hpo_storage *storage = NULL;
    hpo__nested_result r = {0};
    ncv_show show = {0};
    int rc = ml_problem_load(CMD, model, &o->data, &p);
    if (!rc)
        rc = ml_build_space(CMD, &p, &o->study.space, &space);
    if (!rc && o->study.run.storage_url)
        rc = cli_open_storage(CMD, o->study.run.storage_url, 0, &storage);
    if (rc)
        goto done;
    show = (ncv_show){.outer = (int)o->outer,
                     .n_trials = (int)o->study.run.n_trials,
                     .progress = progress_new((int)(o->outer *
                                                    o->study.run.n_trials),
                                              0, hpo__metric_maximize(p.metric)
                                                     ? HPO_MAXIMIZE
                                                     : HPO_MINIMIZE),
                     .start = hpo__monotonic()};
    if (!show.progress) {
        cli_error(CMD, "out of memory");
        rc = CLI_EXIT_FAILED;
        goto done;
    }
    show.steps = (progress_ml){.p = show.progress, .prefix = show.prefix,
                               .fold_name = "inner fold",
                               .step_name = p.t->step_name
                                                ? p.t->step_name : "round"};
    progress_set_in_process(show.progress, 1);
    progress_set_jobs(show.progress, (int)o->study.run.jobs);
    hpo__nested_options no = {
        .metric = p.metric, .outer_k = (int)o->outer,
        .inner_k = (int)o->inner, .folds_seed = o->data.folds_seed,
        .n_trials = (int)o->study.run.n_trials,
        .n_jobs = (int)o->study.run.jobs,
        .space = space, .fixed = &o->study.space.fixed,
        .sampler = o->study.run.sampler ? o->study.run.sampler : "auto",
        .pruner = o->study.run.pruner ? o->study.run.pruner
                  : p.t->fidelity ? "auto" : NULL, /* as tune-model */
        .have_seed = o->study.run.have_seed, .seed = o->study.run.seed,
        .storage = storage, .study_name = o->study.run.study_name,
        .on_phase = on_phase, .on_fold = on_fold, .on_trial = on_trial,
        .on_study = on_study, .progress = on_progress,
        .should_stop = should_stop, .data = &show};
    char data[256];
    ml_data_text(&p.d, data, sizeof data);
    printf("nested CV of %s on %s\n%d outer x %d inner%s folds "
           "(seed %llu), %d trials per inner study, metric %s\n\n",
           p.t->name, data, no.outer_k, no.inner_k,
           p.d.n_classes > 0 ? " stratified" : "",
           (unsigned long long)no.folds_seed, no.n_trials,
           hpo__metric_name(p.metric));
    printf("fold  train  test  inner best       outer  chosen\n");
    fflush(stdout);
    hpo__msg m = {0};
    progress_start(show.progress);
    int status = hpo__nested_cv(p.t, &p.d, &no, &r, &m);
    progress_stop(show.progress);
    interrupt_set_study(NULL);
    if (interrupt_signal()) {
        log_say(LOG_WARNING, "hpo: %s", status == HPO_OK ? "interrupted"
                                                         : hpo__msg_get(&m));
        rc = 128 + interrupt_signal();
    } else if (status != HPO_OK) {
        cli_error(CMD, "%s", hpo__msg_get(&m));
        rc = CLI_EXIT_FAILED;
    } else {
        print_summary(&p, &r);
    }
    hpo__msg_free(&m);
    hpo__nested_result_free(&r);
done:
    progress_free(show.progress);
    hpo_storage_close(storage);
    hpo_space_free(space);
    ml_problem_free(&p);
    return rc;
}

int cli_nested_cv(int argc, char **argv)
{
    ncv_opts o = {.study = ML_STUDY_DEFAULTS, .outer = DEFAULT_OUTER,
                  .inner = DEFAULT_INNER};
    o.study.run.n_trials = DEFAULT_TRIALS;
    int rc = parse(&o, argc, argv);
    if (rc < 0 && (rc = log_setup(CMD, &o.study.run)) == 0)
        rc = -1;
    if (rc < 0)
        rc = nested(&o, argv[1]);
    log_close();
    ml_space_opts_free(&o.study.space);
    return rc;
}

#else

int cli_nested_cv(int argc, char **argv)
{
    (void)argc, (void)argv;
    return ml_not_built("nested-cv");
}

#endif
