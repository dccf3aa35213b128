/*
 * learner.h — the learner plug-in interface (issue 4), and the evaluation
 * of one configuration by cross-validation.
 *
 * A learner is one const hpo__learner_type (svm.c, linear.c, xgboost.c),
 * listed in the registry of learner.c.  It wraps a library's C API:
 *
 *     fit(training rows, hyperparameters)  -> model
 *     predict(model, rows, output kind)     -> labels | values |
 *                                              probabilities | scores
 *     free(model)
 *
 * Learners with a fidelity (XGBoost's boosting rounds) also offer
 * fit_start + fit_step, so that hpo__evaluate can train every fold one step
 * at a time and report the mean validation score after each step; a pruner
 * then stops a poor configuration early.
 *
 * Learners may also offer prepare: the work on a split that does not depend
 * on the hyperparameters (scaling the rows, converting them to the
 * library's format).  The folds are the same for every trial, so an
 * hpo__eval_cache does it once per split for a whole study.
 *
 * Rules:
 *   1. The library never prints: each learner silences its library.
 *   2. Numerical libraries run on one thread (XGBoost nthread=1).
 *   3. A learner uses the training rows in the order given: the same rows
 *      in the same order give the same model, bit for bit.
 *   4. Features are standardized inside fit, from the training rows only,
 *      unless hpo__fit_input.no_standardize is set (learners that do not
 *      need it, such as trees, ignore the flag).
 *   5. Errors are status codes with a message (hpo__fail), never a print.
 */
#ifndef HPO_LEARNER_H
#define HPO_LEARNER_H

#include "ml.h"

#define HPO__LEARNER_VERSION 1

/* ---- hyperparameter values -------------------------------------------- */

/* One value given to a learner: always as text (what the user typed or the
 * trial's formatted value), and as a number when the text is one. */
typedef struct hpo__hparam {
    char *name;
    char *text;   /* "1.5", "rbf" */
    double value; /* NaN when text is not a number */
} hpo__hparam;

typedef struct hpo__hparams {
    int n, cap;
    hpo__hparam *v;
} hpo__hparams;

/* Set (or replace) a value.  _set_text parses numbers ("1e-3" -> 0.001);
 * _set formats the number in its shortest exact form. */
int hpo__hparams_set(hpo__hparams *p, const char *name, double value);
int hpo__hparams_set_text(hpo__hparams *p, const char *name,
                          const char *text);
const hpo__hparam *hpo__hparams_find(const hpo__hparams *p,
                                     const char *name);
void hpo__hparams_free(hpo__hparams *p);

/* ---- the plug-in ------------------------------------------------------- */

/* Bits of hpo__learner_type.tasks and hpo__learner_param.tasks. */
#define HPO__TASK_BIT(task) (1u << (task))
#define HPO__TASKS_ALL                                                     \
    (HPO__TASK_BIT(HPO__CLASSIFICATION) | HPO__TASK_BIT(HPO__REGRESSION))

/* A hyperparameter a learner takes. */
typedef struct hpo__learner_param {
    const char *name;
    /* Its search space in hpo_space_parse_param's compact form, without
     * the "name=" ("float:0.03125:32768:log", "cat:rbf,linear"). */
    const char *space;
    int tuned;          /* 1: part of the default search space */
    const char *value;  /* the value used when none is given ("1", "rbf");
                           text that is not a number ("1/n_features") means
                           the learner computes it from the data */
    unsigned tasks;     /* HPO__TASK_BIT()s where it applies */
    const char *help;   /* one line */
} hpo__learner_param;

/* What predict is asked for; hpo__metric_output() tells which a metric
 * needs.  Widths per row: LABEL and VALUE 1, PROBA and SCORE n_classes
 * (column k = class d->classes[k]). */
typedef enum hpo__output {
    HPO__OUTPUT_LABEL, /* the predicted label, as in d->y */
    HPO__OUTPUT_VALUE, /* the predicted value (regression) */
    HPO__OUTPUT_PROBA, /* class probabilities (log-loss) */
    HPO__OUTPUT_SCORE  /* class scores, larger = more likely (AUC ranks) */
} hpo__output;

typedef struct hpo__fit_input {
    const hpo__dataset *d;
    const int *rows;  /* training rows, used in this order */
    int n_rows;
    const hpo__hparams *params; /* may be NULL: every default */
    hpo__output output;         /* what predict will be asked for */
    int no_standardize;         /* 1: use the features as they are */
    /* Optional: the rows predict will be asked for after each step (a
     * fold's test rows).  A learner may prepare them once (XGBoost caches
     * its matrix and predictions); predict must then be given this same
     * pointer and count to profit, so the array must outlive the model. */
    const int *eval_rows;
    int n_eval;
    /* Optional: what prepare() made of these same rows (and the same
     * no_standardize); the caller keeps it alive as long as the model. */
    const void *prepared;
} hpo__fit_input;

typedef struct hpo__learner_type {
    int version;            /* HPO__LEARNER_VERSION */
    const char *name;       /* "svm" */
    const char *summary;    /* one line for --help and the docs */
    unsigned tasks;         /* HPO__TASK_BIT()s it can learn */
    int n_params;
    const hpo__learner_param *params;
    /* The hyperparameter that counts fit_step calls ("num_round"), or NULL
     * for learners without a fidelity. */
    const char *fidelity;

    /* Train on in->rows.  *model is owned by the caller (free it with
     * free_model).  in is read during the call, except in->eval_rows and
     * in->prepared, which the model may keep pointing to. */
    int (*fit)(const hpo__fit_input *in, void **model, hpo__msg *m);
    /* Fidelity learners (may be NULL): fit_start prepares a model with no
     * step done; each fit_step adds one (a boosting round). */
    int (*fit_start)(const hpo__fit_input *in, void **model, hpo__msg *m);
    int (*fit_step)(void *model, hpo__msg *m);
    /* Predict rows of d (the data set given to fit): out holds
     * n * hpo__output_width() doubles, row-major. */
    int (*predict)(void *model, const hpo__dataset *d, const int *rows,
                   int n, hpo__output output, double *out, hpo__msg *m);
    void (*free_model)(void *model);
    /* Optional (may be NULL): the hyperparameter-free part of fit for
     * in->rows and in->no_standardize, handed to later fits as
     * in->prepared.  Read-only once made: several threads may fit on it. */
    int (*prepare)(const hpo__fit_input *in, void **prepared, hpo__msg *m);
    void (*free_prepared)(void *prepared);
    /* Optional (may be NULL): what one fidelity step is called in
     * progress messages ("epoch"); NULL: "round". */
    const char *step_name;
    /* Optional checkpoints of a fidelity learner (both or neither; mlp):
     * save writes the whole training state of a model to path
     * atomically; fit_resume is fit_start from such a file, training
     * going on where it stopped (*steps_done gets the steps already
     * done), with the hyperparameters given in in->params replacing the
     * saved ones. */
    int (*save)(void *model, const char *path, hpo__msg *m);
    int (*fit_resume)(const hpo__fit_input *in, const char *path,
                      void **model, int *steps_done, hpo__msg *m);
    /* Optional (may be NULL): what a user should know about a fitted
     * model, or NULL ("diverged at epoch 3 ..."); borrowed until the model
     * is freed. */
    const char *(*note)(void *model);
} hpo__learner_type;

/* The registry (learner.c): NULL-terminated, in --help order. */
extern const hpo__learner_type *const hpo__learner_types[];
const hpo__learner_type *hpo__learner_find(const char *name);

extern const hpo__learner_type hpo__learner_svm;
extern const hpo__learner_type hpo__learner_linear;
extern const hpo__learner_type hpo__learner_xgboost;
extern const hpo__learner_type hpo__learner_mlp;

/* ---- checked calls (learner.c) ------------------------------------------- */

/* What callers use instead of the methods: they check the learner's
 * version, the task, the hyperparameter names (hpo__learner_check_params)
 * and the row indices, then call the method.  A model is used by one
 * thread at a time; different models may be fit on different threads. */
int hpo__learner_fit(const hpo__learner_type *t, const hpo__fit_input *in,
                     void **model, hpo__msg *m);
int hpo__learner_fit_start(const hpo__learner_type *t,
                           const hpo__fit_input *in, void **model,
                           hpo__msg *m);
int hpo__learner_prepare(const hpo__learner_type *t,
                         const hpo__fit_input *in, void **prepared,
                         hpo__msg *m);
int hpo__learner_predict(const hpo__learner_type *t, void *model,
                         const hpo__dataset *d, const int *rows, int n,
                         hpo__output output, double *out, hpo__msg *m);

/* ---- helpers shared by the learners and their callers (learner.c) ------- */

const hpo__learner_param *hpo__learner_param_find(const hpo__learner_type *t,
                                                  const char *name);
/* HPO_EINVAL naming the first given hyperparameter the learner does not
 * take (a typo: "--gama"), or one that does not apply to the task. */
int hpo__learner_check_params(const hpo__learner_type *t,
                              const hpo__hparams *p, hpo__task task,
                              hpo__msg *m);
/* A numeric hyperparameter: the value given, else the learner's default.
 * A default that is not a number gives NaN (the learner computes it).
 * HPO_EINVAL when the given text is not a number. */
int hpo__learner_number(const hpo__learner_type *t, const hpo__hparams *p,
                        const char *name, double *out, hpo__msg *m);
/* The same for a whole number. */
int hpo__learner_int(const hpo__learner_type *t, const hpo__hparams *p,
                     const char *name, int *out, hpo__msg *m);
/* A categorical hyperparameter: *index into choices (NULL-terminated). */
int hpo__learner_choice(const hpo__learner_type *t, const hpo__hparams *p,
                        const char *name, const char *const *choices,
                        int *index, hpo__msg *m);
/* Add the learner's default search space for a task (its tuned
 * parameters) to space. */
int hpo__learner_default_space(const hpo__learner_type *t, hpo__task task,
                               hpo_space *space, hpo__msg *m);

/* Which output a metric needs, and how many doubles per row it takes. */
hpo__output hpo__metric_output(hpo__metric metric);
int hpo__output_width(hpo__output output, const hpo__dataset *d);
/* The column of a class label in d->classes, or -1. */
int hpo__class_index(const hpo__dataset *d, double label);

/* Feature j of a row of d, standardized by s (fit on training rows only,
 * scale.c), or as it is when s is NULL.  Inline: the kernel and linear
 * learners write scaled rows straight into their libraries' node arrays,
 * without a scaled copy of the data in between. */
static inline double hpo__scaled_feature(const hpo__scaler *s,
                                         const double *row, int j)
{
    return s ? (row[j] - s->mean[j]) / s->std[j] : row[j];
}

/* libsvm and liblinear draw from the C library's rand() (libsvm's
 * probability model and liblinear's dual coordinate descent shuffle their
 * data); reseeding it before each fit makes a configuration's score
 * reproducible.  This resets the process's rand() stream (hpo itself never
 * uses rand()); with several threads fitting at once the draws interleave,
 * so such scores are reproducible only on one thread. */
void hpo__learner_seed_rand(void);

/* ---- evaluation of one configuration (evaluate.c) ---------------------- */

/* Called after each step of a fidelity learner with the mean validation
 * score over the folds at that step (step = 1, 2, ...).  Return nonzero to
 * stop: hpo__evaluate then returns HPO_PRUNED. */
typedef int (*hpo__report_fn)(int step, double value, void *data);

/* Where one evaluation is, for an observer that shows progress (the CLI
 * prints; the library never does): called after each fold, or, for a
 * fidelity learner trained step by step, after each step of every fold
 * (a boosting round).  Return nonzero to stop the evaluation now: it then
 * fails with the message "interrupted" (HPO_EFAIL).  Unset, it costs one
 * test per fold or step. */
typedef struct hpo__eval_progress {
    int trial;        /* the trial's number (hpo__ml_objective_run), or -1 */
    int done, total;  /* folds or steps done, of total */
    int steps;        /* 1: the unit is a fidelity step; 0: a fold */
    double elapsed_s; /* since the evaluation began */
} hpo__eval_progress;
typedef int (*hpo__progress_fn)(const hpo__eval_progress *p, void *data);

/* Per-split preparations (hpo__learner_type.prepare) kept for many
 * evaluations of one learner on one data set, one set of folds and one
 * no_standardize setting: a study's trials.  Splits are prepared when
 * first needed; thread-safe.  d and folds are borrowed: they must outlive
 * the cache.  NULL when out of memory. */
typedef struct hpo__eval_cache hpo__eval_cache;
hpo__eval_cache *hpo__eval_cache_new(const hpo__learner_type *t,
                                     const hpo__dataset *d,
                                     const hpo__folds *folds,
                                     int no_standardize);
void hpo__eval_cache_free(hpo__eval_cache *c);

typedef struct hpo__eval_options {
    hpo__report_fn report; /* NULL: no per-step reports */
    void *report_data;
    int no_standardize;    /* 1: features as they are (already scaled) */
    hpo__eval_cache *cache; /* NULL: prepare every fit afresh */
    hpo__progress_fn progress; /* NULL: no progress calls */
    void *progress_data;
    /* Checkpoints, for a learner with save and fit_resume and one split
     * (else HPO_EINVAL): train on from checkpoint_in instead of afresh
     * (reported steps then go on from its count), and save the model to
     * checkpoint_out once every step is done.  NULL: none. */
    const char *checkpoint_in, *checkpoint_out;
} hpo__eval_options;

typedef struct hpo__eval_result {
    double mean;          /* mean of the fold scores */
    int n_folds;
    double *fold_scores;  /* n_folds, owned: hpo__eval_result_free */
    int steps;            /* steps trained (fidelity learners), else 0 */
    char *note;           /* the learner's note on the first fold that had
                             one ("fold 2: diverged at epoch 3 ..."), or
                             NULL; owned */
} hpo__eval_result;

/*
 * Cross-validate one configuration: for each split, fit on its training
 * rows and score its test rows with the metric; out gets the mean and the
 * score of each fold.  A fidelity learner with options->report trains all
 * folds together, step by step, and reports the mean after each step.
 * Returns HPO_OK, HPO_PRUNED when the report callback stopped it (out then
 * holds the scores at the last step), or an error with a message in *m
 * (an unknown hyperparameter, a task the learner cannot learn, a library
 * failure).  options may be NULL.  out is valid (and must be freed) after
 * HPO_OK and HPO_PRUNED.
 */
int hpo__evaluate(const hpo__learner_type *t, const hpo__hparams *params,
                  const hpo__dataset *d, const hpo__folds *folds,
                  hpo__metric metric, const hpo__eval_options *options,
                  hpo__eval_result *out, hpo__msg *m);
void hpo__eval_result_free(hpo__eval_result *r);

/* ---- tuning a learner with a study; nested cross-validation (nested.c) -- */

/* What an ML study's objective needs.  Everything is borrowed and must
 * outlive the optimization: the folds are fixed for the whole study, and
 * one cache (hpo__eval_cache_new for t, d, folds) serves all its trials. */
typedef struct hpo__ml_objective {
    const hpo__learner_type *t;
    const hpo__dataset *d;
    const hpo__folds *folds;
    hpo__metric metric;
    const hpo__hparams *fixed; /* the same for every trial; may be NULL */
    hpo__eval_cache *cache;    /* may be NULL */
    /* May be NULL: each trial's evaluation progress (its trial field set
     * to the trial's number), called from the thread running the trial. */
    hpo__progress_fn progress;
    void *progress_data;
} hpo__ml_objective;

/* An hpo_objective_fn (data = hpo__ml_objective): suggest every parameter
 * of the study's declared space, add the fixed ones, cross-validate.  A
 * fidelity learner reports the mean score after each step to the trial
 * and stops (HPO_PRUNED) when the study's pruner says so.  A failure's
 * message is kept in the trial's user attribute "fail_reason". */
int hpo__ml_objective_run(hpo_trial *trial, void *data, double *values);

/* A trial's parameters (as text) followed by the fixed ones (given
 * hyperparameters win over fixed ones of the same name) into *p, which
 * must be zeroed or hold earlier values (they are replaced). */
int hpo__hparams_from_trial(hpo__hparams *p, const hpo_trial *trial,
                            const hpo__hparams *fixed);

/* Where nested.c is in an outer fold, for an observer: the inner study
 * (which must see only outer->train rows) or the refit on outer->train
 * and the scoring of outer->test. */
typedef enum hpo__nested_phase {
    HPO__NESTED_INNER,
    HPO__NESTED_REFIT
} hpo__nested_phase;

typedef struct hpo__nested_fold {
    int n_train, n_test;
    double inner_best;   /* the inner study's best mean CV score */
    int best_trial;      /* its number in the inner study */
    int n_complete;      /* complete inner trials */
    hpo__hparams chosen; /* its hyperparameters, fixed ones included */
    double outer_score;  /* the refit model's score on the outer test fold */
    double seconds;      /* the fold's wall time */
} hpo__nested_fold;

typedef struct hpo__nested_options {
    hpo__metric metric;
    int outer_k, inner_k;  /* >= 2; stratified when the data has classes */
    uint64_t folds_seed;   /* seeds the outer and the inner splits */
    int n_trials;          /* per inner study, >= 1 */
    int n_jobs;            /* inner study threads (0 or 1: this thread) */
    const hpo_space *space;     /* NULL: the learner's default space */
    const hpo__hparams *fixed;  /* NULL: none */
    const char *sampler, *pruner; /* specs; NULL: the library's default */
    int have_seed;
    uint64_t seed;         /* study seed; fold i's study gets seed + i */
    hpo_storage *storage;  /* NULL: each inner study in memory */
    const char *study_name; /* with storage: studies NAME-fold-1, ... */
    /* Observers (may be NULL), called on the calling thread: at the start
     * of each phase of outer fold `fold` (0-based), after a fold is done,
     * and after each inner trial (return nonzero to stop that study). */
    void (*on_phase)(int fold, hpo__nested_phase phase,
                     const hpo__split *outer, void *data);
    void (*on_fold)(int fold, const hpo__nested_fold *result, void *data);
    hpo_callback_fn on_trial;
    void *data;
    /* May be NULL: given each inner study once it is open, and NULL before
     * it is freed (to stop it on Ctrl-C, to receive its log). */
    void (*on_study)(int fold, hpo_study *study, void *data);
    /* May be NULL: each inner trial's evaluation progress (data: data). */
    hpo__progress_fn progress;
    /* May be NULL: asked before each outer fold; nonzero stops the run
     * with HPO_STOPPED ("interrupted") after the folds done so far. */
    int (*should_stop)(void *data);
} hpo__nested_options;

typedef struct hpo__nested_result {
    int n_folds;
    hpo__nested_fold *folds;
    int maximize;          /* the metric is maximized */
    double mean_outer;     /* the nearly unbiased estimate */
    double sd_outer;       /* sample standard deviation of the outer scores */
    double mean_inner;     /* the mean inner best: optimistic */
    /* How much better the inner best looks than the outer estimate:
     * mean_outer - mean_inner for a minimized metric, mean_inner -
     * mean_outer for a maximized one (positive = the optimism the
     * field warns about). */
    double gap;
} hpo__nested_result;

/*
 * Nested cross-validation (Varma & Simon 2006; Cawley & Talbot 2010):
 *
 *   outer split of all rows (outer_k folds)
 *   for each outer fold i:
 *       inner splits of its training rows only (inner_k folds)
 *       a whole study, n_trials trials, each scored by inner CV
 *       refit the best configuration on all outer training rows
 *       score it on the outer test rows
 *
 * No row of an outer test fold is ever used, for fitting, scaling or
 * scoring, by that fold's study (tests/test_nested.c tracks row ids).
 * out is valid (free it) after HPO_OK only.  An inner study where no trial
 * completes fails the run with the reason.
 */
int hpo__nested_cv(const hpo__learner_type *t, const hpo__dataset *d,
                   const hpo__nested_options *o, hpo__nested_result *out,
                   hpo__msg *m);
void hpo__nested_result_free(hpo__nested_result *r);

#endif
