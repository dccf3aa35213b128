/*
 * progress.h — what `hpo tune` says on stderr while it runs.
 *
 * A live line, redrawn at most four times a second when stderr is a
 * terminal:
 *     [ 37/100] done 35 failed 2 best 0.0123 (trial 17) elapsed 12s remaining ~20s
 * (with "resource 4860/14580" after the counts when the study has a
 * resource budget or its trials report steps),
 * one line per failed trial with its reason, and a summary at the end.
 * Quiet (-q) prints none of it; a stderr that is not a terminal gets the
 * failure lines and the summary but no live line.
 */
#ifndef HPO_CLI_PROGRESS_H
#define HPO_CLI_PROGRESS_H

#include "hpo.h"

typedef struct progress progress;

/* n_trials and timeout_s bound the run (0 = no bound) for the estimate of
 * the time remaining.  direction is the study's only direction, or 0 for
 * several objectives (then no "best" is shown). */
progress *progress_new(int quiet, int n_trials, double timeout_s,
                       hpo_direction direction);
/* Start the clock and, on a terminal, the redrawing thread. */
void progress_start(progress *p);
/* Count a finished trial; print its failure reason if it failed.
 * Thread-safe. */
void progress_trial_done(progress *p, const hpo_trial *trial);
/* A line of its own (not erased by the live line), unless quiet. */
void progress_say(progress *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Stop redrawing and erase the live line. */
void progress_stop(progress *p);
/* An hpo_log_fn for hpo_study_set_log (data: the progress): the library's
 * info and warnings (the sampler `auto` chose, a stale trial failed, a
 * retry) as "hpo: ..." lines, unless quiet. */
void progress_study_log(int level, const char *message, void *data);
/* "hpo: 20 trials in 3.2 s: 17 complete, 1 pruned, 2 failed; best ..."
 * unless quiet; `why` ("interrupted") is put first when not NULL. */
void progress_summary(progress *p, const char *why);
/* The resource on the live line and in the summary: "resource USED/TARGET"
 * with a budget (the study's total, hpo_study_resource_used, set after
 * each finished trial), else "resource USED" once something was used
 * (this run's trials, added one by one: reading the study's whole history
 * for it would cost memory a run without a budget does not need).
 * Thread-safe. */
void progress_set_resource_target(progress *p, int64_t target);
void progress_set_resource_used(progress *p, int64_t used);
void progress_add_resource(progress *p, int64_t used);
/* Counts so far. */
int progress_n_complete(const progress *p);
int progress_n_failed(const progress *p);
int progress_n_finished(const progress *p);
void progress_free(progress *p);

#endif
