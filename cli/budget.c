/*
 * budget.c — the study-wide target of COMPLETE trials (see budget.h).
 */
#include "budget.h"

#include <stddef.h>
#include <string.h>

/* Trials enqueued by hand (hpo enqueue) carry the parameters they were
 * given, and always run.  A failed trial's retry carries them too, and
 * "failed_trial": it only stands in for the trial that failed, so it takes
 * a slot like a new trial.  It is enqueued in a transaction after the
 * failure, and a trial another process started for the freed slot in
 * between would otherwise run beside it, one past the target. */
static int is_enqueued(const hpo_trial *t)
{
    return hpo_trial_system_attr(t, "fixed_params") != NULL &&
           hpo_trial_system_attr(t, "failed_trial") == NULL;
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

/* Step 2 over the RUNNING trials only: the COMPLETE and WAITING ones all
 * count and are taken from the counts, so the check does not grow with
 * the study.  The counts are read before and after the RUNNING trials and
 * must agree (every change of a trial changes them), so the three reads
 * are one picture of the study. */
#define CHANGED 1

static int taken_by(hpo_study *study, int mine, int64_t *taken)
{
    int before[5], after[5];
    hpo_trial **running;
    int n;
    int rc = hpo_study_count_trials(study, before);
    if (rc == HPO_OK)
        rc = hpo_study_trials_in(study, 1u << HPO_RUNNING, &running, &n);
    if (rc != HPO_OK)
        return rc;
    *taken = before[HPO_COMPLETE] + before[HPO_WAITING];
    for (int i = 0; i < n; i++)
        *taken += is_enqueued(running[i]) ||
                  hpo_trial_number(running[i]) <= mine;
    hpo_trials_free(running, n);
    rc = hpo_study_count_trials(study, after);
    if (rc != HPO_OK)
        return rc;
    return memcmp(before, after, sizeof before) ? CHANGED : HPO_OK;
}

int budget_is_surplus(hpo_study *study, const hpo_trial *trial,
                      int64_t target)
{
    if (is_enqueued(trial))
        return 0;
    int64_t taken = 0;
    int rc = CHANGED;
    for (int tries = 0; rc == CHANGED && tries < 8; tries++)
        rc = taken_by(study, hpo_trial_number(trial), &taken);
    /* A study that kept changing: what was read last is close enough. */
    return rc < 0 ? rc : taken > target;
}
