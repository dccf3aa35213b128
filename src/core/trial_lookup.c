/*
 * trial_lookup.c — a handle on a study's trial found by its number, for a
 * process that did not ask it: the CLI's `hpo tell` (Optuna's
 * study.tell(trial_number)), or a job array where one process asks and
 * another reports.
 *
 * The handle is what hpo_study_ask returns, bound to the study, so tell,
 * report and attributes write to storage as for an asked trial; a trial
 * already finished comes back told, so tell answers HPO_EFINISHED and
 * nothing stored changes.
 */
#include <stdlib.h>

#include "study.h"

/* The storage id of trial `number`, from the refreshed history; 0 if the
 * study has no such trial. */
static int find_id(hpo_study *s, int number, int64_t *id)
{
    pthread_mutex_lock(&s->lock);
    int rc = hpo__history_refresh(s);
    *id = rc == HPO_OK && number < s->history.n ? s->history.v[number].id : 0;
    pthread_mutex_unlock(&s->lock);
    return rc;
}

int hpo_study_trial(hpo_study *s, int number, hpo_trial **out)
{
    *out = NULL;
    if (!s->opened)
        return hpo__fail(&s->msg, HPO_EMISUSE, "open the study first");
    int64_t id = 0;
    int rc = number >= 0 ? find_id(s, number, &id) : HPO_OK;
    if (rc)
        return rc;
    if (!id)
        return hpo__fail(&s->msg, HPO_ENOTFOUND, "the study has no trial %d",
                         number);
    hpo_trial *t = calloc(1, sizeof *t);
    if (!t)
        return hpo__oom(&s->msg);
    t->study = s;
    hpo__rec_init(&t->rec);
    if ((rc = hpo__st_get_trial(s->storage, id, &t->rec)) != HPO_OK) {
        hpo_trial_free(t);
        return hpo__study_storage_fail(s, rc);
    }
    /* The stream hpo_study_ask derived for this number. */
    hpo__rng_derive(&t->rng, s->seed, (uint64_t)number);
    t->told = hpo__state_finished(t->rec.state);
    *out = t;
    return HPO_OK;
}
