/*
 * history.c — the study's cache of its trials, refreshed incrementally.
 *
 * Finished trials never change (storage invariant 3), so a refresh reads
 * only trials that are new or were unfinished at the last read:
 *
 *   new trials:        every id above the highest known (ids grow with
 *                      numbers within a study)
 *   unfinished ones:   when they are few next to the trials after the
 *                      first of them, one by one; else the whole range
 *                      from the first of them (the usual case: the last
 *                      few trials are the running ones)
 *
 * so a trial left RUNNING long ago (a dead worker without heartbeats)
 * does not make every refresh read the whole study again.  The cache also
 * keeps the counts of finished trials by state and the list of the
 * unfinished ones, so counting trials costs what is unfinished, not what
 * the study holds.
 */
#include <stdlib.h>

#include "study.h"

/* One by one when that reads fewer trials than the range would. */
#define ONE_BY_ONE_FACTOR 4

static int unfinished_state(hpo_trial_state s)
{
    return s == HPO_RUNNING || s == HPO_WAITING;
}

/* Put a fetched record at its number's slot, replacing the old copy, and
 * count it if it is finished and was not before. */
static int merge_one(hpo_study *s, hpo__trial_rec *r)
{
    int was_open = 1; /* a new trial */
    while (s->history.n <= r->number) {
        hpo__trial_rec *slot = hpo__list_push(&s->history);
        if (!slot)
            return hpo__oom(&s->msg);
        slot->number = s->history.n - 1;
        slot->state = HPO_RUNNING; /* a gap: read again next time */
    }
    hpo__trial_rec *slot = &s->history.v[r->number];
    if (slot->id)
        was_open = unfinished_state(slot->state);
    if (was_open && hpo__state_finished(r->state))
        s->finished_counts[r->state]++;
    hpo__rec_free(slot);
    *slot = *r; /* moves ownership */
    hpo__rec_init(r);
    return HPO_OK;
}

static int merge(hpo_study *s, hpo__trial_list *fresh)
{
    int rc = HPO_OK;
    for (int i = 0; rc == HPO_OK && i < fresh->n; i++)
        rc = merge_one(s, &fresh->v[i]);
    return rc;
}

/* The list of unfinished trials, from the known ones that still are and
 * every slot after `from` (new or read again). */
static int rebuild_unfinished(hpo_study *s, int from)
{
    int n = 0;
    for (int i = 0; i < s->n_unfinished; i++) {
        int k = s->unfinished[i];
        if (k < from && unfinished_state(s->history.v[k].state))
            s->unfinished[n++] = k;
    }
    s->n_unfinished = n;
    for (int k = from; k < s->history.n; k++) {
        if (!unfinished_state(s->history.v[k].state))
            continue;
        if (hpo__grow((void **)&s->unfinished, &s->cap_unfinished,
                      s->n_unfinished + 1, sizeof *s->unfinished))
            return hpo__oom(&s->msg);
        s->unfinished[s->n_unfinished++] = k;
    }
    s->first_unfinished =
        s->n_unfinished ? s->unfinished[0] : s->history.n;
    return HPO_OK;
}

/* Read again each known unfinished trial (they all have ids); an error
 * with its message on the study. */
static int reread_unfinished(hpo_study *s, hpo__trial_list *fresh)
{
    for (int i = 0; i < s->n_unfinished; i++) {
        hpo__trial_rec *r = hpo__list_push(fresh);
        if (!r)
            return hpo__oom(&s->msg);
        int rc = hpo__st_get_trial(s->storage,
                                   s->history.v[s->unfinished[i]].id, r);
        if (rc != HPO_OK) {
            fresh->n--;
            return hpo__study_storage_fail(s, rc);
        }
    }
    return HPO_OK;
}

/* Which trials to read: from id `*from_id` on, plus (*one_by_one) the
 * known unfinished ones.  Slots from *from_slot on are rebuilt. */
static void plan(const hpo_study *s, int64_t *from_id, int *one_by_one,
                 int *from_slot)
{
    int n = s->history.n;
    *one_by_one = 0;
    *from_slot = n;
    *from_id = n > 0 ? s->history.v[n - 1].id + 1 : 0;
    if (s->n_unfinished == 0)
        return;
    int first = s->unfinished[0];
    int gap = 0; /* a slot not read yet has no id: read the range */
    for (int i = 0; i < s->n_unfinished && !gap; i++)
        gap = s->history.v[s->unfinished[i]].id == 0;
    if (!gap && n - first > ONE_BY_ONE_FACTOR * s->n_unfinished + 16) {
        *one_by_one = 1;
        return;
    }
    *from_slot = first;
    *from_id = s->history.v[first].id; /* 0 for a gap: everything */
}

int hpo__history_refresh(hpo_study *s)
{
    int64_t from_id;
    int one_by_one, from_slot;
    plan(s, &from_id, &one_by_one, &from_slot);
    hpo__trial_list fresh = {0};
    int rc = one_by_one ? reread_unfinished(s, &fresh) : HPO_OK;
    if (rc == HPO_OK &&
        (rc = hpo__st_get_trials(s->storage, s->id, from_id, &fresh)))
        rc = hpo__study_storage_fail(s, rc);
    s->history_fetched += fresh.n;
    if (rc == HPO_OK)
        rc = merge(s, &fresh);
    hpo__list_free(&fresh);
    if (rc == HPO_OK)
        rc = rebuild_unfinished(s, from_slot);
    return rc;
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

void hpo__history_counts(const hpo_study *s, int counts[5])
{
    for (int k = 0; k < 5; k++)
        counts[k] = s->finished_counts[k];
    for (int i = 0; i < s->n_unfinished; i++)
        counts[s->history.v[s->unfinished[i]].state]++;
}
