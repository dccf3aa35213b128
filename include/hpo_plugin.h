/*
 * hpo_plugin.h — write your own sampler or pruner and register it.
 *
 * Every sampler and pruner of hpo — the built-in ones too — is a plug-in:
 * one const struct of methods with a common head (version, name, summary,
 * option table, state size).  The core is the only caller of the methods.
 * It allocates the plug-in's state, parses the user's options
 * ("tpe:n_startup_trials=20") into that state from the option table,
 * refuses options that are unknown, ill-typed or out of range, generates
 * `hpo tune --help` and the docs from the same table, fills methods left
 * NULL with defaults, and passes every error a method returns up to the
 * caller of hpo_study_ask / hpo_study_tell / hpo_trial_should_prune.
 *
 * A plug-in sees its study only through an hpo_plugin_ctx: the history of
 * trials, the declared space, directions, seed, best trial, the study's
 * system attributes (with compare-and-set, for state shared by workers on
 * several machines), attribute setters for the current trial, the trial's
 * random stream, scratch memory and the error message.  Every accessor is
 * safe to call from any method: none of them takes the study's lock, which
 * the core holds around each call, so a plug-in cannot deadlock on it.  A
 * plug-in must not call the hpo_study_* or hpo_trial_* functions of hpo.h.
 *
 * Register with hpo_register_sampler() / hpo_register_pruner() before
 * naming the plug-in in hpo_study_set_sampler() / hpo_study_set_pruner(),
 * as sqlite3_vfs_register() does.  examples/custom_sampler.c and
 * examples/custom_pruner.c are complete, runnable plug-ins;
 * docs/plugins.md is the guide.
 *
 * Values: a parameter's value is its "internal" value, as Optuna stores it:
 * floats and ints as doubles, a categorical as the index of its choice.
 */
#ifndef HPO_PLUGIN_H
#define HPO_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#include "hpo.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this interface.  A plug-in sets head.version to it; the
 * core refuses a plug-in built against another version (HPO_EINCOMPAT). */
#define HPO_PLUGIN_VERSION 1

/* ------------------------------------------------------------------------- */
/* Options                                                                    */
/* ------------------------------------------------------------------------- */

typedef enum hpo_option_type {
    HPO_OPTION_INT,    /* stored as int64_t */
    HPO_OPTION_FLOAT,  /* stored as double */
    HPO_OPTION_BOOL,   /* stored as int, 0 or 1; true/false, 1/0, yes/no */
    HPO_OPTION_STRING, /* stored as const char *, owned by the core, valid
                          until the plug-in's destroy returns */
    HPO_OPTION_ENUM    /* stored as int: the index of the word in `choices` */
} hpo_option_type;

/* Flags of an option. */
#define HPO_OPTION_AUTO 1      /* the word "auto" is accepted: stored as
                                  HPO_AUTO_INT or NaN (float) */
#define HPO_OPTION_LOW_OPEN 2  /* the value must be > low, not >= low */
#define HPO_OPTION_HIGH_OPEN 4 /* the value must be < high, not <= high */
#define HPO_OPTION_REQUIRED 8  /* the user must give it (def is then NULL) */
#define HPO_AUTO_INT INT64_MIN

/*
 * One option.  The core writes the parsed value at `offset` in the
 * plug-in's state before init (the default when the user gave none), so
 * init only checks what involves several options.  Numbers are checked
 * against [low, high] unless both are 0 (use -INFINITY / INFINITY for an
 * open end).  A table ends with an entry whose name is NULL: {0} (clang
 * -Wextra objects to {NULL}, which leaves the other fields implicit).
 */
typedef struct hpo_option {
    const char *name;
    hpo_option_type type;
    const char *def;     /* default, as the user would write it; NULL for
                            a STRING option means NULL */
    double low, high;    /* range of INT and FLOAT options */
    const char *choices; /* ENUM: "a|b|c" */
    const char *help;    /* one line for --help and the docs */
    size_t offset;       /* offsetof(your_state, field) */
    int flags;           /* HPO_OPTION_* */
} hpo_option;

/* ------------------------------------------------------------------------- */
/* What a plug-in reads: records, distributions, the context                  */
/* ------------------------------------------------------------------------- */

/* A stored trial as a plug-in sees it (read-only, borrowed until the
 * method returns). */
typedef struct hpo__trial_rec hpo_record;
/* A parameter's domain. */
typedef struct hpo__dist hpo_dist;
/* The context of one call; only the core creates one. */
typedef struct hpo_plugin_ctx hpo_plugin_ctx;

int hpo_record_number(const hpo_record *r);
hpo_trial_state hpo_record_state(const hpo_record *r);
int hpo_record_n_values(const hpo_record *r);
double hpo_record_value(const hpo_record *r, int i); /* NaN if none */
int hpo_record_n_params(const hpo_record *r);
const char *hpo_record_param_name(const hpo_record *r, int i);
double hpo_record_param_value(const hpo_record *r, int i); /* internal */
const hpo_dist *hpo_record_param_dist(const hpo_record *r, int i);
/* The position of the parameter called name, or -1. */
int hpo_record_param_index(const hpo_record *r, const char *name);
/* Intermediate values in the order reported. */
int hpo_record_n_intermediate(const hpo_record *r);
void hpo_record_intermediate(const hpo_record *r, int i, int64_t *step,
                             double *value);
/* Attributes as JSON text, NULL when absent. */
const char *hpo_record_system_attr(const hpo_record *r, const char *key);
const char *hpo_record_user_attr(const hpo_record *r, const char *key);

hpo_param_kind hpo_dist_kind(const hpo_dist *d);
double hpo_dist_low(const hpo_dist *d);  /* ints and floats */
double hpo_dist_high(const hpo_dist *d);
int hpo_dist_is_log(const hpo_dist *d);
double hpo_dist_step(const hpo_dist *d); /* 0: none (1 for plain ints) */
int hpo_dist_n_choices(const hpo_dist *d);
const char *hpo_dist_choice(const hpo_dist *d, int i); /* JSON text */
/* [0,1] <-> internal value: linear in log space for log domains; ints and
 * steps round back to the grid; a categorical's index / (n-1). */
double hpo_dist_to_unit(const hpo_dist *d, double internal);
double hpo_dist_from_unit(const hpo_dist *d, double unit);
/* The i-th declared parameter's domain (0 <= i < hpo_space_size()); NULL
 * outside. */
const hpo_dist *hpo_space_dist(const hpo_space *space, int i);

/* Errors: set the message and return code, as in `return hpo_ctx_fail(ctx,
 * HPO_EINVAL, "x=%g", x);`.  The caller of the study function that called
 * the plug-in sees the code and, in its errmsg, the message. */
int hpo_ctx_fail(hpo_plugin_ctx *ctx, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* A line for the study's log (hpo_study_set_log; level as there). */
void hpo_ctx_log(hpo_plugin_ctx *ctx, int level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Randomness, reproducible for a seeded study whatever the thread timing:
 * a sampler draws from the current trial's stream (derived from the
 * study's seed and the trial's number), a pruner from a stream of its own
 * for the trial and its number of reports; without a trial, a stream of
 * the seed. */
double hpo_ctx_uniform(hpo_plugin_ctx *ctx);            /* [0, 1) */
uint64_t hpo_ctx_below(hpo_plugin_ctx *ctx, uint64_t n); /* [0, n) */
double hpo_ctx_normal(hpo_plugin_ctx *ctx);             /* N(0, 1) */

/* Zeroed memory freed by the core when the method returns; NULL when out
 * of memory. */
void *hpo_ctx_scratch(hpo_plugin_ctx *ctx, size_t size);

/* The study. */
int hpo_ctx_n_objectives(const hpo_plugin_ctx *ctx);
hpo_direction hpo_ctx_direction(const hpo_plugin_ctx *ctx, int i);
uint64_t hpo_ctx_seed(const hpo_plugin_ctx *ctx);
const hpo_space *hpo_ctx_space(const hpo_plugin_ctx *ctx); /* NULL: none */
/* The study's name (Hyperband hashes it with a trial's number to pick the
 * trial's bracket, as Optuna does); NULL without a study. */
const char *hpo_ctx_study_name(const hpo_plugin_ctx *ctx);

/* The trials a sampler sees (every trial of the study ordered by number,
 * finished and running — or, under a scheduling pruner, the part of it
 * the pruner shows, see sampler_view below).  The count is read from
 * storage at most once per method call; a negative code on error. */
int hpo_ctx_n_trials(hpo_plugin_ctx *ctx);
const hpo_record *hpo_ctx_trial_at(hpo_plugin_ctx *ctx, int i);
/* The best COMPLETE trial of the history (single objective): HPO_OK,
 * HPO_ENOTFOUND when there is none, or an error. */
int hpo_ctx_best(hpo_plugin_ctx *ctx, const hpo_record **best);

/* The trials that finished (COMPLETE, PRUNED or FAIL) since the cursor
 * last looked, each once, in the study's whole history (whatever a
 * pruner's view shows a sampler), in time proportional to the trials new
 * since then plus those still running: what an incremental plug-in (a
 * pruner's per-step sorted values) reads instead of rescanning thousands
 * of trials at every call.  A zeroed cursor starts at the beginning; keep
 * it in the plug-in's state and free it in destroy.  Returns 1 with *out
 * a newly finished trial, 0 when there is none left, or an error. */
typedef struct hpo_history_cursor {
    int seen;                 /* history positions below this were read */
    int *pending;             /* positions read while still unfinished */
    int n_pending, cap_pending;
    int at;                   /* the next pending position to look at */
} hpo_history_cursor;
int hpo_ctx_next_finished(hpo_plugin_ctx *ctx, hpo_history_cursor *cursor,
                          const hpo_record **out);
void hpo_history_cursor_free(hpo_history_cursor *cursor);

/* The study's system attributes (JSON text), shared by every worker.
 * get: HPO_OK with *json NULL when absent. */
int hpo_ctx_study_attr(hpo_plugin_ctx *ctx, const char *key,
                       const char **json);
int hpo_ctx_set_study_attr(hpo_plugin_ctx *ctx, const char *key,
                           const char *json);
/* Set key to json only if it still holds `expected` (NULL: only if
 * absent), atomically across processes: HPO_OK when set, HPO_DONE when
 * another worker changed it first (read it again and retry). */
int hpo_ctx_study_attr_cas(hpo_plugin_ctx *ctx, const char *key,
                           const char *expected, const char *json);

/* The current trial: the one being sampled, judged or told (NULL in init
 * and is_exhausted), with its attribute setters. */
const hpo_record *hpo_ctx_trial(hpo_plugin_ctx *ctx);
int hpo_ctx_set_trial_attr(hpo_plugin_ctx *ctx, const char *key,
                           const char *json);
int hpo_ctx_set_trial_user_attr(hpo_plugin_ctx *ctx, const char *key,
                                const char *json);

/* ------------------------------------------------------------------------- */
/* The plug-in types                                                          */
/* ------------------------------------------------------------------------- */

/* The head every plug-in starts with. */
typedef struct hpo_plugin_head {
    int version;             /* HPO_PLUGIN_VERSION */
    const char *name;        /* what users type: [a-z0-9_]+ */
    const char *summary;     /* one line for --help and the docs */
    const hpo_option *options; /* NULL or ended by {0} */
    size_t state_size;       /* zeroed bytes the core allocates */
    /* The options are in the state: check what involves several of them
     * and set up.  Only hpo_ctx_fail may be called.  May be NULL. */
    int (*init)(void *state, hpo_plugin_ctx *ctx);
    void (*destroy)(void *state); /* may be NULL */
} hpo_plugin_head;

/*
 * A sampler (Optuna's BaseSampler).  For each trial, under the study's
 * lock, in this order:
 *
 *     is_exhausted?  --yes--> ask returns HPO_DONE, no trial is created
 *          | no      (the trial is created: hpo_ctx_trial has its number)
 *     infer_relative_space --> sample_relative   (joint models)
 *     sample_independent, once per parameter the relative space did not
 *          cover (define-by-run parameters, per-parameter models)
 *     after_trial (when the trial has been told and stored)
 *
 * Each method returns HPO_OK or an error (with hpo_ctx_fail).  Defaults for
 * NULL methods: never exhausted; no relative space; uniform sampling;
 * nothing after a trial.  A sampler keeps no state that cannot be rebuilt
 * from the history or the study's system attributes: other workers, on
 * other machines, run the same study.
 */
typedef struct hpo_sampler_type {
    hpo_plugin_head head;
    /* 1 when nothing is left to propose (an exhausted grid), 0 if not. */
    int (*is_exhausted)(void *state, hpo_plugin_ctx *ctx);
    /* The parameters chosen jointly for this trial (*space borrowed until
     * the call returns; NULL or empty for none). */
    int (*infer_relative_space)(void *state, hpo_plugin_ctx *ctx,
                                const hpo_space **space);
    /* Fill values[i] for parameter i of that space; NaN leaves it to
     * sample_independent. */
    int (*sample_relative)(void *state, hpo_plugin_ctx *ctx,
                           const hpo_space *space, double *values);
    int (*sample_independent)(void *state, hpo_plugin_ctx *ctx,
                              const char *name, const hpo_dist *dist,
                              double *value);
    /* HPO_DONE asks the study to stop (no more trials). */
    int (*after_trial)(void *state, hpo_plugin_ctx *ctx,
                       hpo_trial_state final_state, const double *values,
                       int n);
} hpo_sampler_type;

/* A pruner's answer for a running trial. */
typedef enum hpo_verdict {
    HPO_VERDICT_CONTINUE = 0, /* go on */
    HPO_VERDICT_PRUNE = 1,    /* stop; the trial is PRUNED */
    HPO_VERDICT_FINISH = 2    /* stop: the trial has had all the resource
                                 the pruner gives any trial; its last
                                 intermediate value is its result */
} hpo_verdict;

/*
 * A pruner (Optuna's BasePruner), with what scheduling needs:
 *   should_prune  after each report (hpo_trial_should_prune): the verdict
 *                 for the current trial, whose intermediate values are in
 *                 hpo_ctx_trial; may set the trial's attributes (the rung
 *                 it reached).  Required.
 *   on_tell       the current trial is being told, before its final state
 *                 is stored, so its attributes can still be written.
 *   sampler_view  what the sampler sees of the history when it samples the
 *                 current trial: keep[i] = 0 hides trial i (the history as
 *                 hpo_ctx_trial_at sees it, n trials, all kept on entry);
 *                 value[i], when not NaN, is shown as trial i's objective
 *                 value and the trial as COMPLETE (a value at a budget,
 *                 for a model per budget).  Hyperband shows a trial's own
 *                 bracket; BOHB the trials that reached a budget.
 * The first trial of a study is never pruned; a pruner sees the same
 * verdict for the same history and seed.
 */
typedef struct hpo_pruner_type {
    hpo_plugin_head head;
    int (*should_prune)(void *state, hpo_plugin_ctx *ctx,
                        hpo_verdict *verdict);
    int (*on_tell)(void *state, hpo_plugin_ctx *ctx,
                   hpo_trial_state final_state, const double *values, int n);
    int (*sampler_view)(void *state, hpo_plugin_ctx *ctx, int n,
                        unsigned char *keep, double *value);
} hpo_pruner_type;

/* ------------------------------------------------------------------------- */
/* Registration (process-wide, thread-safe)                                   */
/* ------------------------------------------------------------------------- */

/* Add a sampler or pruner under head.name.  The type must stay valid until
 * the process ends.  HPO_EINCOMPAT for another HPO_PLUGIN_VERSION,
 * HPO_EEXIST when the name is taken, HPO_EINVAL for a bad name, a missing
 * required method or a bad option table (its default out of range, ...). */
int hpo_register_sampler(const hpo_sampler_type *type);
int hpo_register_pruner(const hpo_pruner_type *type);

/* Every sampler / pruner this process has, built-in first, in --help
 * order: NULL past the end. */
const hpo_sampler_type *hpo_sampler_at(int i);
const hpo_pruner_type *hpo_pruner_at(int i);

/* The message of the last failed registration in this thread. */
const char *hpo_register_errmsg(void);

/* A plug-in's name, summary and every option of its table (name=default,
 * type and range, help): indented text as `hpo tune --help` prints it, or
 * a markdown section as docs/plugin-options.md has it.  The one formatter
 * of option docs.  malloc'd (the caller frees it); NULL when out of
 * memory. */
char *hpo_plugin_describe(const hpo_plugin_head *head, int markdown);

#ifdef __cplusplus
}
#endif

#endif
