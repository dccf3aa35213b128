/*
 * ml_args.h — what `hpo learn`, `hpo tune-model` and `hpo nested-cv`
 * share: the data options (--data, --target, --task, --metric, --cv,
 * --holdout, --folds-seed), loading the data and fixing the folds, and
 * the search space of a learner (its default space, --space, --param,
 * --set).  Every problem is one line "hpo CMD: ..." and an exit code.
 *
 * Only built with the learners (HPO_HAVE_ML), but for ml_not_built.
 */
#ifndef HPO_CLI_ML_ARGS_H
#define HPO_CLI_ML_ARGS_H

/* A learning subcommand in a build without the learners: says so and
 * returns CLI_EXIT_USAGE. */
int ml_not_built(const char *cmd);

#if HPO_HAVE_ML

#include <stdint.h>
#include <stdio.h>

#include "args.h"
#include "ml/learner.h"

/* Option ids of the data options, above any subcommand's own. */
enum {
    ML_OPT_DATA = 100, ML_OPT_TARGET, ML_OPT_TASK, ML_OPT_METRIC, ML_OPT_CV,
    ML_OPT_HOLDOUT, ML_OPT_FOLDS_SEED, ML_OPT_MISSING, ML_OPT_CATEGORICAL
};

/* The data options' cli_option entries, for a subcommand's table. */
#define ML_DATA_OPTIONS                                                    \
    {"data", 0, 1, ML_OPT_DATA}, {"target", 0, 1, ML_OPT_TARGET},          \
    {"task", 0, 1, ML_OPT_TASK}, {"metric", 0, 1, ML_OPT_METRIC},          \
    {"cv", 0, 1, ML_OPT_CV}, {"holdout", 0, 1, ML_OPT_HOLDOUT},            \
    {"folds-seed", 0, 1, ML_OPT_FOLDS_SEED},                               \
    {"missing", 0, 1, ML_OPT_MISSING},                                     \
    {"categorical", 0, 1, ML_OPT_CATEGORICAL}

/* The help text of those options. */
#define ML_DATA_HELP                                                       \
"      --data FILE         a CSV file (header row) or a libsvm file\n"     \
"      --target COL        the CSV column to predict, by name or number\n" \
"                          (default the last)\n"                          \
"      --task T            classification or regression (default: guessed\n" \
"                          from the target: few whole numbers = classes)\n" \
"      --metric M          error (default for classes), accuracy, logloss,\n" \
"                          auc, rmse (default for regression) or mae\n"    \
"      --cv K              K-fold CV, stratified for classes (default 5)\n" \
"      --holdout F         one split, a fraction F of the rows for testing\n" \
"      --folds-seed S      the seed that fixes the folds (default 0)\n"   \
"      --missing M         a missing value (empty, NA, NaN, ?) is an error\n" \
"                          (default), or filled with the feature's mean or\n" \
"                          median (text: its most frequent level), or its\n" \
"                          row dropped: error, mean, median or drop\n"     \
"      --categorical C     a text column: onehot (default: one feature per\n" \
"                          level, at most 1000) or error\n"

typedef struct ml_data_opts {
    const char *data, *target, *task, *metric;
    int64_t cv_k;
    double holdout; /* > 0: hold-out instead of k-fold */
    uint64_t folds_seed;
    hpo__missing missing;
    hpo__categorical categorical;
} ml_data_opts;

/* Take one data option; 0, or CLI_EXIT_USAGE after printing why. */
int ml_take_data_option(const char *cmd, int id, const char *value,
                        ml_data_opts *o);

/* A learner, its data, metric and folds, ready to evaluate. */
typedef struct ml_problem {
    const hpo__learner_type *t;
    hpo__dataset d;
    hpo__metric metric;
    hpo__cv_spec spec;
    hpo__folds folds;
} ml_problem;

/* Find the learner, load the data (--data is required), choose the task,
 * the metric and the folds.  0 or an exit code (the message printed). */
int ml_problem_load(const char *cmd, const char *model,
                    const ml_data_opts *o, ml_problem *p);
void ml_problem_free(ml_problem *p);

/* "5-fold stratified CV" / "hold-out (20% test)", for messages. */
void ml_folds_text(const hpo__cv_spec *spec, char *out, size_t size);
/* "breast_cancer.csv: 569 rows, 30 features, 2 classes" */
void ml_data_text(const hpo__dataset *d, char *out, size_t size);

/* The learners and, with a model, its hyperparameters, for --help. */
void ml_print_learners(FILE *out);
int ml_print_learner_params(FILE *out, const char *model);

/* The search space of tune-model and nested-cv:
 *   default      the learner's tuned hyperparameters (learner.h)
 *   --space F    replaces the default space with the file's
 *   --param S    replaces the parameter of that name, or adds one
 *   --set N=V    fixes a hyperparameter (and drops it from the space) */
typedef struct ml_space_opts {
    const char *space_file;
    int n_params;
    const char **params; /* the --param specs, borrowed from argv */
    hpo__hparams fixed;
} ml_space_opts;

/* Take --param or --set (flag is "--param" or "--set"). */
int ml_take_space_option(const char *cmd, const char *flag,
                         const char *value, ml_space_opts *o);
/* Build the space for p's learner and task; *out is owned.  Every
 * parameter must be a hyperparameter of the learner. */
int ml_build_space(const char *cmd, const ml_problem *p,
                   const ml_space_opts *o, hpo_space **out);
void ml_space_opts_free(ml_space_opts *o);

/* "C=12.5 gamma=0.0012" */
void ml_print_hparams(FILE *out, const hpo__hparams *p);


/* ---- the study options of tune-model and nested-cv ------------------------ */

/* The space options; the run options are args.h's (CLI_OPT_*). */
enum { ML_OPT_PARAM = 120, ML_OPT_SPACE, ML_OPT_SET };

/* --jobs' upper bound: threads of one process. */
#define ML_MAX_JOBS 256

#define ML_STUDY_OPTIONS                                                   \
    {"param", 'p', 1, ML_OPT_PARAM}, {"space", 0, 1, ML_OPT_SPACE},        \
    {"set", 0, 1, ML_OPT_SET}, CLI_RUN_OPTIONS

#define ML_SPACE_HELP                                                      \
"  -p, --param SPEC        tune this hyperparameter in this range instead\n" \
"                          (C=float:0.1:100:log), or tune one more\n"     \
"      --space FILE        the whole search space from a JSON file\n"      \
"      --set NAME=VALUE    fix a hyperparameter (kernel=linear); it is\n"  \
"                          then not tuned\n"

typedef struct ml_study_opts {
    ml_space_opts space;
    cli_run_opts run;
} ml_study_opts;

/* The study options' defaults: one job, at most ML_MAX_JOBS. */
#define ML_STUDY_DEFAULTS {.run = {.jobs = 1, .max_jobs = ML_MAX_JOBS}}

/* Take a data or study option: 0, or an exit code after printing why. */
int ml_take_option(const char *cmd, int id, const char *value,
                   ml_data_opts *data, ml_study_opts *study);

/*
 * The command line of a learning subcommand, `hpo CMD MODEL [options]`:
 * MODEL first, then options only.  take gets every option but help_id
 * (its own, and the rest for ml_take_option); help prints the help, with
 * the model's hyperparameters when model is a known learner.
 */
typedef struct ml_command {
    const char *name; /* "tune-model" */
    const cli_option *options;
    int help_id;
    int (*take)(void *opts, int id, const char *value);
    void (*help)(FILE *out, const char *model);
} ml_command;

/* Parse argv (argv[1] is MODEL) into opts: -1 to go on, else an exit code
 * (0 after --help). */
int ml_parse_command(const ml_command *c, int argc, char **argv, void *opts);

#endif
#endif
