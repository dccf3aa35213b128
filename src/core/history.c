/*
 * history.c — the study's cache of its trials, refreshed incrementally.
 *
 * Finished trials never change (storage invariant 3), so a refresh only
 * fetches trials from the first one that was still unfinished at the last
 * read: ids grow with numbers within a study, so "id >= that trial's id"
 * covers every trial that may have changed or appeared.
 */
#include "study.h"

static void advance_first_unfinished(hpo_study *s)
{
    while (s->first_unfinished < s->history.n &&
           hpo__state_finished(s->history.v[s->first_unfinished].state))
        s->first_unfinished++;
}

/* Put each fetched record at its number's slot, replacing the old copy. */
static int merge(hpo_study *s, hpo__trial_list *fresh)
{
    for (int i = 0; i < fresh->n; i++) {
        hpo__trial_rec *r = &fresh->v[i];
        while (s->history.n <= r->number) {
            hpo__trial_rec *slot = hpo__list_push(&s->history);
            if (!slot)
                return HPO_ENOMEM;
            slot->number = s->history.n - 1;
            slot->state = HPO_RUNNING;
        }
        hpo__rec_free(&s->history.v[r->number]);
        s->history.v[r->number] = *r; /* moves ownership */
        hpo__rec_init(r);
    }
    return HPO_OK;
}

int hpo__history_refresh(hpo_study *s)
{
    int64_t from = 0;
    if (s->first_unfinished < s->history.n)
        from = s->history.v[s->first_unfinished].id;
    else if (s->history.n > 0)
        from = s->history.v[s->history.n - 1].id + 1;
    hpo__trial_list fresh = {0};
    int rc = hpo__st_get_trials(s->storage, s->id, from, &fresh);
    s->history_fetched += fresh.n;
    if (rc == HPO_OK)
        rc = merge(s, &fresh);
    hpo__list_free(&fresh);
    if (rc != HPO_OK)
        return hpo__study_storage_fail(s, rc);
    advance_first_unfinished(s);
    return HPO_OK;
}

/*
 * A trial's suggests read the history once, at the first of them: nothing
 * they look at changes in between in a single process, and a refresh
 * fetches the trials from the first unfinished one on, the running trial
 * itself included, whose parameters grow with each suggest (with
 * thousands of parameters, a refresh per suggest made a trial's cost grow
 * with the square of their count).  Other threads' refreshes still update
 * the shared cache.
 */
int hpo__study_history(hpo_study *s, const hpo__trial_rec **trials, int *n)
{
    hpo_trial *t = s->sampling;
    int rc = HPO_OK;
    if (!t || !t->history_read) {
        rc = hpo__history_refresh(s);
        if (t && rc == HPO_OK)
            t->history_read = 1;
    }
    *trials = s->history.v;
    *n = s->history.n;
    return rc;
}
