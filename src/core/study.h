/*
 * study.h — the insides of hpo_study and hpo_trial, shared by the core's
 * files (study.c, ask_tell.c, trial.c, optimize.c, history.c).
 *
 * Locking: study->lock guards the sampler and pruner states, the history
 * cache, the known-distributions map and the attribute caches.  Storage
 * calls are made under it only where two steps must be atomic for this
 * process (is_exhausted + create_trial).  The storage has its own locks.
 */
#ifndef HPO_STUDY_H
#define HPO_STUDY_H

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>

#include "../pruners/pruner.h"
#include "../samplers/sampler.h"
#include "../storage/storage.h"

struct hpo_study {
    hpo__msg msg;
    pthread_mutex_t lock;

    /* options, fixed once the study is open */
    hpo_storage *storage;
    int own_storage;
    int n_dirs;
    hpo_direction dirs[HPO_MAX_OBJECTIVES];
    hpo__plugin sampler; /* made at open if the user chose none */
    hpo__plugin pruner;
    uint64_t seed;
    int seeded;
    int seed_stored; /* the study's system attributes hold a seed */
    hpo_space *space; /* NULL if none declared */
    hpo_log_fn log;
    void *log_data;

    double heartbeat_s; /* 0 = no heartbeats */
    double grace_s;
    int max_retries;
    struct hpo__beat *beat; /* the heartbeat thread, while trials run */

    /* identity, once open */
    char *name;
    int64_t id;
    int opened;

    /* run state */
    atomic_int stop_requested;
    atomic_int sampler_done; /* the sampler said the space is exhausted */

    /* caches (under lock) */
    hpo__trial_list history; /* by number */
    int first_unfinished;    /* index in history of the first unfinished */
    int *unfinished;         /* numbers of the unfinished, ascending */
    int n_unfinished, cap_unfinished;
    int finished_counts[5];  /* finished trials in history, by state */
    int64_t history_fetched; /* records read by refreshes (for tests) */
    hpo__trial_rec known;    /* params seen in this study: name -> dist */
    hpo__attrs attr_cache;   /* last attributes read for a borrowed result */
    /* The trial a suggest is sampling for (under lock; NULL otherwise): its
     * suggests refresh the history only once (history.c). */
    struct hpo_trial *sampling;
};

struct hpo_trial {
    hpo_study *study;   /* NULL for a read-only copy */
    hpo__trial_rec rec;
    hpo__msg msg;
    int told;
    /* The storage finished the trial under this handle (a heartbeat check
     * elsewhere took its worker for dead): what it still records stays on
     * the handle, and tell stores it as a late result (late.c). */
    int detached;
    hpo__rng rng;
    /* parameters chosen jointly at ask time */
    hpo_space *rel_space;
    double *rel_values;
    /* texts returned by hpo_trial_param_text, one per param */
    char **texts;
    int n_texts;
    hpo__msg dist_text; /* the last hpo_trial_param_distribution() result */
    /* Lookups by name for suggests (trial.c): rel_space's parameters, and
     * an enqueued trial's fixed_params, parsed once. */
    hpo__name_index rel_index;
    struct hpo__fixed *fixed;
    int history_read; /* a suggest of this trial has refreshed the history */
    /* User attributes stored by the tell, in its transaction. */
    hpo__attrs at_tell;
};

/* What the plug-in context reads of its study (plugin_ctx.c).  The
 * history is every trial of the study ordered by number (finished and
 * running), refreshed incrementally from storage: at every call, except
 * that the suggests of one trial after its first see the history that one
 * read (history.c); the pointers stay valid until the plug-in call
 * returns.  The caller holds the lock. */
int hpo__study_history(hpo_study *study, const hpo__trial_rec **trials,
                       int *n);
/* Refresh the history and call fn(study, arg) under the lock: fn reads
 * study->history (every trial, by number) in place and must not call the
 * public API on the study.  HPO_EMISUSE before the study is open, the
 * storage's error, or fn's code. */
int hpo__study_with_history(hpo_study *study, int (*fn)(hpo_study *, void *),
                            void *arg);
/* Study system attributes (JSON text), shared by every worker: HPO_OK with
 * *json NULL when absent, else the storage's error (its message on the
 * study). */
int hpo__study_sys_attr_get(hpo_study *study, const char *key,
                            const char **json);
int hpo__study_set_sys_attr(hpo_study *study, const char *key,
                            const char *json);
/* Set key only if it holds `expected` (NULL: absent): HPO_OK when set,
 * HPO_DONE when another worker changed it first. */
int hpo__study_sys_attr_cas(hpo_study *study, const char *key,
                            const char *expected, const char *json);
/* The same without checking json (a built-in sampler's text, printed by
 * cJSON from an object it built: valid by construction). */
int hpo__study_sys_attr_cas_built(hpo_study *study, const char *key,
                                  const char *expected, const char *json);

void hpo__study_vlog(hpo_study *s, int level, const char *fmt, va_list ap);
void hpo__study_log(hpo_study *s, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Ask for a new RUNNING trial whose parameters are fixed as an enqueued
 * trial's (params_json as hpo_study_enqueue takes it; stored as its system
 * attribute fixed_params), without claiming a WAITING trial or asking the
 * sampler: for drivers that choose parameters themselves (PBT). */
int hpo__study_ask_fixed(hpo_study *s, const char *params_json,
                         hpo_trial **out);
/* Ask for n new RUNNING trials, each starting with presets[i]'s params and
 * user attributes, all stored in one write (ask_preset.c: a race's
 * experiments on one instance).  Neither a WAITING trial is claimed nor
 * the sampler asked; suggesting a preset param gives its value back
 * without a write.  On error no handle is returned and no trial is left
 * RUNNING. */
int hpo__study_ask_presets(hpo_study *s, const hpo__trial_rec *presets, int n,
                           hpo_trial **out);
/* A new handle on study s, holding no trial yet (ask_tell.c). */
hpo_trial *hpo__trial_new(hpo_study *s);
/* Set a user attribute that is stored with the tell, in the same write
 * (the handle shows it at once): for what is known just before the result,
 * such as a child's exit status.  Checked as hpo_trial_set_user_attr. */
int hpo__trial_user_attr_at_tell(hpo_trial *t, const char *key,
                                 const char *json);
/* Refresh the history cache from storage; caller holds the lock. */
int hpo__history_refresh(hpo_study *s);
/* Trials by state as of the last refresh (counts[HPO_RUNNING] ...), in
 * time proportional to the unfinished ones; caller holds the lock. */
void hpo__history_counts(const hpo_study *s, int counts[5]);
/* A read-only trial handle wrapping a copy of rec. */
hpo_trial *hpo__trial_from_rec(const hpo__trial_rec *rec);
/* Liveness (liveness.c): a trial this handle runs is registered for
 * heartbeats from ask until tell or free; failed trials may be retried. */
int hpo__liveness_start(hpo_study *s, int64_t trial_id);
/* Does this handle beat for its trials?  Then the storage records a
 * trial's first heartbeat as it turns the trial RUNNING (storage.h). */
int hpo__liveness_on(const hpo_study *s);
void hpo__liveness_stop(hpo_study *s, int64_t trial_id);
void hpo__liveness_shutdown(hpo_study *s);
int hpo__retry_if_asked(hpo_study *s, int64_t trial_id);
/* Late results (late.c).  rc is a storage write's status for t: a trial
 * finished under its handle detaches it (HPO_OK: keep the value on the
 * handle); other codes come back unchanged. */
int hpo__trial_written(hpo_trial *t, int rc);
/* A storage write for trial t, skipped once t is detached. */
#define HPO__TRIAL_WRITE(t, call) \
    ((t)->detached ? HPO_OK : hpo__trial_written((t), (call)))
/* Tell for a trial the storage finished under its handle: a COMPLETE or
 * PRUNED result is kept (the retry's WAITING copy, or a new trial). */
int hpo__late_tell(hpo_study *s, hpo_trial *t, hpo_trial_state state,
                   const double *values, int n);
/* Store the study's seed with it if it is not there yet (first ask). */
int hpo__study_store_seed(hpo_study *s);
/* Copy the storage's message onto the study's handle and return rc. */
int hpo__study_storage_fail(hpo_study *s, int rc);

#endif
