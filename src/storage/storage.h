/*
 * storage.h — the storage plug-in interface.
 *
 * A backend (memory, SQLite, PostgreSQL) is one const hpo__storage_type.
 * The core allocates `state_size` zeroed bytes for it and calls its methods
 * only through the wrappers in storage.c, which check arguments and keep
 * the error message.  Backends differ only in how, never in what:
 *
 *   1. Every method is one transaction: it happens whole or not at all.
 *   2. Trial numbers are 0-based per study, unique and without gaps, even
 *      with many processes creating trials at once.
 *   3. A finished trial (COMPLETE, PRUNED, FAIL) is never changed again:
 *      finish_trial on it returns HPO_EFINISHED and changes nothing.  Params,
 *      intermediate values and attributes of a finished trial are refused
 *      the same way.
 *   4. claim_waiting turns exactly one WAITING trial RUNNING, even when
 *      several workers race for it.
 *   5. Methods are thread-safe: one storage serves many threads.
 *   6. On error a method returns a negative code and writes the reason
 *      (with the database's own text) with hpo__storage_error().
 *
 * Methods are only ever appended; `version` tells which a backend has.
 */
#ifndef HPO_STORAGE_H
#define HPO_STORAGE_H

#include "../core/internal.h"

#define HPO__STORAGE_VERSION 4

typedef struct hpo__study_info {
    int64_t id;
    char *name;
    int n_directions;
    hpo_direction directions[HPO_MAX_OBJECTIVES];
    int n_trials;
} hpo__study_info;

void hpo__study_info_free(hpo__study_info *infos, int n);

typedef struct hpo__storage_type {
    int version;
    const char *scheme; /* URL scheme: "memory", "sqlite", "postgresql" */
    size_t state_size;

    /* Open the URL (the whole string, scheme included). */
    int (*open)(hpo_storage *st, void *state, const char *url);
    void (*close)(void *state);

    /* Studies. create_study returns HPO_EEXIST if the name is taken. */
    int (*create_study)(hpo_storage *st, void *state, const char *name,
                        int n_dirs, const hpo_direction *dirs,
                        int64_t *study_id);
    /* HPO_ENOTFOUND if absent; info->name is allocated (free with
     * hpo__study_info_free(info, 1)). */
    int (*find_study)(hpo_storage *st, void *state, const char *name,
                      hpo__study_info *info);
    int (*list_studies)(hpo_storage *st, void *state, hpo__study_info **out,
                        int *n);
    int (*delete_study)(hpo_storage *st, void *state, int64_t study_id);
    int (*set_study_attr)(hpo_storage *st, void *state, int64_t study_id,
                          int system, const char *key, const char *json);
    int (*get_study_attrs)(hpo_storage *st, void *state, int64_t study_id,
                           int system, hpo__attrs *out);

    /* Trials.  create_trial stores `tmpl`'s state, params, attributes and
     * start time, assigns the number, and returns the new id and number.
     * A finished template (a late result, core/late.c) also brings its
     * values, intermediate values and end time: one transaction.  With
     * `tmpl->beat` a RUNNING trial gets its first heartbeat in the same
     * transaction; so does the trial claim_waiting turns RUNNING with
     * `beat`.  A trial of a worker that beats is then never RUNNING
     * without a heartbeat, which would keep it from ever looking stale if
     * the worker died before its first beat (backends without heartbeats
     * ignore both). */
    int (*create_trial)(hpo_storage *st, void *state, int64_t study_id,
                        const hpo__trial_rec *tmpl, int64_t *trial_id,
                        int *number);
    /* Turn the oldest WAITING trial RUNNING (start time now) and return its
     * id; HPO_DONE when none waits. */
    int (*claim_waiting)(hpo_storage *st, void *state, int64_t study_id,
                         int beat, int64_t *trial_id);
    int (*set_param)(hpo_storage *st, void *state, int64_t trial_id,
                     const hpo__param *p);
    /* A step already reported keeps its first value (returns HPO_OK). */
    int (*set_intermediate)(hpo_storage *st, void *state, int64_t trial_id,
                            int64_t step, double value);
    int (*set_trial_attr)(hpo_storage *st, void *state, int64_t trial_id,
                          int system, const char *key, const char *json);
    /* Set the final state and values (values may be NULL with n == 0). */
    int (*finish_trial)(hpo_storage *st, void *state, int64_t trial_id,
                        hpo_trial_state final_state, int n,
                        const double *values);
    int (*get_trial)(hpo_storage *st, void *state, int64_t trial_id,
                     hpo__trial_rec *out);
    /* Append to *out every trial of the study whose id >= min_trial_id,
     * ordered by number.  With min_trial_id 0, all of them. */
    int (*get_trials)(hpo_storage *st, void *state, int64_t study_id,
                      int64_t min_trial_id, hpo__trial_list *out);
    int (*count_trials)(hpo_storage *st, void *state, int64_t study_id,
                        int *n);

    /* Liveness (optional: NULL when a backend has no heartbeats). */
    int (*heartbeat)(hpo_storage *st, void *state, int64_t trial_id);
    /* Ids of RUNNING trials whose last heartbeat is older than grace_s. */
    int (*stale_trials)(hpo_storage *st, void *state, int64_t study_id,
                        double grace_s, int64_t **ids, int *n);

    /* Version 2. */
    /* Turn this WAITING trial RUNNING (start time now; with `beat` its
     * first heartbeat too, as claim_waiting); HPO_DONE when it is no
     * longer WAITING (another worker claimed it first). */
    int (*claim_trial)(hpo_storage *st, void *state, int64_t trial_id,
                       int beat);

    /* Version 3. */
    /* Compare-and-set of a study system attribute, atomically: when `key`
     * now holds exactly the text expected_json (byte for byte; NULL: the
     * key is absent), set it to new_json and return HPO_OK; otherwise
     * change nothing and return HPO_DONE (another worker won the race).
     * Plug-ins that share state between workers (a population, a CMA-ES
     * state) update it with read, compute, compare-and-set, retry. */
    int (*cas_study_sys_attr)(hpo_storage *st, void *state, int64_t study_id,
                              const char *key, const char *expected_json,
                              const char *new_json);

    /* Version 4 (optional: NULL sets each attribute, then finishes). */
    /* finish_trial, also setting user attributes `attrs`, in one
     * transaction: a child's exit status stored with its result. */
    int (*finish_trial_attrs)(hpo_storage *st, void *state, int64_t trial_id,
                              hpo_trial_state final_state, int n,
                              const double *values, const hpo__attrs *attrs);
    /* create_trial for n templates in one transaction (optional: NULL
     * creates them one by one): a race's experiments on one instance. */
    int (*create_trials)(hpo_storage *st, void *state, int64_t study_id,
                         const hpo__trial_rec *tmpls, int n,
                         int64_t *trial_ids, int *numbers);
} hpo__storage_type;

struct hpo_storage {
    const hpo__storage_type *type;
    void *state;
    char *url;
    char **secrets; /* the URL's passwords (url_secret.c), NULL-terminated */
    hpo__msg msg;
};

/* The passwords in a URL, raw and percent-decoded, as a NULL-terminated
 * list in *out (NULL when there are none); free with hpo__secrets_free.
 * HPO_OK or HPO_ENOMEM. */
int hpo__url_secrets(const char *url, char ***out);
void hpo__secrets_free(char **secrets);
/* `text` (malloc'd, taken) with every secret replaced by "***"; returns
 * the new text, or NULL when memory runs out. */
char *hpo__scrub_secrets(char *text, char *const *secrets);

/* Record a backend's error on the storage handle; returns code. */
int hpo__storage_error(hpo_storage *st, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The usual "no such id" errors, worded alike in every backend. */
int hpo__storage_no_study(hpo_storage *st, int64_t id);
int hpo__storage_no_trial(hpo_storage *st, int64_t id);

/* The wrappers the core calls (storage.c).  Each returns the backend's
 * code; the message is on the storage handle. */
int hpo__st_create_study(hpo_storage *st, const char *name, int n_dirs,
                         const hpo_direction *dirs, int64_t *study_id);
int hpo__st_find_study(hpo_storage *st, const char *name,
                       hpo__study_info *info);
int hpo__st_list_studies(hpo_storage *st, hpo__study_info **out, int *n);
int hpo__st_delete_study(hpo_storage *st, int64_t study_id);
int hpo__st_set_study_attr(hpo_storage *st, int64_t study_id, int system,
                           const char *key, const char *json);
int hpo__st_get_study_attrs(hpo_storage *st, int64_t study_id, int system,
                            hpo__attrs *out);
int hpo__st_create_trial(hpo_storage *st, int64_t study_id,
                         const hpo__trial_rec *tmpl, int64_t *trial_id,
                         int *number);
int hpo__st_claim_waiting(hpo_storage *st, int64_t study_id,
                          int64_t *trial_id);
/* The same, with the first heartbeat when `beat` (a worker that beats). */
int hpo__st_claim_waiting_beat(hpo_storage *st, int64_t study_id, int beat,
                               int64_t *trial_id);
/* HPO_EUNSUPPORTED when the backend predates claim_trial. */
int hpo__st_claim_trial(hpo_storage *st, int64_t trial_id, int beat);
/* HPO_EUNSUPPORTED when the backend predates cas_study_sys_attr. */
int hpo__st_cas_study_sys_attr(hpo_storage *st, int64_t study_id,
                               const char *key, const char *expected_json,
                               const char *new_json);
int hpo__st_set_param(hpo_storage *st, int64_t trial_id, const hpo__param *p);
int hpo__st_set_intermediate(hpo_storage *st, int64_t trial_id, int64_t step,
                             double value);
int hpo__st_set_trial_attr(hpo_storage *st, int64_t trial_id, int system,
                           const char *key, const char *json);
int hpo__st_finish_trial(hpo_storage *st, int64_t trial_id,
                         hpo_trial_state final_state, int n,
                         const double *values);
/* finish_trial that also sets the user attributes attrs (one transaction
 * where the backend can; else each attribute first, then the finish). */
int hpo__st_finish_trial_attrs(hpo_storage *st, int64_t trial_id,
                               hpo_trial_state final_state, int n,
                               const double *values, const hpo__attrs *attrs);
/* create_trial for each of n RUNNING templates, in one transaction where
 * the backend can (else one by one: on error, ids[i] is 0 from the first
 * trial not created on). */
int hpo__st_create_trials(hpo_storage *st, int64_t study_id,
                          const hpo__trial_rec *tmpls, int n,
                          int64_t *trial_ids, int *numbers);
int hpo__st_get_trial(hpo_storage *st, int64_t trial_id, hpo__trial_rec *out);
int hpo__st_get_trials(hpo_storage *st, int64_t study_id, int64_t min_trial_id,
                       hpo__trial_list *out);
int hpo__st_count_trials(hpo_storage *st, int64_t study_id, int *n);
int hpo__st_heartbeat(hpo_storage *st, int64_t trial_id);
int hpo__st_stale_trials(hpo_storage *st, int64_t study_id, double grace_s,
                         int64_t **ids, int *n);

/* The backends compiled in (registry.c): NULL-terminated. */
extern const hpo__storage_type *const hpo__storage_types[];
extern const hpo__storage_type hpo__storage_memory;
extern const hpo__storage_type hpo__storage_sqlite; /* if HPO_HAVE_SQLITE */
extern const hpo__storage_type hpo__storage_postgres, /* if HPO_HAVE_POSTGRES */
    hpo__storage_postgres_short; /* the same, for postgres:// URLs */

#endif
