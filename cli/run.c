/*
 * run.c — the run loop of `hpo tune` and `hpo worker` (run.h).
 *
 *        +--> budget: target or resource budget reached? ---------> done
 *        |      | no slot free, others' trials RUNNING, heartbeats on:
 *        |      |   fail stale trials, wait, look again
 *        |      v
 *        |   hpo_study_optimize(jobs = min(--jobs, slots), the rest of
 *        |      --trials and --timeout); after each trial the callback
 *        |      stops it when no slot is left
 *        +------ stopped for the budget
 *                anything else (--trials, --timeout, sampler, Ctrl-C,
 *                an error) ----------------------------------------> done
 *
 * Why wait rather than leave when the other workers hold the last slots:
 * one of those trials may still fail (or its worker may die and the trial
 * be failed by a heartbeat check), and then somebody has to run the
 * trial that replaces it, or the study ends short of its target.  Waiting
 * needs heartbeats: without them a trial whose worker died stays RUNNING
 * forever, so a worker without them leaves instead.
 */
#include "run.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "budget.h"
#include "cli.h"
#include "interrupt.h"
#include "progress.h"

static double monotonic_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* With a resource budget, show what the study's trials have used; 1 when
 * the budget is spent (hpo_study_optimize stops starting trials then). */
static int note_resource(tune_ctx *ctx)
{
    int64_t used;
    if (ctx->target_resource <= 0)
        return 0;
    if (hpo_study_resource_used(ctx->study, ctx->max_resource, &used) !=
        HPO_OK)
        return 0; /* the next ask meets the storage error and reports it */
    progress_set_resource_used(ctx->progress, used);
    return used >= ctx->target_resource;
}

/* After each finished trial: count it, and stop when this process may
 * start no more (Ctrl-C, or the study's target has no slot left). */
static int on_trial_done(hpo_study *study, const hpo_trial *trial, void *data)
{
    tune_ctx *ctx = data;
    if (ctx->target_resource <= 0)
        progress_add_resource(ctx->progress,
                              hpo_trial_resource(trial, ctx->max_resource));
    note_resource(ctx);
    progress_trial_done(ctx->progress, trial);
    ctx->n_run++;
    if (interrupt_signal())
        return 1;
    if (ctx->target_complete <= 0)
        return 0;
    budget_counts c;
    if (budget_count(study, &c) != HPO_OK)
        return 0; /* the next ask meets the storage error and reports it */
    if (budget_startable(&c, ctx->target_complete) > 0)
        return 0;
    ctx->budget_stop = 1;
    return 1;
}

/* why_stopped: the study's message when optimize failed, copied before
 * the summary and the best trial (later calls on the study) replace it. */
static int exit_code(const char *cmd, tune_ctx *ctx, int rc, int sig,
                     const char *why_stopped)
{
    if (sig)
        return 128 + sig;
    if (ctx->exec_failed || ctx->start_failed) {
        cli_error(NULL, "%s", ctx->exec_message);
        return ctx->exec_failed ? CLI_EXIT_USAGE : CLI_EXIT_FAILED;
    }
    if (rc < 0) {
        cli_error(cmd, "%s", why_stopped ? why_stopped : hpo_errstr(rc));
        return CLI_EXIT_FAILED;
    }
    int finished = progress_n_finished(ctx->progress);
    if (finished > 0 && progress_n_failed(ctx->progress) == finished) {
        cli_error(NULL, "all %d trial%s failed", finished,
                  finished == 1 ? "" : "s");
        return CLI_EXIT_FAILED;
    }
    return CLI_EXIT_OK;
}

/* 0, or -1 when the best trial could not be read (the run then fails:
 * a script reading the result must not take silence for it). */
static int print_result(const char *cmd, hpo_study *study)
{
    printf("study %s\n", hpo_study_name(study));
    int rc = cli_print_best(stdout, study, 0);
    if (rc == HPO_ENOTFOUND)
        printf("no trial completed\n");
    else if (rc != HPO_OK)
        cli_error(cmd, "reading the best trial: %s", hpo_study_errmsg(study));
    fflush(stdout);
    return rc == HPO_OK || rc == HPO_ENOTFOUND ? 0 : -1;
}

/* The study's best beside the summary's (this run's): a study may have
 * run before, or have workers elsewhere. */
static void say_study_best(tune_ctx *ctx)
{
    hpo_trial *best = NULL;
    int counts[5];
    if (ctx->n_objectives != 1 ||
        hpo_study_best_trial(ctx->study, &best) != HPO_OK ||
        hpo_study_count_trials(ctx->study, counts) != HPO_OK) {
        hpo_trial_free(best);
        return;
    }
    progress_say(ctx->progress, "hpo: study %s: best %.6g (trial %d) of %d "
                 "complete trial%s", ctx->study_name, hpo_trial_value(best, 0),
                 hpo_trial_number(best), counts[HPO_COMPLETE],
                 counts[HPO_COMPLETE] == 1 ? "" : "s");
    hpo_trial_free(best);
}

/* Why the run failed (rc < 0), malloc'd: the study's message, taken
 * before later calls on the study replace it.  A storage failure in a
 * worker thread's tell reaches the study only as "optimize stopped:
 * storage error" (the details stay on the trial handle, which the library
 * frees), so the storage's own text is added when the study's lacks it. */
static char *stop_reason(hpo_study *study, hpo_storage *storage, int rc)
{
    const char *why = hpo_study_errmsg(study);
    const char *db = hpo_storage_errmsg(storage);
    if (!*why)
        why = hpo_errstr(rc);
    int storage_failed = rc == HPO_ESTORAGE || rc == HPO_EIO;
    if (storage_failed && db && *db && !strstr(why, db)) {
        size_t size = strlen(why) + strlen(db) + 3;
        char *both = malloc(size);
        if (both)
            snprintf(both, size, "%s: %s", why, db);
        return both;
    }
    return strdup(why);
}

/* Sleep up to `seconds`, waking early on Ctrl-C. */
static void wait_interruptible(double seconds)
{
    struct pollfd p = {.fd = interrupt_fd(), .events = POLLIN};
    poll(&p, 1, (int)(seconds * 1000));
}

/* How many children to run now: --jobs, or fewer when the study's target
 * leaves fewer slots.  0 = stop (*rc says why), -1 = wait and look again. */
static int jobs_now(tune_ctx *ctx, const run_limits *lim, int *rc,
                    int *said_waiting)
{
    if (note_resource(ctx)) {
        progress_say(ctx->progress, "hpo: study %s has used its resource "
                     "budget (%lld)", ctx->study_name,
                     (long long)ctx->target_resource);
        return 0;
    }
    if (ctx->target_complete <= 0)
        return (int)lim->jobs;
    budget_counts c;
    if ((*rc = budget_count(ctx->study, &c)) != HPO_OK)
        return 0;
    if (c.complete >= ctx->target_complete) {
        progress_say(ctx->progress, "hpo: study %s has its %lld complete "
                     "trials", ctx->study_name,
                     (long long)ctx->target_complete);
        return 0;
    }
    int slots = budget_startable(&c, ctx->target_complete);
    if (slots > 0)
        return slots < lim->jobs ? slots : (int)lim->jobs;
    if (lim->heartbeat_s <= 0) {
        progress_say(ctx->progress, "hpo: the last %d trial%s of study %s "
                     "run elsewhere; leaving them to their workers",
                     c.running, c.running == 1 ? "" : "s", ctx->study_name);
        return 0;
    }
    if (!*said_waiting)
        progress_say(ctx->progress, "hpo: waiting for %d trial%s running "
                     "elsewhere (the study needs %lld complete, has %d)",
                     c.running, c.running == 1 ? "" : "s",
                     (long long)ctx->target_complete, c.complete);
    *said_waiting = 1;
    if ((*rc = hpo_study_fail_stale_trials(ctx->study, NULL)) != HPO_OK)
        return 0;
    return -1;
}

/* Optimize until done; the last status of the library. */
static int run_loop(tune_ctx *ctx, const run_limits *lim)
{
    double start = monotonic_s();
    double poll_s = lim->heartbeat_s < 2 ? lim->heartbeat_s / 2 : 1;
    int said_waiting = 0;
    for (;;) {
        int rc = HPO_OK;
        if (interrupt_signal())
            return HPO_STOPPED;
        int64_t left = lim->n_trials - ctx->n_run;
        if (lim->n_trials > 0 && left <= 0)
            return HPO_OK;
        double time_left = lim->timeout_s - (monotonic_s() - start);
        if (lim->timeout_s > 0 && time_left <= 0)
            return HPO_TIMEOUT;
        int jobs = jobs_now(ctx, lim, &rc, &said_waiting);
        if (jobs == 0)
            return rc;
        if (jobs < 0) {
            wait_interruptible(poll_s);
            continue;
        }
        said_waiting = 0;
        ctx->budget_stop = 0;
        hpo_optimize_options opt = {
            .n_trials = lim->n_trials > 0 ? (int)left : 0,
            .timeout_s = lim->timeout_s > 0 ? time_left : 0,
            .n_jobs = jobs, .callback = on_trial_done, .callback_data = ctx,
            .budget_resource = ctx->target_resource,
            .max_resource = ctx->max_resource,
        };
        rc = hpo_study_optimize(ctx->study, tune_run_trial, ctx, &opt);
        if (rc == HPO_OK && note_resource(ctx))
            progress_say(ctx->progress, "hpo: study %s has used its resource "
                         "budget (%lld); the trials under way finished",
                         ctx->study_name, (long long)ctx->target_resource);
        if (rc != HPO_STOPPED || !ctx->budget_stop || ctx->exec_failed ||
            ctx->start_failed)
            return rc;
    }
}

int run_study(const char *cmd, tune_ctx *ctx, const run_limits *lim,
              hpo_storage *storage, const char *url_shown)
{
    hpo_study *study = ctx->study;
    progress_say(ctx->progress, "hpo: study %s in %s", ctx->study_name,
                 url_shown);
    ctx->seed_base = trial_seed_base(study, lim->have_seed, lim->seed);
    if (slot_pool_init(&ctx->slots, (int)lim->jobs) != 0) {
        cli_error(cmd, "out of memory");
        return CLI_EXIT_FAILED;
    }
    interrupt_set_study(study);
    hpo_study_set_log(study, progress_study_log, ctx->progress);
    progress_set_resource_target(ctx->progress, ctx->target_resource);
    progress_start(ctx->progress);
    int rc = run_loop(ctx, lim);
    slot_pool_free(&ctx->slots);
    char *why_stopped = rc < 0 ? stop_reason(study, storage, rc) : NULL;
    progress_stop(ctx->progress);
    interrupt_set_study(NULL);
    hpo_study_set_log(study, NULL, NULL);
    int sig = interrupt_signal();
    progress_summary(ctx->progress, sig ? "interrupted" : NULL);
    say_study_best(ctx);
    int unread = print_result(cmd, study);
    int code = exit_code(cmd, ctx, rc, sig, why_stopped);
    if (code == CLI_EXIT_OK && unread)
        code = CLI_EXIT_FAILED;
    free(why_stopped);
    return code;
}
