/*
 * resource.c — the resource trials use: intermediate steps counted as
 * units (epochs, boosting rounds), so that a study can be bounded by the
 * total work its trials did (hpo_optimize_options.budget_resource).
 *
 * The rule (hpo.h, hpo_trial_resource) counts a trial's highest step, and
 * one more when it reported a step 0: Optuna's XGBoost and LightGBM
 * callbacks report round k as step k-1 (0-based), hpo's own learners as
 * step k, and both must add up to the rounds really trained.
 */
#include <stdlib.h>

#include "resource.h"

int64_t hpo__rec_resource(const hpo__trial_rec *r, int64_t max_resource)
{
    if (r->n_inter == 0) /* only a finished run without reports did work */
        return r->state == HPO_COMPLETE ? (max_resource > 0 ? max_resource : 1)
                                        : 0;
    int64_t top = 0;
    int zero_based = 0;
    for (int i = 0; i < r->n_inter; i++) {
        if (r->inter[i].step > top)
            top = r->inter[i].step;
        zero_based |= r->inter[i].step == 0;
    }
    return top + zero_based;
}

int64_t hpo_trial_resource(const hpo_trial *t, int64_t max_resource)
{
    return t ? hpo__rec_resource(&t->rec, max_resource) : 0;
}

static int keep_open(hpo__resource_tally *t, int number)
{
    if (hpo__grow((void **)&t->open, &t->cap_open, t->n_open + 1,
                  sizeof *t->open))
        return -1;
    t->open[t->n_open++] = number;
    return 0;
}

/* Look at trial `number`: a finished one joins the total for good, an
 * unfinished one counts what it has used so far and is kept to look at
 * again.  Returns -1 when memory runs out. */
static int look_at(hpo__resource_tally *t, const hpo__trial_rec *r,
                   int64_t *running)
{
    int64_t used = hpo__rec_resource(r, t->max_resource);
    if (r->id != 0 && hpo__state_finished(r->state)) {
        t->finished += used;
        return 0;
    }
    *running += used;
    return keep_open(t, r->number);
}

int hpo__resource_tally_used(hpo_study *s, hpo__resource_tally *t,
                             int64_t *used)
{
    pthread_mutex_lock(&s->lock);
    int rc = hpo__history_refresh(s);
    if (rc != HPO_OK) {
        pthread_mutex_unlock(&s->lock);
        return rc;
    }
    const hpo__trial_rec *h = s->history.v;
    int n = s->history.n;
    int64_t running = 0;
    int n_was_open = t->n_open;
    t->n_open = 0; /* refilled in place: keep_open never overtakes i */
    for (int i = 0; rc == HPO_OK && i < n_was_open; i++)
        if (look_at(t, &h[t->open[i]], &running))
            rc = hpo__oom(&s->msg);
    for (; rc == HPO_OK && t->seen < n; t->seen++)
        if (look_at(t, &h[t->seen], &running))
            rc = hpo__oom(&s->msg);
    pthread_mutex_unlock(&s->lock);
    *used = t->finished + running;
    return rc;
}

void hpo__resource_tally_free(hpo__resource_tally *t)
{
    free(t->open);
    t->open = NULL;
    t->n_open = t->cap_open = 0;
}

int hpo_study_resource_used(hpo_study *s, int64_t max_resource, int64_t *used)
{
    *used = 0;
    if (!s->opened)
        return hpo__fail(&s->msg, HPO_EMISUSE,
                         "open the study before reading its resource");
    if (max_resource < 0)
        return hpo__fail(&s->msg, HPO_EINVAL,
                         "max_resource must not be negative (got %lld)",
                         (long long)max_resource);
    hpo__resource_tally t = {.max_resource = max_resource};
    int rc = hpo__resource_tally_used(s, &t, used);
    hpo__resource_tally_free(&t);
    return rc;
}
