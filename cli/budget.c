/*
 * budget.c — the study-wide target of COMPLETE trials (see budget.h).
 */
#include "budget.h"

#include <stddef.h>

/* Enqueued trials (hpo enqueue, retries of failed trials) carry the
 * parameters they were given; freshly sampled ones do not. */
static int is_enqueued(const hpo_trial *t)
{
    return hpo_trial_system_attr(t, "fixed_params") != NULL;
}

int budget_count(hpo_study *study, budget_counts *c)
{
    int counts[5];
    int rc = hpo_study_count_trials(study, counts);
    if (rc != HPO_OK)
        return rc;
    c->complete = counts[HPO_COMPLETE];
    c->running = counts[HPO_RUNNING];
    c->waiting = counts[HPO_WAITING];
    return HPO_OK;
}

int budget_startable(const budget_counts *c, int64_t target)
{
    if (c->complete >= target)
        return 0;
    int64_t free_slots = target - c->complete - c->running - c->waiting;
    if (free_slots < 0)
        free_slots = 0;
    int64_t n = free_slots + c->waiting;
    return n > 1000000 ? 1000000 : (int)n;
}

int budget_is_surplus(hpo_study *study, const hpo_trial *trial,
                      int64_t target)
{
    if (is_enqueued(trial))
        return 0;
    hpo_trial **trials;
    int n;
    int rc = hpo_study_trials(study, &trials, &n);
    if (rc != HPO_OK)
        return rc;
    int mine = hpo_trial_number(trial);
    int64_t taken = 0;
    for (int i = 0; i < n; i++) {
        hpo_trial_state s = hpo_trial_state_of(trials[i]);
        int counts = s == HPO_COMPLETE || s == HPO_WAITING ||
                     (s == HPO_RUNNING &&
                      (is_enqueued(trials[i]) ||
                       hpo_trial_number(trials[i]) <= mine));
        taken += counts;
    }
    hpo_trials_free(trials, n);
    return taken > target;
}
