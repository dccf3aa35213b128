/*
 * progress.h — what a run of trials says while it runs (hpo tune, hpo
 * worker, hpo tune-model, hpo nested-cv), through logging.h:
 *
 *   a record per finished trial (info; failures as their reason line,
 *   warning):
 *     [I 2026-12-07 15:40:01] trial 12 COMPLETE value=0.0312 (best 0.0301
 *         at trial 9) params {"C": 3.2, "gamma": 0.01} 1.24s
 *     [I 2026-12-07 15:40:03] trial 13 PRUNED at step 4 (value 0.41)
 *         params {"eta": 0.3} 0.52s
 *     hpo: trial 14 failed: exited with status 3; stderr: ValueError: ...
 *   the state of the run, on a terminal as one line redrawn four times a
 *   second, elsewhere (a pipe, a file, a CI log) as a plain record every
 *   PROGRESS_PLAIN_S seconds (HPO_PROGRESS_INTERVAL=S overrides it):
 *     [ 37/100] done 35 failed 2 best 0.0123 (trial 17) elapsed 12s
 *         remaining ~20s; trial 38 round 120/300 ~8s left
 *   (with "resource 4860/14580" after the counts when the study has a
 *   resource budget or its trials report steps, and, once a trial has run
 *   PROGRESS_DETAIL_AFTER_S, where that trial is inside: folds, rounds);
 *   Ctrl-C acknowledged at once ("hpo: interrupted: finishing 2 running
 *   trials (Ctrl-C again to stop now)"), and a summary at the end.
 *
 * -q (--log-level error) shows none of it; --log-file gets the records
 * and the messages whatever the terminal shows.
 */
#ifndef HPO_CLI_PROGRESS_H
#define HPO_CLI_PROGRESS_H

#include "hpo.h"
#include "logging.h"

#define PROGRESS_PLAIN_S 10.0
#define PROGRESS_DETAIL_AFTER_S 3.0

typedef struct progress progress;

/* n_trials and timeout_s bound the run (0 = no bound) for the estimate of
 * the time remaining.  direction is the study's only direction, or 0 for
 * several objectives (then no "best" is shown). */
progress *progress_new(int n_trials, double timeout_s,
                       hpo_direction direction);
/* Trials run in this process (tune-model, nested-cv): Ctrl-C lets them
 * finish; else they are children, which Ctrl-C stops. */
void progress_set_in_process(progress *p, int in_process);
/* The per-trial records at this level, each after prefix (nested-cv:
 * LOG_DEBUG and "fold 2/5 "); copied. */
void progress_set_records(progress *p, log_level level, const char *prefix);
/* Trials run at once (nested-cv, whose trials are not counted as they
 * start): Ctrl-C's message says so many are finishing. */
void progress_set_jobs(progress *p, int jobs);
/* Forget the best so far (nested-cv: each outer fold's study has its
 * own). */
void progress_reset_best(progress *p);
/* Start the clock and the thread that redraws, prints plain lines and
 * acknowledges Ctrl-C. */
void progress_start(progress *p);
/* A trial began / finished (the record, or its failure reason).
 * Thread-safe. */
void progress_trial_started(progress *p);
void progress_trial_done(progress *p, const hpo_trial *trial);
/* Where trial `trial` is inside ("fold 2/5", "round 120/300 ~8s left"):
 * shown with the run's state until the trial ends; NULL clears it.
 * Thread-safe. */
void progress_set_detail(progress *p, int trial, const char *text);
/* A message at info (not erased by the live line). */
void progress_say(progress *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Stop the thread and erase the live line. */
void progress_stop(progress *p);
/* An hpo_log_fn for hpo_study_set_log (data: the progress): the library's
 * debug, info and warnings (the sampler `auto` chose, a stale trial
 * failed, a retry) as "hpo: ..." lines at their level. */
void progress_study_log(int level, const char *message, void *data);
/* "hpo: 20 trials in 3.2 s: 17 complete, 1 pruned, 2 failed; best ..."
 * at info; `why` ("interrupted") is put first when not NULL. */
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

/* "12s", "3m05s", "2h07m". */
void progress_format_duration(char *buf, size_t size, double s);

#endif
