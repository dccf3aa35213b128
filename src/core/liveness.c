/*
 * liveness.c — heartbeats, stale trials and retries: how a study shared by
 * many workers survives one of them dying (Optuna's heartbeat and
 * RetryFailedTrialCallback, in C).
 *
 *   ask ──> register trial ──> beat thread: heartbeat every interval ──┐
 *    ^                                                                  │
 *    │      tell / free ──> unregister                                  │
 *    │                                                                  v
 *   before each ask: RUNNING trials with a heartbeat older than grace ──> FAIL
 *                                                      └─> retry: WAITING copy
 *
 * Failing a stale trial is one storage transaction that refuses a finished
 * trial, so when several workers notice the same stale trial only one of
 * them fails it (and only that one enqueues its retry).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>

#include "json.h"
#include "study.h"

typedef struct hpo__beat {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int quit;
    int n, cap;
    int64_t *ids; /* trials of this handle that are running */
} hpo__beat;

int hpo_study_set_heartbeat(hpo_study *s, double interval_s, double grace_s)
{
    if (!(interval_s >= 0) || !(grace_s >= 0) || !isfinite(interval_s + grace_s))
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "heartbeat interval and grace period are seconds "
                         ">= 0");
    s->heartbeat_s = interval_s;
    s->grace_s = grace_s > 0 ? grace_s : 2 * interval_s;
    return HPO_OK;
}

int hpo_study_set_retry_failed(hpo_study *s, int max_retries)
{
    if (max_retries < 0)
        return hpo__fail(&s->msg, HPO_EINVAL, "max_retries must be >= 0");
    s->max_retries = max_retries;
    return HPO_OK;
}

/* ---- the heartbeat thread ------------------------------------------------ */

static void sleep_or_wake(hpo__beat *b, double seconds)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    double t = until.tv_sec + until.tv_nsec * 1e-9 + seconds;
    until.tv_sec = (time_t)t;
    until.tv_nsec = (long)((t - floor(t)) * 1e9);
    if (!b->quit)
        pthread_cond_timedwait(&b->wake, &b->lock, &until);
}

static void *beat_loop(void *arg)
{
    hpo_study *s = arg;
    hpo__beat *b = s->beat;
    pthread_mutex_lock(&b->lock);
    while (!b->quit) {
        for (int i = 0; i < b->n; i++)
            hpo__st_heartbeat(s->storage, b->ids[i]);
        sleep_or_wake(b, s->heartbeat_s);
    }
    pthread_mutex_unlock(&b->lock);
    return NULL;
}

static int beat_create(hpo_study *s)
{
    hpo__beat *b = calloc(1, sizeof *b);
    if (!b)
        return hpo__oom(&s->msg);
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->wake, NULL);
    s->beat = b;
    if (pthread_create(&b->thread, NULL, beat_loop, s)) {
        s->beat = NULL;
        free(b);
        return hpo__fail(&s->msg, HPO_ENOMEM, "cannot start the heartbeat thread");
    }
    return HPO_OK;
}

int hpo__liveness_on(const hpo_study *s)
{
    return s->heartbeat_s > 0 && s->storage->type->heartbeat;
}

/* The trial's first heartbeat is already stored: the storage wrote it in
 * the transaction that made the trial RUNNING (ask_tell.c), so a worker
 * killed right after that commit still leaves a trial that goes stale. */
int hpo__liveness_start(hpo_study *s, int64_t trial_id)
{
    if (!hpo__liveness_on(s))
        return HPO_OK;
    pthread_mutex_lock(&s->lock);
    int rc = s->beat ? HPO_OK : beat_create(s);
    pthread_mutex_unlock(&s->lock);
    if (rc)
        return rc;
    hpo__beat *b = s->beat;
    pthread_mutex_lock(&b->lock);
    rc = hpo__grow((void **)&b->ids, &b->cap, b->n + 1, sizeof *b->ids);
    if (rc == HPO_OK)
        b->ids[b->n++] = trial_id;
    pthread_mutex_unlock(&b->lock);
    return rc ? hpo__oom(&s->msg) : HPO_OK;
}

void hpo__liveness_stop(hpo_study *s, int64_t trial_id)
{
    hpo__beat *b = s->beat;
    if (!b)
        return;
    pthread_mutex_lock(&b->lock);
    for (int i = 0; i < b->n; i++)
        if (b->ids[i] == trial_id) {
            b->ids[i] = b->ids[--b->n];
            break;
        }
    pthread_mutex_unlock(&b->lock);
}

void hpo__liveness_shutdown(hpo_study *s)
{
    hpo__beat *b = s->beat;
    if (!b)
        return;
    pthread_mutex_lock(&b->lock);
    b->quit = 1;
    pthread_cond_signal(&b->wake);
    pthread_mutex_unlock(&b->lock);
    pthread_join(b->thread, NULL);
    pthread_mutex_destroy(&b->lock);
    pthread_cond_destroy(&b->wake);
    free(b->ids);
    free(b);
    s->beat = NULL;
}

/* ---- retries --------------------------------------------------------------- */

/* The failed trial's params as {"name": value} with categorical values as
 * their choices, the form enqueue and fixed_params use. */
static char *params_json(const hpo__trial_rec *r)
{
    cJSON *o = cJSON_CreateObject();
    int ok = o != NULL; /* a retry missing a parameter would sample it anew */
    for (int i = 0; ok && i < r->n_params; i++) {
        const hpo__param *p = &r->params[i];
        cJSON *v = p->dist.kind == HPO__CATEGORICAL
                       ? cJSON_Parse(p->dist.choices[(int)p->internal])
                       : hpo__json_number(p->internal, p->dist.kind == HPO__FLOAT);
        ok = hpo__json_put(o, p->name, v);
    }
    char *out = ok ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    return out;
}

/* retry_history of the failed trial plus its own number. */
static cJSON *history_with(const hpo__trial_rec *r)
{
    const char *h = hpo__attrs_get(&r->system_attrs, "retry_history");
    cJSON *list = h ? cJSON_Parse(h) : NULL;
    if (!cJSON_IsArray(list)) {
        cJSON_Delete(list);
        list = cJSON_CreateArray();
    }
    if (list && !hpo__json_put(list, NULL, cJSON_CreateNumber(r->number))) {
        cJSON_Delete(list);
        return NULL;
    }
    return list;
}

static int enqueue_retry(hpo_study *s, const hpo__trial_rec *failed,
                         cJSON *history)
{
    hpo__trial_rec tmpl;
    hpo__rec_init(&tmpl);
    tmpl.state = HPO_WAITING;
    char *fixed = params_json(failed);
    char *hist = cJSON_PrintUnformatted(history);
    char number[24];
    const char *first = hpo__attrs_get(&failed->system_attrs, "failed_trial");
    snprintf(number, sizeof number, "%d", failed->number);
    int rc = fixed && hist ? HPO_OK : HPO_ENOMEM;
    if (!rc)
        rc = hpo__attrs_set(&tmpl.system_attrs, "fixed_params", fixed);
    if (!rc) /* Optuna links a retry to the first trial of the chain */
        rc = hpo__attrs_set(&tmpl.system_attrs, "failed_trial", first ? first : number);
    if (!rc)
        rc = hpo__attrs_set(&tmpl.system_attrs, "retry_history", hist);
    int64_t id;
    int new_number;
    if (rc) /* every step so far only allocates */
        rc = hpo__oom(&s->msg);
    else if ((rc = hpo__st_create_trial(s->storage, s->id, &tmpl, &id,
                                        &new_number)))
        rc = hpo__study_storage_fail(s, rc);
    if (!rc)
        hpo__study_log(s, 1, "trial %d failed; retrying it as trial %d",
                       failed->number, new_number);
    free(fixed);
    free(hist);
    hpo__rec_free(&tmpl);
    return rc;
}

int hpo__retry_if_asked(hpo_study *s, int64_t trial_id)
{
    if (s->max_retries <= 0)
        return HPO_OK;
    hpo__trial_rec r;
    int rc = hpo__st_get_trial(s->storage, trial_id, &r);
    if (rc)
        return hpo__study_storage_fail(s, rc);
    cJSON *history = history_with(&r);
    if (!history)
        rc = hpo__oom(&s->msg);
    else if (cJSON_GetArraySize(history) <= s->max_retries)
        rc = enqueue_retry(s, &r, history);
    cJSON_Delete(history);
    hpo__rec_free(&r);
    return rc; /* with its message on the study */
}

/* ---- stale trials ------------------------------------------------------------ */

/* Does this handle beat for trial id?  Then the trial is alive, however
 * old its last beat in storage: the process was stopped, its beat thread
 * with it, and it is running again. */
static int beating(hpo_study *s, int64_t id)
{
    hpo__beat *b = s->beat;
    int found = 0;
    if (!b)
        return 0;
    pthread_mutex_lock(&b->lock);
    for (int i = 0; i < b->n && !found; i++)
        found = b->ids[i] == id;
    pthread_mutex_unlock(&b->lock);
    return found;
}

static int fail_stale(hpo_study *s, int64_t id)
{
    if (beating(s, id))
        return 0;
    /* The reason first: a finished trial takes no more attributes. */
    hpo__st_set_trial_attr(s->storage, id, 1, "fail_reason",
                           "\"its worker stopped sending heartbeats\"");
    int rc = hpo__st_finish_trial(s->storage, id, HPO_FAIL, 0, NULL);
    if (rc == HPO_EFINISHED)
        return 0; /* another worker got there first, or it just finished */
    if (rc)
        return hpo__study_storage_fail(s, rc);
    hpo__trial_rec r; /* for its number: messages never show ids */
    if (hpo__st_get_trial(s->storage, id, &r) == HPO_OK)
        hpo__study_log(s, 2, "failed trial %d: its worker stopped sending "
                       "heartbeats", r.number);
    hpo__rec_free(&r);
    rc = hpo__retry_if_asked(s, id);
    return rc ? rc : 1;
}

int hpo_study_fail_stale_trials(hpo_study *s, int *n_failed)
{
    if (n_failed)
        *n_failed = 0;
    if (!s->opened)
        return hpo__fail(&s->msg, HPO_EMISUSE, "open the study first");
    if (s->heartbeat_s <= 0)
        return HPO_OK;
    int64_t *ids;
    int n;
    int rc = hpo__st_stale_trials(s->storage, s->id, s->grace_s, &ids, &n);
    if (rc)
        return hpo__study_storage_fail(s, rc);
    for (int i = 0; i < n && rc >= 0; i++) {
        rc = fail_stale(s, ids[i]);
        if (rc > 0 && n_failed)
            (*n_failed)++;
    }
    free(ids);
    return rc < 0 ? rc : HPO_OK;
}
