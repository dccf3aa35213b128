/*
 * late.c — results that arrive after their trial was failed under them.
 *
 * A worker that sends no heartbeat for longer than the grace period
 * (stopped, swapped out, cut off from the database by an outage) is taken
 * for dead: another worker fails its RUNNING trial and may enqueue a retry
 * (liveness.c).  When the worker was alive after all, its trial goes on
 * and ends with a result the storage refuses, since a finished trial never
 * changes (storage.h, invariant 3).  Throwing that result away would lose
 * work, so:
 *
 *   a write refused as finished while the handle has not told the trial
 *        -> the handle is detached: params, reports, attributes and
 *           constraints stay on it; every call goes on working
 *   tell COMPLETE or PRUNED on it:
 *        an unclaimed WAITING retry of the trial?  claim it and finish it
 *             with the result: the retry would only run the same
 *             parameters again, and the count of trials stays exact
 *        else a new finished trial with the same parameters, created
 *             whole in one transaction
 *        either way marked with the system attribute late_result_of (the
 *        failed trial's number); the handle then names that trial
 *   tell FAIL on it: nothing to keep; the heartbeat check's FAIL stands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "study.h"

int hpo__trial_written(hpo_trial *t, int rc)
{
    if (rc != HPO_EFINISHED || t->told || !t->study)
        return rc;
    if (!t->detached) {
        t->detached = 1;
        hpo__liveness_stop(t->study, t->rec.id);
    }
    return HPO_OK;
}

/* Is r the WAITING retry enqueued when trial `number` failed?  Its
 * retry_history ends with that number (liveness.c). */
static int is_retry_of(const hpo__trial_rec *r, int number)
{
    const char *h = hpo__attrs_get(&r->system_attrs, "retry_history");
    if (r->state != HPO_WAITING || !h)
        return 0;
    cJSON *list = cJSON_Parse(h);
    int n = cJSON_GetArraySize(list);
    const cJSON *last = n > 0 ? cJSON_GetArrayItem(list, n - 1) : NULL;
    int yes = cJSON_IsNumber(last) && last->valuedouble == number;
    cJSON_Delete(list);
    return yes;
}

/* The id of an unclaimed retry of trial `number`, or 0. */
static int find_retry(hpo_study *s, int number, int64_t *id)
{
    *id = 0;
    pthread_mutex_lock(&s->lock);
    int rc = hpo__history_refresh(s);
    for (int i = 0; rc == HPO_OK && i < s->n_unfinished && !*id; i++)
        if (is_retry_of(&s->history.v[s->unfinished[i]], number))
            *id = s->history.v[s->unfinished[i]].id;
    pthread_mutex_unlock(&s->lock);
    return rc;
}

/* The retry keeps its own link to the chain of failures. */
static int chain_key(const char *key)
{
    return strcmp(key, "fixed_params") == 0 ||
           strcmp(key, "failed_trial") == 0 ||
           strcmp(key, "retry_history") == 0;
}

/* Copy what the detached handle recorded onto trial id (claimed). */
static int fill(hpo_storage *st, int64_t id, const hpo__trial_rec *r)
{
    int rc = HPO_OK;
    for (int i = 0; rc == HPO_OK && i < r->n_params; i++)
        rc = hpo__st_set_param(st, id, &r->params[i]);
    for (int i = 0; rc == HPO_OK && i < r->n_inter; i++)
        rc = hpo__st_set_intermediate(st, id, r->inter[i].step,
                                      r->inter[i].value);
    for (int i = 0; rc == HPO_OK && i < r->user_attrs.n; i++)
        rc = hpo__st_set_trial_attr(st, id, 0, r->user_attrs.v[i].key,
                                    r->user_attrs.v[i].json);
    for (int i = 0; rc == HPO_OK && i < r->system_attrs.n; i++)
        if (!chain_key(r->system_attrs.v[i].key))
            rc = hpo__st_set_trial_attr(st, id, 1, r->system_attrs.v[i].key,
                                        r->system_attrs.v[i].json);
    return rc;
}

/* Claim the retry and finish it with the result: HPO_DONE when another
 * worker claimed it first. */
static int into_retry(hpo_study *s, hpo_trial *t, int64_t id,
                      hpo_trial_state state, const double *values, int n,
                      const char *late_of)
{
    int rc = hpo__st_claim_trial(s->storage, id, hpo__liveness_on(s));
    if (rc != HPO_OK)
        return rc;
    rc = hpo__liveness_start(s, id); /* beat while it is RUNNING */
    if (rc == HPO_OK)
        rc = fill(s->storage, id, &t->rec);
    if (rc == HPO_OK)
        rc = hpo__st_set_trial_attr(s->storage, id, 1, "late_result_of",
                                    late_of);
    if (rc == HPO_OK)
        rc = hpo__st_finish_trial(s->storage, id, state, n, values);
    hpo__liveness_stop(s, id);
    if (rc != HPO_OK && hpo__st_finish_trial(s->storage, id, HPO_FAIL, 0,
                                             NULL) == HPO_OK)
        hpo__retry_if_asked(s, id); /* not left RUNNING: run again */
    return rc;
}

/* A new finished trial holding the result, in one transaction. */
static int as_new_trial(hpo_study *s, hpo_trial *t, hpo_trial_state state,
                        const double *values, int n, const char *late_of,
                        int64_t *id)
{
    hpo__trial_rec tmpl;
    int number;
    int rc = hpo__rec_copy(&tmpl, &t->rec);
    if (rc == HPO_OK)
        rc = hpo__rec_set_values(&tmpl, n, values);
    if (rc == HPO_OK)
        rc = hpo__attrs_set(&tmpl.system_attrs, "late_result_of", late_of);
    if (rc != HPO_OK) {
        hpo__rec_free(&tmpl);
        return HPO_ENOMEM;
    }
    tmpl.state = state;
    tmpl.complete_s = hpo__now();
    rc = hpo__st_create_trial(s->storage, s->id, &tmpl, id, &number);
    hpo__rec_free(&tmpl);
    return rc;
}

/* Point the handle at the trial now holding its result. */
static int move_to(hpo_study *s, hpo_trial *t, int64_t id)
{
    hpo__trial_rec fresh;
    int rc = hpo__st_get_trial(s->storage, id, &fresh);
    if (rc != HPO_OK)
        return rc;
    hpo__rec_free(&t->rec);
    t->rec = fresh;
    return HPO_OK;
}

int hpo__late_tell(hpo_study *s, hpo_trial *t, hpo_trial_state state,
                   const double *values, int n)
{
    hpo__liveness_stop(s, t->rec.id);
    t->detached = 1;
    int failed = t->rec.number;
    if (state == HPO_FAIL) {
        hpo__study_log(s, 2, "trial %d failed; a heartbeat check had "
                       "failed it already", failed);
        return HPO_OK;
    }
    char late_of[24];
    snprintf(late_of, sizeof late_of, "%d", failed);
    int64_t id;
    int rc = find_retry(s, failed, &id);
    if (rc == HPO_OK && id)
        rc = into_retry(s, t, id, state, values, n, late_of);
    if (rc == HPO_OK && !id)
        rc = HPO_DONE;
    if (rc == HPO_DONE || rc == HPO_EUNSUPPORTED)
        rc = as_new_trial(s, t, state, values, n, late_of, &id);
    if (rc == HPO_OK)
        rc = move_to(s, t, id);
    if (rc != HPO_OK)
        return hpo__fail(&t->msg, rc, "trial %d: keeping its late result: %s",
                         failed, rc == HPO_ENOMEM
                                     ? "out of memory"
                                     : hpo_storage_errmsg(s->storage));
    hpo__study_log(s, 1, "trial %d was failed by a heartbeat check while "
                   "it ran; its result is kept as trial %d",
                   failed, t->rec.number);
    return HPO_OK;
}
