/*
 * hpo.h — the public API of libhpo, a hyperparameter-optimization engine.
 *
 * This header is the manual.  Everything a program can do with libhpo is
 * declared here, with what it does, who owns what, what it returns and
 * whether it may be called from several threads.
 *
 * ---------------------------------------------------------------------------
 * Ownership (one rule for the whole library)
 * ---------------------------------------------------------------------------
 *   1. A function named *_new or *_open returns an object the caller owns;
 *      the matching *_free or *_close releases it and accepts NULL.
 *   2. hpo copies every string and array it is given.  The caller may free
 *      or reuse its buffers as soon as the call returns.
 *   3. A returned `const char *` (or other const pointer) is borrowed: it
 *      stays valid until the next call on the same handle, or until the
 *      handle is freed, whichever comes first.
 *
 * ---------------------------------------------------------------------------
 * Status codes
 * ---------------------------------------------------------------------------
 *   HPO_OK (0) is success.  Errors are negative.  Positive codes are not
 *   errors: they report why something stopped (HPO_DONE, HPO_PRUNED, ...).
 *   hpo_errstr(code) names a code; the message of the failed call (with the
 *   details: which parameter, which line, the database's own text) is kept
 *   on the handle the call was made on: hpo_study_errmsg(), hpo_trial_errmsg(),
 *   hpo_space_errmsg(), hpo_storage_errmsg().
 *
 * ---------------------------------------------------------------------------
 * The library never prints, exits or aborts on bad input.  Progress and
 * diagnostics reach the application through hpo_study_set_log().
 * ---------------------------------------------------------------------------
 *
 * A minimal program:
 *
 *     static int objective(hpo_trial *t, void *data, double *value) {
 *         double x;
 *         int rc = hpo_trial_suggest_float(t, "x", -10, 10, 0, 0, &x);
 *         if (rc != HPO_OK) return rc;
 *         value[0] = (x - 2) * (x - 2);
 *         return HPO_OK;
 *     }
 *
 *     hpo_study *s = hpo_study_new();
 *     hpo_study_set_sampler(s, "random");
 *     hpo_study_set_seed(s, 42);
 *     if (hpo_study_open(s, "quadratic", HPO_OPEN_CREATE) != HPO_OK) ... hpo_study_errmsg(s)
 *     hpo_optimize_options o = {.n_trials = 100};
 *     hpo_study_optimize(s, objective, NULL, &o);
 *     hpo_trial *best; hpo_study_best_trial(s, &best);
 *     printf("%g\n", hpo_trial_value(best, 0));
 *     hpo_trial_free(best);
 *     hpo_study_free(s);
 */
#ifndef HPO_H
#define HPO_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HPO_VERSION_MAJOR 0
#define HPO_VERSION_MINOR 1
#define HPO_VERSION_PATCH 0
#define HPO_VERSION_STRING "0.1.0"

/* The version of the library actually linked, as "MAJOR.MINOR.PATCH". */
const char *hpo_version(void);

/* ------------------------------------------------------------------------- */
/* Status codes                                                               */
/* ------------------------------------------------------------------------- */

/* XX(name, value, description): one table, used for the enum, hpo_errstr()
 * and hpo_errname(). */
#define HPO_STATUS_MAP(XX)                                                   \
    XX(OK, 0, "success")                                                     \
    XX(DONE, 1, "nothing left to do (search space exhausted)")               \
    XX(PRUNED, 2, "trial pruned")                                            \
    XX(STOPPED, 3, "stopped on request")                                     \
    XX(TIMEOUT, 4, "time limit reached")                                     \
    XX(EINVAL, -1, "invalid argument")                                       \
    XX(ENOMEM, -2, "out of memory")                                          \
    XX(EMISUSE, -3, "call out of order")                                     \
    XX(ENOTFOUND, -4, "not found")                                           \
    XX(EEXIST, -5, "already exists")                                         \
    XX(ESTORAGE, -6, "storage error")                                        \
    XX(EFINISHED, -7, "trial already finished")                              \
    XX(EINCOMPAT, -8, "incompatible with what the study already holds")      \
    XX(EIO, -9, "input/output error")                                        \
    XX(EFAIL, -10, "objective failed")                                       \
    XX(EUNSUPPORTED, -11, "not supported by this build or this component")

typedef enum hpo_status {
#define HPO__STATUS_ENUM(name, value, text) HPO_##name = value,
    HPO_STATUS_MAP(HPO__STATUS_ENUM)
#undef HPO__STATUS_ENUM
} hpo_status;

/* A short English description of a status code ("invalid argument"). */
const char *hpo_errstr(int code);
/* The code's symbolic name without the prefix ("EINVAL"). */
const char *hpo_errname(int code);

/* ------------------------------------------------------------------------- */
/* Enumerations                                                               */
/* ------------------------------------------------------------------------- */

/* Numbers match Optuna's StudyDirection. */
typedef enum hpo_direction {
    HPO_MINIMIZE = 1,
    HPO_MAXIMIZE = 2
} hpo_direction;

/* Numbers match Optuna's TrialState.
 *
 *   enqueue --> WAITING --claim--+
 *                                v
 *   ask -------------------> RUNNING --tell--> COMPLETE | PRUNED | FAIL
 *
 * A finished trial (COMPLETE, PRUNED, FAIL) is never changed again. */
typedef enum hpo_trial_state {
    HPO_RUNNING = 0,
    HPO_COMPLETE = 1,
    HPO_PRUNED_STATE = 2,
    HPO_FAIL = 3,
    HPO_WAITING = 4
} hpo_trial_state;

/* Upper name of a state ("COMPLETE") or direction ("MINIMIZE"), as Optuna
 * stores them. */
const char *hpo_state_name(hpo_trial_state state);
const char *hpo_direction_name(hpo_direction direction);

/* Flags for the suggest and space functions. */
#define HPO_LOG 1 /* sample uniformly in log space; needs low > 0 */

/* The most objectives a study may have. */
#define HPO_MAX_OBJECTIVES 16
/* The most constraint values a trial may report. */
#define HPO_MAX_CONSTRAINTS 64

/* ------------------------------------------------------------------------- */
/* Search spaces                                                              */
/* ------------------------------------------------------------------------- */

/*
 * A declared search space: an ordered list of named distributions.  The CLI
 * reads one from --param flags or a JSON file; samplers that need the whole
 * space up front (grid, qmc) take it from the study.  Define-by-run code
 * does not need one.
 *
 * Distributions (the internal value in brackets is what samplers see):
 *   float        low..high                [the value]
 *   float log    low..high, low > 0       [the value]
 *   float step   low, low+step, ..., high [the value]; step divides high-low
 *   int          low..high                [the value as a double]
 *   int log      low..high, low >= 1      [the value]
 *   int step     low, low+step, ..., high [the value]; step divides high-low
 *   categorical  choices                  [the index of the choice]
 *
 * A parameter may carry a condition: it is active only when an earlier
 * categorical parameter takes one of listed choices.
 *
 * Not thread-safe: build a space in one thread, then hand it on.
 */
typedef struct hpo_space hpo_space;

hpo_space *hpo_space_new(void);
void hpo_space_free(hpo_space *space);

/* Add a float parameter.  step = 0 for a continuous one; flags HPO_LOG.
 * Returns HPO_EINVAL (message on the space) when low > high, a bound is not
 * finite, log has low <= 0, log is combined with a step, the step does not
 * divide the range, or the name is empty or already used. */
int hpo_space_add_float(hpo_space *space, const char *name, double low,
                        double high, double step, int flags);
/* Add an int parameter; step >= 1 (0 means 1); flags HPO_LOG (needs low >= 1
 * and step 1).  Bounds lie within +-(2^53 - 1): values are kept as doubles
 * (as in Optuna's storage), which hold every integer exactly only that far.
 * Names (here and everywhere) have 1 to 512 characters of valid UTF-8;
 * choices are valid UTF-8. */
int hpo_space_add_int(hpo_space *space, const char *name, int64_t low,
                      int64_t high, int64_t step, int flags);
/* Add a categorical parameter with n >= 1 distinct string choices. */
int hpo_space_add_categorical(hpo_space *space, const char *name,
                              const char *const *choices, int n);
/* The same with each choice given as JSON text of one scalar ("\"rbf\"",
 * "3", "0.5", "true", "null"), stored with its type as Optuna stores
 * choices of any type (the Python binding passes its choices so).  A
 * number is kept as cJSON prints it: 1.0 reads back as 1. */
int hpo_space_add_categorical_json(hpo_space *space, const char *name,
                                   const char *const *choices_json, int n);
/* Make `name` active only when `parent` (an earlier categorical parameter)
 * takes one of the n choices listed. */
int hpo_space_set_condition(hpo_space *space, const char *name,
                            const char *parent, const char *const *choices,
                            int n);

/* Add one parameter from the CLI's compact form:
 *     lr=float:1e-5:1e-1:log      depth=int:1:12
 *     units=int:16:256:step=16    x=float:0:1:step=0.1
 *     kernel=cat:rbf,linear,poly  (also categorical:...)
 * An optional trailing ":if=PARENT=c1|c2" adds a condition. */
int hpo_space_parse_param(hpo_space *space, const char *spec);

/* Add every parameter of a JSON space document.  The document is an object
 * whose keys are parameter names, in order, and whose values are either a
 * compact spec string ("float:1e-5:1e-1:log") or an object:
 *     {"type": "float"|"int"|"categorical", "low": L, "high": H,
 *      "log": bool, "step": S, "choices": [...], "if": {"parent": [c, ...]}}
 * `source` names the document in error messages (a file name); errors give
 * the line and column where they can. */
int hpo_space_parse_json(hpo_space *space, const char *text,
                         const char *source);
/* Read and parse a JSON space file. */
int hpo_space_load_file(hpo_space *space, const char *path);

/* The message of the last failed call on this space. */
const char *hpo_space_errmsg(const hpo_space *space);
/* Number of parameters, and the name of the i-th (0-based; borrowed). */
int hpo_space_size(const hpo_space *space);
const char *hpo_space_name(const hpo_space *space, int i);
/* The space as a JSON document in the form hpo_space_parse_json() reads.
 * The returned string is owned by the caller: free() it. */
char *hpo_space_to_json(const hpo_space *space);

/* ------------------------------------------------------------------------- */
/* Storage                                                                   */
/* ------------------------------------------------------------------------- */

/*
 * Where studies live.  A URL chooses the backend:
 *     memory:                        private to the process (also memory
 *                                    and memory://; a study without a
 *                                    storage gets one); an empty or NULL
 *                                    URL is an error, never memory
 *     sqlite:///path/to/file.db      an SQLite file in Optuna's schema;
 *                                    options ?optuna=3.1|3.2 (the schema
 *                                    marker, default 3.1), &timeout=S (busy
 *                                    wait, default 30), &sync=off|normal|full
 *     postgresql://user:pw@host:port/db   (also postgres://) PostgreSQL in
 *                                    Optuna's schema; ?optuna=3.1|3.2 and
 *                                    libpq's own options; a lost connection
 *                                    is retried with backoff for 30 s
 * Several studies may share one storage.  Thread-safe.
 */
typedef struct hpo_storage hpo_storage;

/* Open a storage.  *out is always set (unless memory runs out), so that
 * hpo_storage_errmsg() can tell why an open failed; close it even then.
 * Returns HPO_EINVAL for an empty URL or an unknown scheme,
 * HPO_EUNSUPPORTED for a backend not compiled in, HPO_ESTORAGE with the
 * database's text otherwise. */
int hpo_storage_open(hpo_storage **out, const char *url);
void hpo_storage_close(hpo_storage *storage);
/* The storage's messages never show a password of its URL, not even
 * where they quote the database's own text. */
const char *hpo_storage_errmsg(const hpo_storage *storage);
/* `url` as it may be shown: every password in it (user:PASSWORD@host, or
 * an option password=... or sslpassword=...) becomes "***".  out gets at
 * most size-1 bytes and a NUL; returns the length of the whole text. */
size_t hpo_url_redact(const char *url, char *out, size_t size);

/* One stored study, as listed by hpo_storage_studies(). */
typedef struct hpo_study_summary {
    char *name;
    int n_objectives;
    hpo_direction directions[HPO_MAX_OBJECTIVES];
    int n_trials;
} hpo_study_summary;

/* Every study in the storage, ordered by creation.  *out is owned by the
 * caller: release it with hpo_study_summaries_free(*out, *n). */
int hpo_storage_studies(hpo_storage *storage, hpo_study_summary **out, int *n);
void hpo_study_summaries_free(hpo_study_summary *list, int n);
/* Delete a study and all its trials.  HPO_ENOTFOUND if there is none. */
int hpo_storage_delete_study(hpo_storage *storage, const char *name);

/* ------------------------------------------------------------------------- */
/* Studies                                                                   */
/* ------------------------------------------------------------------------- */

typedef struct hpo_study hpo_study;
typedef struct hpo_trial hpo_trial;

/*
 * A study is made in three steps, like an NLopt optimizer:
 *   1. hpo_study_new()
 *   2. set options: storage, directions, sampler, pruner, seed, space
 *   3. hpo_study_open() to create or load it by name
 * Options set after opening return HPO_EMISUSE, except the log callback.
 */
hpo_study *hpo_study_new(void);
void hpo_study_free(hpo_study *study);

/* The message of the last failed call on this study (thread-local use only:
 * with n_jobs > 1, trial errors are on the trial handles). */
const char *hpo_study_errmsg(const hpo_study *study);

/* Use `storage` (borrowed: it must outlive the study).  Without this call
 * the study gets its own in-memory storage. */
int hpo_study_set_storage(hpo_study *study, hpo_storage *storage);
/* Add one objective's direction; call once per objective, in order.
 * Without this call the study has one objective, minimized. */
int hpo_study_add_direction(hpo_study *study, hpo_direction direction);
/* Choose a sampler by registry name with options: "random",
 * "grid:points=5", "tpe:multivariate=true".  hpo_sampler_name() lists them.
 * Without this call the study uses "auto", which picks by the space:
 * multivariate TPE for conditional or mostly categorical spaces, GP-BO for
 * up to 16 parameters, TPE beyond; random until a space is known (the
 * choice is stored in the study's system attribute "hpo:auto").
 * Returns HPO_EINVAL with a message for unknown names or options. */
int hpo_study_set_sampler(hpo_study *study, const char *spec);
/* Choose a pruner the same way: "none", "median:n_startup_trials=5". */
int hpo_study_set_pruner(hpo_study *study, const char *spec);
/* Seed every random choice of the study.  A seeded single-worker run is
 * reproducible bit for bit.  Without a seed one is drawn from the OS. */
int hpo_study_set_seed(hpo_study *study, uint64_t seed);
/* Declare the search space (copied).  Needed by grid and qmc; used by
 * hpo_trial_suggest_all(). */
int hpo_study_set_space(hpo_study *study, const hpo_space *space);

/*
 * Worker liveness, for studies shared by several processes or machines.
 * While this study handle runs trials it records a heartbeat for each of
 * them every interval_s seconds; before each new trial it fails the study's
 * RUNNING trials whose heartbeat is older than grace_s (0 means twice the
 * interval, Optuna's default), so a trial whose worker died is not left
 * RUNNING forever.  Storages without heartbeats (memory:) ignore this.
 * interval_s 0 turns heartbeats off (the default).
 */
int hpo_study_set_heartbeat(hpo_study *study, double interval_s,
                            double grace_s);
/* Re-enqueue a FAIL trial's parameters as a new WAITING trial, up to
 * max_retries times per original trial (0, the default, never).  The retry
 * carries system attributes "failed_trial" (the number of the trial it
 * repeats) and "retry_history" (every number before it), as Optuna's
 * RetryFailedTrialCallback writes them. */
int hpo_study_set_retry_failed(hpo_study *study, int max_retries);
/* Fail (and, if asked, retry) the stale trials now; *n_failed (may be
 * NULL) receives how many.  hpo_study_ask does this before each trial. */
int hpo_study_fail_stale_trials(hpo_study *study, int *n_failed);

/* Receive progress and diagnostics.  level: 0 debug, 1 info, 2 warning. */
typedef void (*hpo_log_fn)(int level, const char *message, void *data);
int hpo_study_set_log(hpo_study *study, hpo_log_fn fn, void *data);

#define HPO_OPEN_CREATE 1 /* create the study; HPO_EEXIST if it exists */
#define HPO_OPEN_LOAD 2   /* load it; HPO_ENOTFOUND if it does not exist */
/* Create or load the study `name` (both flags: load if present, else
 * create).  A name that is empty, longer than 512 characters or not valid
 * UTF-8 is HPO_EINVAL before the storage is touched.  A loaded study keeps its stored directions; directions given
 * with hpo_study_add_direction() must then match (HPO_EINCOMPAT). */
int hpo_study_open(hpo_study *study, const char *name, int flags);

/* The study's name, number of objectives and the i-th direction. */
const char *hpo_study_name(const hpo_study *study);
int hpo_study_n_objectives(const hpo_study *study);
hpo_direction hpo_study_direction(const hpo_study *study, int i);
/* The study's user attributes by position, for listing them all: i from 0
 * while the key is not NULL (i = 0 reads them from storage; the key and
 * *json are borrowed until the next attribute call on the study, so a
 * program listing them from several threads holds a lock of its own
 * around the loop).  Attributes are described below. */
const char *hpo_study_user_attr_at(hpo_study *study, int i, const char **json);

/* Attributes hold JSON text ("3", "\"adam\"", "{\"a\": 1}"); the text must
 * be strict JSON as Python reads it (RFC 8259: no text after the value, no
 * key twice, valid UTF-8, no \u0000), else HPO_EINVAL. */
int hpo_study_set_user_attr(hpo_study *study, const char *key,
                            const char *json);
/* Borrowed JSON text of an attribute, or NULL if absent.  The text stays
 * valid until the next attribute read on this study, so a program that
 * reads a study's attributes from several threads uses the _dup form: a
 * copy the caller free()s (NULL if absent or out of memory). */
const char *hpo_study_user_attr(hpo_study *study, const char *key);
char *hpo_study_user_attr_dup(hpo_study *study, const char *key);
/* System attributes: state that tools keep with the study (the CLI keeps
 * its command and space there, under keys starting "hpo:").  Same rules. */
int hpo_study_set_system_attr(hpo_study *study, const char *key,
                              const char *json);
const char *hpo_study_system_attr(hpo_study *study, const char *key);
char *hpo_study_system_attr_dup(hpo_study *study, const char *key);

/* ------------------------------------------------------------------------- */
/* Ask and tell                                                               */
/* ------------------------------------------------------------------------- */

/*
 * Ask for a new trial: a WAITING (enqueued) trial if there is one, else a
 * new RUNNING one.  *out is owned by the caller, to be passed to
 * hpo_study_tell() and then released with hpo_trial_free().
 * Returns HPO_DONE when the sampler has nothing left to propose (an
 * exhausted grid); *out is then NULL.
 * Thread-safe: several threads may ask and tell on one study.
 */
int hpo_study_ask(hpo_study *study, hpo_trial **out);

/*
 * Finish a trial.  state COMPLETE needs n == the number of objectives
 * values; a NaN value turns the trial into FAIL (as Optuna does); ±inf are
 * stored as such.  PRUNED takes no values (its last intermediate value is
 * recorded as its value); FAIL takes none.  Returns HPO_EFINISHED if the
 * trial was already told.  The handle stays valid (free it after).
 * A trial that another process failed by a heartbeat check while it ran
 * here keeps its result: a COMPLETE or PRUNED one is stored as the trial's
 * unclaimed retry or as a new trial (system attribute late_result_of),
 * the handle then names that trial, and HPO_OK is returned; until then
 * report, should_prune, attributes and suggest work on the handle as
 * usual (docs/distributed.md, "Late results").
 */
int hpo_study_tell(hpo_study *study, hpo_trial *trial, hpo_trial_state state,
                   const double *values, int n);

/*
 * A handle on the study's trial `number`, read from storage, for a process
 * that did not ask it (a job array: one process asks, another tells, as
 * Optuna's study.tell(trial_number)).  Owned as hpo_study_ask's: tell it,
 * report, set attributes, then hpo_trial_free().  A finished trial comes
 * back as such (tell gives HPO_EFINISHED, nothing stored changes).
 * HPO_ENOTFOUND when the study has no trial of that number.
 */
int hpo_study_trial(hpo_study *study, int number, hpo_trial **out);

/* Enqueue a trial whose parameters are fixed: workers take enqueued trials
 * first.  `params` is a JSON object {"name": value, ...}; categorical
 * values are given as their choice. */
int hpo_study_enqueue(hpo_study *study, const char *params_json);

/* Record a trial whose parameters were chosen elsewhere (a mirror of
 * another tool's trial: the Optuna adapters of python/hpo/optuna): a new
 * RUNNING trial whose parameters are fixed as an enqueued trial's
 * (params_json as hpo_study_enqueue takes it), without claiming a WAITING
 * trial or asking the sampler.  Suggest its parameters (they come back as
 * fixed), report, then tell it as any asked trial. */
int hpo_study_ask_fixed(hpo_study *study, const char *params_json,
                        hpo_trial **out);

/* ------------------------------------------------------------------------- */
/* Optimize: a loop over ask and tell                                        */
/* ------------------------------------------------------------------------- */

/*
 * The objective fills values[0 .. n_objectives-1] and returns:
 *   HPO_OK      the trial is COMPLETE with those values;
 *   HPO_PRUNED  it is PRUNED (typically after hpo_trial_should_prune());
 *   an error    it is FAIL; the study goes on.
 */
typedef int (*hpo_objective_fn)(hpo_trial *trial, void *data, double *values);

/* Called after each finished trial (from the worker thread that ran it,
 * one call at a time).  Return nonzero to stop the study. */
typedef int (*hpo_callback_fn)(hpo_study *study, const hpo_trial *trial,
                               void *data);

typedef struct hpo_optimize_options {
    int n_trials;     /* trials to run in this call; 0 = no limit */
    double timeout_s; /* stop starting trials after this; 0 = no limit */
    int n_jobs;       /* worker threads; 0 or 1 = the calling thread */
    hpo_callback_fn callback;
    void *callback_data;
    /* A budget of resource (intermediate steps as units: epochs, boosting
     * rounds; hpo_trial_resource has the rule): start no trial once the
     * study's trials together have used budget_resource units.  Every
     * trial of the study counts, whichever worker or process ran it, as
     * read from storage before each start; a running trial counts what it
     * has reported so far, and trials under way finish (so the total may
     * end above the budget by what they still use).  0 = no limit; the
     * run then returns HPO_OK.  The budget is the study's total, not this
     * call's: to allow N more, add N to hpo_study_resource_used(). */
    int64_t budget_resource;
    /* What a COMPLETE trial that reported no intermediate value counts
     * (a full training run); 0 counts it as 1. */
    int64_t max_resource;
} hpo_optimize_options;

/*
 * Run trials until n_trials are done, the timeout passes, the sampler is
 * exhausted, a callback asks to stop or hpo_study_stop() is called.
 * A zeroed options struct (or NULL) means: one thread, until stopped.
 * Returns HPO_OK when n_trials were run, else the stop reason (HPO_DONE,
 * HPO_TIMEOUT, HPO_STOPPED), or a negative code if the storage failed.
 */
int hpo_study_optimize(hpo_study *study, hpo_objective_fn objective,
                       void *data, const hpo_optimize_options *options);

/* The study's budget in trials, for samplers that plan for it (`auto`
 * hands a long gp study to cmaes at a point that depends on it): the
 * study system attribute HPO_N_TRIALS_ATTR becomes the study's trials now
 * (in any state) plus n_more, unless a larger number is stored there
 * (another worker's longer run).  hpo_study_optimize calls it with its
 * n_trials (when not 0); call it before an ask/tell loop of known
 * length.  The study must be open. */
#define HPO_N_TRIALS_ATTR "hpo:n_trials"
int hpo_study_plan_trials(hpo_study *study, int n_more);

/* Ask a running hpo_study_optimize() to stop after the trials in flight.
 * Async-signal-safe: may be called from a signal handler. */
void hpo_study_stop(hpo_study *study);

/* ------------------------------------------------------------------------- */
/* Trials: the define-by-run interface                                        */
/* ------------------------------------------------------------------------- */

/* Suggest a float in [low, high] (step 0 = continuous; flags HPO_LOG).
 * Returns the same value when asked again for the same name; HPO_EINCOMPAT
 * if the name was used with another kind of distribution in this study. */
int hpo_trial_suggest_float(hpo_trial *trial, const char *name, double low,
                            double high, double step, int flags, double *out);
int hpo_trial_suggest_int(hpo_trial *trial, const char *name, int64_t low,
                          int64_t high, int64_t step, int flags, int64_t *out);
/* Suggest one of n string choices; *index receives its position. */
int hpo_trial_suggest_categorical(hpo_trial *trial, const char *name,
                                  const char *const *choices, int n,
                                  int *index);
/* Suggest one of n choices given as JSON text (see
 * hpo_space_add_categorical_json). */
int hpo_trial_suggest_categorical_json(hpo_trial *trial, const char *name,
                                       const char *const *choices_json, int n,
                                       int *index);
/* Suggest every active parameter of the study's declared space, in order. */
int hpo_trial_suggest_all(hpo_trial *trial);

/* Report an intermediate value at a step (e.g. an epoch; steps are the
 * trial's resource, see hpo_trial_resource).  The rules:
 *   - a negative step is HPO_EINVAL;
 *   - a step reported before keeps its first value: the call returns
 *     HPO_OK, stores nothing and logs a warning (Optuna's rule);
 *   - a step below the highest one reported is HPO_EINVAL, nothing stored
 *     (Optuna accepts any order; hpo keeps steps going forward, so the last
 *     report is the highest step, which pruners and a PRUNED trial's value
 *     read);
 *   - NaN and ±inf are stored as given (as Optuna stores them).  A NaN
 *     means "no value at this step": pruners skip it, and a trial with no
 *     other value is judged as the worst;
 *   - after tell, HPO_EFINISHED.
 * A study with several objectives takes no intermediate values
 * (HPO_EMISUSE). */
int hpo_trial_report(hpo_trial *trial, int64_t step, double value);
/* The study's pruner's verdict on the trial so far: 0 go on; 1 prune it
 * (return HPO_PRUNED from the objective, or tell it PRUNED); 2 stop, it
 * has had all the resource the pruner gives a trial (tell it COMPLETE with
 * its last value; only pruners with a maximum resource say so); a
 * negative code on error.  The codes are hpo_verdict's (hpo_plugin.h). */
int hpo_trial_should_prune(hpo_trial *trial);

int hpo_trial_set_user_attr(hpo_trial *trial, const char *key,
                            const char *json);

/* Constraints (Optuna's constraints_func): report n values, each <= 0 when
 * its constraint is satisfied, before telling the trial.  Stored as the
 * trial system attribute "constraints" (where Python Optuna reads them).
 * Samplers prefer regions where every value is <= 0; the best trial and
 * the Pareto front hold only feasible trials (trials without constraints
 * count as feasible).  NaN is refused. */
int hpo_trial_set_constraints(hpo_trial *trial, const double *c, int n);
/* The trial's constraint values into out[0..max-1]: returns how many are
 * stored (0: none; may exceed max), or HPO_EINVAL if the stored text is
 * not a list of numbers. */
int hpo_trial_constraints(const hpo_trial *trial, double *out, int max);
/* 1 when every constraint value is <= 0 (or there are none), else 0. */
int hpo_trial_is_feasible(const hpo_trial *trial);
const char *hpo_trial_errmsg(const hpo_trial *trial);

/* ------------------------------------------------------------------------- */
/* Reading trials                                                             */
/* ------------------------------------------------------------------------- */

/* These accessors work on a trial being run and on the copies returned by
 * hpo_study_trials() and friends.  Strings are borrowed from the trial. */
int hpo_trial_number(const hpo_trial *trial);
hpo_trial_state hpo_trial_state_of(const hpo_trial *trial);
int hpo_trial_n_values(const hpo_trial *trial);
double hpo_trial_value(const hpo_trial *trial, int i); /* NaN if none */
int hpo_trial_n_params(const hpo_trial *trial);
const char *hpo_trial_param_name(const hpo_trial *trial, int i);
/* The value as the user sees it: a float, an int as a double, or for a
 * categorical the index of its choice. */
double hpo_trial_param_value(const hpo_trial *trial, int i);
/* The value as text: "0.001", "12", "rbf".  Borrowed; NULL when memory
 * runs out. */
const char *hpo_trial_param_text(const hpo_trial *trial, int i);
/* The kind of the i-th parameter's distribution. */
typedef enum hpo_param_kind {
    HPO_PARAM_FLOAT = 0,
    HPO_PARAM_INT = 1,
    HPO_PARAM_CATEGORICAL = 2
} hpo_param_kind;
hpo_param_kind hpo_trial_param_kind(const hpo_trial *trial, int i);
/* Optuna's distribution_json of the i-th parameter (borrowed). */
const char *hpo_trial_param_distribution(const hpo_trial *trial, int i);
/* Look a parameter up by name: 1 and *value if present, else 0. */
int hpo_trial_param(const hpo_trial *trial, const char *name, double *value);
/* The position i of the parameter called name (for the accessors above),
 * or -1 if the trial has none of that name.  Constant time on average. */
int hpo_trial_param_index(const hpo_trial *trial, const char *name);
int hpo_trial_n_intermediate(const hpo_trial *trial);
void hpo_trial_intermediate(const hpo_trial *trial, int i, int64_t *step,
                            double *value);
/* Borrowed JSON text, or NULL. */
const char *hpo_trial_user_attr(const hpo_trial *trial, const char *key);
/* Attributes by position, for listing them all: i from 0 while the key is
 * not NULL; *json receives the borrowed value. */
const char *hpo_trial_user_attr_at(const hpo_trial *trial, int i,
                                   const char **json);
const char *hpo_trial_system_attr_at(const hpo_trial *trial, int i,
                                     const char **json);
const char *hpo_trial_system_attr(const hpo_trial *trial, const char *key);
/* Seconds since the epoch; NaN if not started / not finished. */
double hpo_trial_start_time(const hpo_trial *trial);
double hpo_trial_end_time(const hpo_trial *trial);

/* Release a trial handle (NULL is fine).  Freeing a trial that was never
 * told leaves it RUNNING in storage (a heartbeat monitor may fail it). */
void hpo_trial_free(hpo_trial *trial);

/* All trials of the study, ordered by number.  *out is an owned array of
 * owned trials: release with hpo_trials_free(). */
int hpo_study_trials(hpo_study *study, hpo_trial ***out, int *n);
void hpo_trials_free(hpo_trial **trials, int n);
/* How many trials the study has in each state: counts[HPO_RUNNING] ...
 * counts[HPO_WAITING] (an array of 5).  Reads only what changed since the
 * last read and costs what is unfinished, not the study's size, so it is
 * cheap to call before every trial. */
int hpo_study_count_trials(hpo_study *study, int counts[5]);
/* The trials in the given states, ordered by number, as hpo_study_trials:
 * `states` is a mask of bits (1u << state), e.g.
 * (1u << HPO_RUNNING) | (1u << HPO_WAITING).  Asking for unfinished
 * states only reads and copies only the unfinished trials, so that is
 * cheap to call before every trial. */
int hpo_study_trials_in(hpo_study *study, unsigned states, hpo_trial ***out,
                        int *n);
/* The best feasible COMPLETE trial of a single-objective study (owned
 * copy).  HPO_ENOTFOUND when no trial is complete (or none is feasible);
 * HPO_EMISUSE for several objectives (use hpo_study_pareto_front). */
int hpo_study_best_trial(hpo_study *study, hpo_trial **out);
/* The feasible COMPLETE trials no other feasible COMPLETE trial dominates
 * (any number of objectives), ordered by number. */
int hpo_study_pareto_front(hpo_study *study, hpo_trial ***out, int *n);

/* ------------------------------------------------------------------------- */
/* Resource: intermediate steps as units of work                              */
/* ------------------------------------------------------------------------- */

/*
 * The resource a trial has used, in the units its steps count (epochs,
 * boosting rounds):
 *   - with intermediate values: its highest step, plus one when it
 *     reported a step 0.  Steps counted from 1 (hpo's learners: round k is
 *     step k) and from 0 (Optuna's XGBoost and LightGBM callbacks: round k
 *     is step k-1) both give the rounds trained: 1..243 and 0..242 are 243;
 *   - without: a COMPLETE trial counts max_resource (0 means 1), any other
 *     state 0 (it was not run, or failed before it reported anything).
 * Any state counts: a PRUNED or FAIL trial used what it reported.
 */
int64_t hpo_trial_resource(const hpo_trial *trial, int64_t max_resource);
/* The resource all of the study's trials have used, as hpo_study_optimize
 * counts it for budget_resource: read from storage (every worker's
 * trials), running ones as far as they got.  HPO_EINVAL for a negative
 * max_resource. */
int hpo_study_resource_used(hpo_study *study, int64_t max_resource,
                            int64_t *used);

/* ------------------------------------------------------------------------- */
/* Registry                                                                   */
/* ------------------------------------------------------------------------- */

/* Names and one-line summaries of the compiled-in samplers and pruners, for
 * --help and docs: i from 0 until NULL is returned. */
const char *hpo_sampler_name(int i, const char **summary);
const char *hpo_pruner_name(int i, const char **summary);

/* ------------------------------------------------------------------------- */
/* Parameter importance                                                       */
/* ------------------------------------------------------------------------- */

/*
 * How much each parameter decided the objective, from a study's COMPLETE
 * trials (src/analysis/):
 *   HPO_FANOVA     fANOVA (Hutter, Hoos & Leyton-Brown 2014): a random
 *                  forest is fitted to the trials and each tree's variance
 *                  is split into the parameters' main effects; as Optuna's
 *                  FanovaImportanceEvaluator (64 trees, fully grown).
 *   HPO_PED_ANOVA  PED-ANOVA (Watanabe et al. 2023): how far the density of
 *                  the best target_quantile of the trials departs from
 *                  that of the region_quantile, per parameter; no model,
 *                  so it is the fast one on very large studies.
 * Parameters are measured in the samplers' encoding: log-scaled ones
 * uniformly in log space, ints one equal cell per value, categoricals
 * uniformly over their choices.  Only parameters every used trial has are
 * assessed (a conditional parameter some trials lack is left out, as in
 * Optuna).  Importances are >= 0 and sum to 1 (all 0 when the objective
 * never varies).
 */
/* fANOVA fits its forest to at most this many trials by default (a seeded
 * random subset above): fitting grows faster than n per tree, and 2,000
 * random trials pin down the main effects well (importances within a few
 * hundredths of the whole study's). */
#define HPO_IMPORTANCE_MAX_TRIALS 2000

typedef enum hpo_importance_method {
    HPO_FANOVA = 0,
    HPO_PED_ANOVA = 1
} hpo_importance_method;

typedef struct hpo_importance_options {
    hpo_importance_method method;
    /* The objective's index; -1: the study's only one (HPO_EINVAL for a
     * study with several). */
    int objective;
    uint64_t seed;          /* fANOVA's forest and subset */
    int n_trees;            /* fANOVA; 0: 64 */
    /* fANOVA fits at most this many trials, a seeded random subset of
     * larger studies; 0: HPO_IMPORTANCE_MAX_TRIALS (2,000), which keeps
     * a 100,000-trial study under a second.  PED-ANOVA reads all. */
    int max_trials;
    double target_quantile; /* PED-ANOVA's gamma'; 0: 0.1 */
    double region_quantile; /* PED-ANOVA's gamma; 0: 1 (every trial) */
} hpo_importance_options;

/* The defaults: fANOVA, objective -1, seed 0, and the zeros above. */
void hpo_importance_options_default(hpo_importance_options *o);

typedef struct hpo_importance {
    char *name;   /* the parameter */
    double value; /* its importance, in [0, 1] */
} hpo_importance;

/*
 * The importances of the study's parameters, most important first (ties
 * by name).  o may be NULL (the defaults).  *out is an owned array of *n
 * entries: release it with hpo_importance_free().  The study must be
 * open; it is only read, under the study's lock, so other threads may
 * run trials meanwhile (they wait while the trials are copied out, not
 * while the method runs).  Returns HPO_OK, or with a message on the study:
 * HPO_EINVAL for fewer than 2 COMPLETE trials with a finite value, no
 * parameter common to them, a bad objective (or -1 with several) or a bad
 * option; HPO_ENOMEM; the storage's error.
 *
 *     hpo_importance *imp; int n;
 *     if (hpo_study_importance(study, NULL, &imp, &n) == HPO_OK) {
 *         for (int i = 0; i < n; i++) printf("%s %.3f\n", imp[i].name, imp[i].value);
 *         hpo_importance_free(imp, n);
 *     }
 */
int hpo_study_importance(hpo_study *study, const hpo_importance_options *o,
                         hpo_importance **out, int *n);
void hpo_importance_free(hpo_importance *list, int n);

/*
 * The same without a study: n rows of dim features x (row-major) and
 * outputs y (smaller is better; it matters to PED-ANOVA only).  Feature j
 * is numeric in [0, 1] when n_cat[j] == 0 (n_cat may be NULL: all
 * numeric), else categorical with values 0 .. n_cat[j]-1.  importance[j]
 * receives feature j's share, in column order (not sorted), summing to 1.
 * o->objective and o->max_trials are ignored (every row is used).
 * HPO_OK, HPO_EINVAL (n < 2, dim < 1, a value out of range or not
 * finite, a bad option) or HPO_ENOMEM.
 */
int hpo_importance_of(const double *x, const double *y, int n, int dim,
                      const int *n_cat, const hpo_importance_options *o,
                      double *importance);

/* ------------------------------------------------------------------------- */
/* Iterated racing (irace)                                                    */
/* ------------------------------------------------------------------------- */

/*
 * Iterated racing (López-Ibáñez et al. 2016, irace): configurations of the
 * study's declared space are raced over instances (data sets, folds, input
 * files, each paired with a seed); a configuration is dropped once it is
 * statistically worse than the best (Friedman's test and Conover's post-hoc
 * comparison, or paired t-tests); the survivors (elites) seed a sampling
 * model for the next race, whose variance shrinks each iteration.
 *
 * The study must be open, single-objective, with a declared space
 * (hpo_study_set_space).  Every experiment is a trial: the configuration
 * as its params, user attributes "instance" (the instance string),
 * "instance_index", "seed", "configuration" (an id) and "race_iteration",
 * its value the score.  At the end one more trial per final elite holds
 * the elite's mean over its instances as value, with user attributes
 * "race_elite" (1 = best), "configuration", "n_instances" (and
 * "race_test_mean" with test instances); the study user attribute
 * "race_best_trial" names the best elite's trial, which `hpo best` shows.
 * Test-instance experiments are trials with "race_phase": "test".
 */

/* Run one experiment: the trial's params are the configuration; put the
 * score in *value.  Return HPO_OK, HPO_EFAIL (the experiment failed: it
 * counts as the worst score, as irace does), or another error to stop the
 * race (its code is returned by hpo_study_race).  Called from up to
 * n_jobs threads at once, each with its own trial. */
typedef int (*hpo_race_eval_fn)(hpo_trial *trial, const char *instance,
                                int instance_index, uint32_t seed,
                                void *data, double *value);

typedef struct hpo_race_progress {
    int iteration, n_iterations; /* n_iterations grows if budget is left */
    int n_configurations;        /* in this race */
    int alive;
    int instances;               /* instances raced so far in this race */
    int64_t used, budget;        /* experiments (budget: 0 if by time) */
    double elapsed_s;
    int finished;                /* 1: the race of `iteration` ended */
} hpo_race_progress;
typedef void (*hpo_race_progress_fn)(const hpo_race_progress *p, void *data);

typedef enum hpo_race_test {
    HPO_RACE_FRIEDMAN = 0, /* irace's default ("F-test") */
    HPO_RACE_TTEST = 1,
    HPO_RACE_TTEST_HOLM = 2
} hpo_race_test;

typedef struct hpo_race_options {
    const char *const *instances; /* training instances (copied) */
    int n_instances;
    const char *const *test_instances; /* may be NULL */
    int n_test_instances;
    int64_t budget;       /* experiments; 0: time_budget_s alone */
    double time_budget_s; /* 0: none; else no experiment starts after it */
    int n_jobs;           /* experiments at once (one instance's); 0 = 1 */
    hpo_race_test test;
    double confidence;    /* 0 = 0.95 */
    int first_test;       /* 0 = 5 instances before the first test */
    int each_test;        /* 0 = 1 */
    int n_iterations;     /* 0 = floor(2 + log2(parameters)) */
    int min_survivors;    /* 0 = floor(2 + log2(parameters)) */
    hpo_race_eval_fn eval;
    void *eval_data;
    hpo_race_progress_fn progress; /* may be NULL */
    void *progress_data;
} hpo_race_options;

typedef struct hpo_race_elite {
    int configuration; /* the id in the trials' "configuration" */
    int trial;         /* the number of its summary trial */
    double mean;       /* mean score on the training instances it saw */
    int n_instances;
    double test_mean;  /* mean on the test instances; NaN without */
} hpo_race_elite;

/*
 * Race until the budget is spent.  *elites (owned by the caller: free())
 * gets the final elites, best first, *n_elites their number.  Returns
 * HPO_OK, HPO_STOPPED (hpo_study_stop(): the experiments told so far stay
 * stored; no elite is returned or stored),
 * HPO_EINVAL (no instances, no space, several objectives, a budget below
 * the minimum irace's rule gives: the message says it), the error an
 * eval returned, or a storage error (message on the study).
 */
int hpo_study_race(hpo_study *study, const hpo_race_options *o,
                   hpo_race_elite **elites, int *n_elites);
/* The smallest budget (experiments) a race of n_params parameters takes,
 * by irace's rule (elitist, 1 new instance per iteration). */
int64_t hpo_race_min_budget(int n_params, const hpo_race_options *o);

/* ------------------------------------------------------------------------- */
/* Hypergradients (src/hypergrad/, docs/hypergrad.md)                         */
/* ------------------------------------------------------------------------- */

/*
 * Tune a learner's continuous hyperparameters by gradient descent on its
 * validation loss, what `hpo hypergrad MODEL` runs.  The gradient (the
 * hypergradient) is exact: by implicit differentiation of the fitted
 * weights for ridge, L2 logistic regression and kernel ridge (Pedregosa
 * 2016; Lorraine et al. 2020), or carried forward through SGD training for
 * softmax regression and the MLP (Franceschi et al. 2017).
 *
 * The rows of the data file are split once, seeded: 60% train, 20%
 * validation, 20% test (stratified for mlp and linear), the features
 * standardized on the training rows.  Each outer step is one fit and one
 * COMPLETE trial of the study: its parameters the hyperparameters as
 * float-log distributions in their bounds ("lambda", "lambda_<feature>",
 * "width", "lr", "lr_<epoch>", "momentum", "weight_decay"), its value the
 * validation loss, its user attributes "test_loss", "grad_norm" and, for
 * classifiers, "val_metric" (the validation error rate).
 */

/* Called after each outer step, and with a one-line note when there is
 * something to say (a note of the data loader; the step size halved on a
 * divergent validation loss; L-BFGS restarted).  Everything it points to
 * is borrowed for the call only. */
typedef struct hpo_hypergrad_progress {
    const char *note;          /* NULL: a step (the fields below); else the
                                * note's text, the fields then undefined */
    int step, n_steps;         /* the step just done (1-based), the budget */
    double val_loss, test_loss;
    int n_hyper;
    const char *const *names;  /* n_hyper hyperparameter names */
    const double *values;      /* n_hyper: the hyperparameters of the step */
} hpo_hypergrad_progress;
typedef void (*hpo_hypergrad_progress_fn)(const hpo_hypergrad_progress *p,
                                          void *data);

typedef struct hpo_hypergrad_options {
    /* "ridge", "logistic" (two classes), "krr" (RBF kernel: lambda and
     * the width), "mlp" or "linear" (softmax regression; both trained by
     * SGD, any number of classes). */
    const char *model;
    const char *data_path;  /* a CSV file (header row) or a libsvm file */
    const char *target;     /* the column to predict; NULL: the last */
    int per_feature;        /* ridge, logistic: one lambda per feature
                             * (krr refuses it; mlp, linear ignore it) */
    int steps;              /* outer steps = fits (>= 1; default 30) */
    const char *method;     /* "lbfgs" (L-BFGS-B, default) or "adam" */
    const char *solver;     /* "exact" (Cholesky, default), "cg", "neumann" */
    double step_size;       /* Adam's step in log space (> 0; default 0.3) */
    double tol0;            /* HOAG's first inner tolerance, x0.9 a step
                             * (>= 0; default 1e-6; 0: exact every step) */
    uint64_t seed;          /* the split; for mlp and linear also the
                             * initial weights and the batch order */
    /* mlp and linear only: */
    int epochs;             /* epochs of training per fit (default 20) */
    const char *schedule;   /* "per-epoch" (default) or "constant" */
    const char *tune;       /* tuned among "lr", "momentum", "weight_decay",
                             * comma-separated (default "lr"); the others
                             * stay at 0.01, 0.9, 1e-4 */
    long truncate;          /* differentiate only the last K SGD steps (0:
                             * all) */
    int batch;              /* mini-batch size (default 32) */
    int hidden;             /* the MLP's hidden units (default 64) */
    hpo_hypergrad_progress_fn progress; /* may be NULL */
    void *progress_data;
} hpo_hypergrad_options;

/* The defaults above; model and data_path NULL (they must be set). */
void hpo_hypergrad_options_default(hpo_hypergrad_options *o);

typedef struct hpo_hypergrad_result {
    double val_loss;   /* the best validation loss of the steps (+inf
                        * when none was finite) */
    double test_loss;  /* the test loss of that step's model */
    double val_metric; /* its validation error rate (classifiers), else NaN */
    int n_steps;       /* steps done = trials stored */
    long fits;         /* learner trainings */
    int halvings;      /* times Adam's step size was halved */
    int n_train, n_val, n_test, n_features; /* the split */
    int n_hyper;
    char **names;      /* n_hyper hyperparameter names (owned) */
    double *best;      /* n_hyper: the hyperparameters of the best step */
} hpo_hypergrad_result;

/*
 * Load o->data_path, build o->model on the split and descend from lambda
 * 1 (a kernel width of sqrt(features); for SGD the fixed values), storing
 * each outer step as a trial of study (open, one objective, minimized;
 * nothing is read from its earlier trials).  r may be NULL; else it is
 * always set (release it with hpo_hypergrad_result_free, also after an
 * error).  The best step is also the study's best trial when the study
 * had none before (hpo_study_best_trial: its params are r->best).
 * Returns HPO_OK, or with a message on the study: HPO_EMISUSE (the study
 * is not open); HPO_EINVAL for a NULL study (no message), NULL options,
 * an unknown model, method, solver, schedule or tune entry, a value out
 * of range (steps <= 0, ...), per_feature with krr, data that do not
 * fit the model (not numbers, logistic on a regression target, too few
 * rows); HPO_EIO (the data file cannot be read, as hpo_space_load_file);
 * HPO_ENOMEM; a fit's error (a singular system); the storage's error.
 * Bad input is refused before anything is stored.  Not to be called on
 * one study from two threads at once.
 *
 *     hpo_hypergrad_options o;
 *     hpo_hypergrad_options_default(&o);
 *     o.model = "ridge", o.data_path = "diabetes.csv", o.per_feature = 1;
 *     hpo_hypergrad_result r;
 *     if (hpo_study_hypergrad(study, &o, &r) == HPO_OK)
 *         printf("%g at %s = %g\n", r.val_loss, r.names[0], r.best[0]);
 *     else
 *         fprintf(stderr, "%s\n", hpo_study_errmsg(study));
 *     hpo_hypergrad_result_free(&r);
 */
int hpo_study_hypergrad(hpo_study *study, const hpo_hypergrad_options *o,
                        hpo_hypergrad_result *r);
/* Free r's arrays and zero it; NULL is fine. */
void hpo_hypergrad_result_free(hpo_hypergrad_result *r);

/* ------------------------------------------------------------------------- */
/* Population-based training (src/pbt/)                                       */
/* ------------------------------------------------------------------------- */

/*
 * Population-based training (Jaderberg et al. 2017) over a study: N members
 * train side by side, one "ready interval" at a time; after each interval
 * the members in the bottom quantile (by their score at that interval)
 * copy the checkpoint and hyperparameters of a random member of the top
 * quantile (exploit) and change the hyperparameters (explore: each
 * multiplied by 0.8 or 1.2, clipped to its bounds and snapped to its grid,
 * or with resample_probability drawn anew; a categorical moves to a
 * neighbouring choice), or with explore=pb2 chosen by PB2's GP bandit
 * (Parker-Holder et al. 2020).
 *
 * Every member-interval is a trial of the study: its params are the
 * hyperparameters used for that interval, its value the score (also an
 * intermediate value at step (interval + 1) * interval_units), and its user
 * attributes say which: pbt_member, pbt_interval, pbt_attempt, pbt_parent
 * (the member whose checkpoint it started from when that was another
 * member, else -1), pbt_parent_trial (the trial whose checkpoint it
 * started from, -1 for none), checkpoint_in, checkpoint_out (the
 * temporary path) and checkpoint (the file kept).  Nothing else is kept,
 * so several processes or machines running hpo_pbt_run on one study
 * (SQLite or PostgreSQL) share one population; a member is taken by one
 * worker at a time (a compare-and-set of the study system attribute
 * "pbt:member:M").  With heartbeats on (hpo_study_set_heartbeat) the
 * interval of a worker that died is failed by another worker and run again
 * from the member's last checkpoint.
 *
 * hpo owns the checkpoint files: the trainer writes checkpoint_out (a
 * temporary name); hpo renames it to DIR/mM-iK-tT.ckpt when training
 * succeeded, and deletes checkpoints no decision can read any more (those
 * of interval i once every member has finished interval i + 2).  The last
 * interval's checkpoints (the final population's) are kept:
 * hpo_pbt_survivors() lists their trials.
 *
 * A failed interval — the trainer returns an error, the score is NaN, or
 * no checkpoint file was written — is a FAIL trial (the reason in its user
 * attribute fail_reason, and a warning in the study's log).  It is tried
 * again once from the same checkpoint with the same hyperparameters; a
 * second failure replaces the member by exploit (a fresh sample at
 * interval 0); after max_failures failures of one interval hpo_pbt_run
 * stops with HPO_EFAIL.  The study's one direction says whether a higher
 * or a lower score is better.
 */
typedef struct hpo_pbt hpo_pbt;

/* Train member `member` for one interval with the hyperparameters of
 * `trial` (hpo_trial_param & co.; the trial may also take reports and user
 * attributes): load checkpoint_in (NULL for a new member), train, save
 * to checkpoint_out, set *score and return HPO_OK; any other return
 * fails the interval.  Called from hpo_pbt_run's threads. */
typedef int (*hpo_pbt_train_fn)(hpo_trial *trial, int member,
                                const char *checkpoint_in,
                                const char *checkpoint_out, double *score,
                                void *data);

/*
 * Set PBT up on an open study with a declared space and one objective.
 * spec: "pbt:key=value,..." (NULL or "" for the defaults):
 *   population=8           members
 *   intervals=10           ready intervals each member trains
 *   interval=1             resource units (epochs) per interval
 *   quantile=0.2           bottom / top fraction, in (0, 0.5]
 *   resample_probability=0.25
 *   perturb=0.8/1.2        explore's factors
 *   explore=perturb|pb2
 *   max_failures=3         failed attempts of one interval before stopping
 *   kappa=2                PB2's UCB weight
 * checkpoint_dir is created if missing (NULL: "hpo-checkpoints").  *out is
 * always set (free it even on error; hpo_pbt_errmsg says why).  The study
 * is borrowed: it must outlive the hpo_pbt.  With study NULL only the spec
 * is checked (HPO_OK or HPO_EINVAL; such an hpo_pbt cannot run).
 */
int hpo_pbt_new(hpo_pbt **out, hpo_study *study, const char *spec,
                const char *checkpoint_dir);
/* Run member-intervals on n_jobs threads until every member has trained
 * all its intervals (whichever worker ran them), hpo_study_stop() is
 * called, or an error.  HPO_OK, HPO_STOPPED, HPO_EFAIL (a member kept
 * failing), or the storage's error; the message on the hpo_pbt. */
int hpo_pbt_run(hpo_pbt *p, hpo_pbt_train_fn train, void *data, int n_jobs);
const char *hpo_pbt_errmsg(const hpo_pbt *p);
void hpo_pbt_free(hpo_pbt *p);

/* Each member's latest COMPLETE trial (the survivors when the run is
 * over), ordered by member; release with hpo_trials_free(). */
int hpo_pbt_survivors(hpo_study *study, hpo_trial ***out, int *n);
/* Every member's lineage as a text tree: a node per COMPLETE interval,
 * under the trial whose checkpoint it started from, with the
 * hyperparameters before and after each exploit.  *text is malloc'd. */
int hpo_pbt_lineage(hpo_study *study, char **text);

#ifdef __cplusplus
}
#endif
#endif /* HPO_H */
