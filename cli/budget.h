/*
 * budget.h — a study-wide number of COMPLETE trials that every process
 * working on the study respects (`hpo tune --trials N` sets it; `hpo
 * worker` without --trials runs to it).
 *
 * Processes share nothing but the storage, which has no counter to take
 * a ticket from atomically, so the budget is kept in two steps:
 *
 *   1. Before asking, count the study's trials: a trial may start while
 *      COMPLETE + RUNNING + WAITING < target (a RUNNING trial may still
 *      complete, a WAITING one will be run), or to run a WAITING trial.
 *   2. Two processes may both pass step 1 for the last slot.  So after
 *      asking, a trial (not one enqueued by hand) counts again with the
 *      trials numbered up to its own only: trial numbers are
 *      handed out one at a time by the storage, so the trial with the
 *      higher number is the one too many.  It is not run: it is told
 *      PRUNED (which no retry repeats) with the user attribute
 *      "skipped_reason".
 *
 * FAIL and PRUNED trials do not count: a trial that failed frees its slot
 * (or its retry takes it), so the study ends with exactly `target`
 * COMPLETE trials, whatever failed on the way.  Trials enqueued by hand
 * always run, even past the target; a failed trial's retry is checked like
 * a new trial (its enqueue comes after the failure, in a transaction of
 * its own, so the slot may have been taken in between).
 */
#ifndef HPO_CLI_BUDGET_H
#define HPO_CLI_BUDGET_H

#include <stdint.h>

#include "hpo.h"

typedef struct budget_counts {
    int complete, running, waiting;
} budget_counts;

/* Count the study's trials by state (one read of its history). */
int budget_count(hpo_study *study, budget_counts *c);

/* How many trials may start now (step 1): free slots plus WAITING trials.
 * 0 means none. */
int budget_startable(const budget_counts *c, int64_t target);

/* Step 2 for a trial just asked for: 1 if it is one too many, 0 if it may
 * run; a negative hpo status if the study could not be read. */
int budget_is_surplus(hpo_study *study, const hpo_trial *trial,
                      int64_t target);

#endif
