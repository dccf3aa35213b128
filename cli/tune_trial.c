/*
 * tune_trial.c — one trial of `hpo tune`: sample the parameters, expand
 * the command, run it, read its output, and decide what the trial became.
 *
 *   suggest_all -> expand {name} -> run child -----> COMPLETE (values)
 *                                     |  @hpo report -> report, should_prune
 *                                     |        prune -> kill group -> PRUNED
 *                                     +-> exit != 0, signal, timeout,
 *                                         no value, bad protocol line,
 *                                         interrupted ---------> FAIL
 *
 * A FAIL keeps why in the trial's user attributes: "fail_reason" (one
 * line), "stdout_tail" and "stderr_tail" (the child's last lines of each,
 * at most RUNNER_TAIL_BYTES: a child may print without end); every trial
 * that ran keeps "exit_status" or "signal".  A trial started for a slot
 * of the study's target that another process took at the same moment is
 * not run at all: PRUNED with "skipped_reason" (budget.h).
 */
#define _GNU_SOURCE 1 /* pipe2, strchrnul, asprintf, sigabbrev_np */
#include "tune.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "core/study.h"
#include "cli.h"
#include "interrupt.h"
#include "jsontext.h"
#include "placeholder.h"
#include "protocol.h"
#include "runner.h"

extern char **environ;

/* What the stdout reader shares with the outcome. */
typedef struct trial_state {
    hpo_trial *trial;
    protocol proto;
    int pruned;
    char error[512]; /* a report the library refused */
    uint32_t seed;   /* trial_env.h; `hpo race`: the instance's */
    int slot;        /* -1: none */
    const char *instance; /* `hpo race`'s experiments only */
} trial_state;

static void set_attr_text(hpo_trial *t, const char *key, const char *text)
{
    char *json = json_quote(text);
    if (json)
        hpo_trial_set_user_attr(t, key, json);
    free(json);
}

static int fail(hpo_trial *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(hpo_trial *t, const char *fmt, ...)
{
    char reason[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    set_attr_text(t, "fail_reason", reason);
    return HPO_EFAIL;
}

/* ------------------------------------------------------------------------- */
/* Reading the child's stdout as it comes                                     */
/* ------------------------------------------------------------------------- */

static int on_stdout_line(char *line, size_t len, int cut, void *data)
{
    trial_state *ts = data;
    int64_t step;
    double value;
    switch (protocol_feed(&ts->proto, line, len, cut, &step, &value)) {
    case PROTOCOL_REPORT:
        if (hpo_trial_report(ts->trial, step, value) != HPO_OK) {
            snprintf(ts->error, sizeof ts->error, "stdout line %d: report "
                     "refused: %s", ts->proto.line_no,
                     hpo_trial_errmsg(ts->trial));
            return 1;
        }
        if (hpo_trial_should_prune(ts->trial) == 1) {
            ts->pruned = 1;
            return 1;
        }
        return 0;
    case PROTOCOL_ATTR:
        if (hpo_trial_set_user_attr(ts->trial, ts->proto.attr_name,
                                    ts->proto.attr_json) != HPO_OK) {
            snprintf(ts->error, sizeof ts->error, "stdout line %d: attribute "
                     "refused: %s", ts->proto.line_no,
                     hpo_trial_errmsg(ts->trial));
            return 1;
        }
        return 0;
    case PROTOCOL_ERROR:
        return 1; /* the trial fails whatever else it prints */
    default:
        return 0;
    }
}

/* ------------------------------------------------------------------------- */
/* The child's arguments and environment                                      */
/* ------------------------------------------------------------------------- */

static void free_strings(char **v)
{
    if (!v)
        return;
    for (char **p = v; *p; p++)
        free(*p);
    free(v);
}

static char **expand_command(const tune_ctx *ctx, const hpo_trial *t,
                             uint32_t seed, const char *instance)
{
    int n = 0;
    while (ctx->command[n])
        n++;
    char **argv = calloc((size_t)n + 1, sizeof *argv);
    if (!argv)
        return NULL;
    for (int i = 0; i < n; i++) {
        if (!(argv[i] = placeholder_expand_instance(ctx->command[i], t, seed,
                                                    instance))) {
            free_strings(argv);
            return NULL;
        }
    }
    return argv;
}

/* Inherited variables the child does not get:
 *  - hpo's own (HPO_PARAM_*, HPO_TRIAL_NUMBER, HPO_STUDY, HPO_SEED,
 *    HPO_WORKER_SLOT), which it sets
 *    anew, so a nested hpo or a stale shell variable cannot leak a
 *    parameter;
 *  - HPO_STORAGE, hpo's storage URL, which may hold its password;
 *  - PGPASSWORD, the password of hpo's storage: the one libpq variable
 *    that is a secret itself.  The others (PGHOST, PGUSER, PGPASSFILE,
 *    ...) name a server, a user or a file the child's user can read
 *    anyway; a child that uses PostgreSQL itself may need them. */
static int is_withheld(const char *entry)
{
    return strncmp(entry, "HPO_PARAM_", 10) == 0 ||
           strncmp(entry, "HPO_TRIAL_NUMBER=", 17) == 0 ||
           strncmp(entry, "HPO_STUDY=", 10) == 0 ||
           strncmp(entry, "HPO_SEED=", 9) == 0 ||
           strncmp(entry, "HPO_WORKER_SLOT=", 16) == 0 ||
           strncmp(entry, "HPO_INSTANCE=", 13) == 0 ||
           strncmp(entry, "HPO_STORAGE=", 12) == 0 ||
           strncmp(entry, "PGPASSWORD=", 11) == 0;
}

static char **make_environment(const tune_ctx *ctx, const hpo_trial *t,
                               const trial_state *ts)
{
    int n_env = 0, k = 0;
    while (environ[n_env])
        n_env++;
    int n_params = hpo_trial_n_params(t);
    char **envp = calloc((size_t)(n_env + n_params + 6), sizeof *envp);
    if (!envp)
        return NULL;
    for (int i = 0; i < n_env; i++)
        if (!is_withheld(environ[i]) && !(envp[k++] = strdup(environ[i])))
            goto oom;
    for (int i = 0; i < n_params; i++) {
        const char *text = hpo_trial_param_text(t, i);
        if (!text) /* never HPO_PARAM_x=(null) */
            goto oom;
        if (asprintf(&envp[k++], "HPO_PARAM_%s=%s",
                     hpo_trial_param_name(t, i), text) < 0)
            goto oom_last;
    }
    if (asprintf(&envp[k++], "HPO_TRIAL_NUMBER=%d", hpo_trial_number(t)) < 0)
        goto oom_last;
    if (asprintf(&envp[k++], "HPO_STUDY=%s", ctx->study_name) < 0)
        goto oom_last;
    if (asprintf(&envp[k++], "HPO_SEED=%u", (unsigned)ts->seed) < 0)
        goto oom_last;
    if (ts->slot >= 0 &&
        asprintf(&envp[k++], "HPO_WORKER_SLOT=%d", ts->slot) < 0)
        goto oom_last;
    if (ts->instance &&
        asprintf(&envp[k++], "HPO_INSTANCE=%s", ts->instance) < 0)
        goto oom_last;
    return envp;
oom_last:
    envp[k - 1] = NULL; /* asprintf left it undefined */
oom:
    free_strings(envp);
    return NULL;
}

/* ------------------------------------------------------------------------- */
/* The outcome                                                                */
/* ------------------------------------------------------------------------- */

static void signal_name(int sig, char *buf, size_t size)
{
    const char *abbrev = sigabbrev_np(sig);
    if (abbrev)
        snprintf(buf, size, "SIG%s", abbrev);
    else
        snprintf(buf, size, "signal %d", sig);
}

/* exit_status / signal on every trial that ran; stderr_tail on failures. */
static void record_exit(hpo_trial *t, runner_result *res)
{
    char text[32];
    if (res->exited) {
        snprintf(text, sizeof text, "%d", res->exit_status);
        hpo__trial_user_attr_at_tell(t, "exit_status", text); /* one write */
    } else if (res->signaled) {
        signal_name(res->term_signal, text, sizeof text);
        set_attr_text(t, "signal", text);
    }
}

/* The last lines of what a failed child printed: stdout_tail (what the
 * value was looked for in) and stderr_tail. */
static void record_tails(hpo_trial *t, runner_result *res)
{
    const char *out = runner_tail_lines(res->stdout_tail,
                                        CLI_STDERR_TAIL_LINES);
    const char *err = runner_tail_lines(res->stderr_tail,
                                        CLI_STDERR_TAIL_LINES);
    if (*out)
        set_attr_text(t, "stdout_tail", out);
    if (*err)
        set_attr_text(t, "stderr_tail", err);
}

/* Stop the study for a reason every other trial would meet alike, and
 * remember the first such reason for the exit message.  *flag is
 * ctx->exec_failed or ctx->start_failed. */
static int stop_study(tune_ctx *ctx, hpo_trial *t, int *flag,
                      const char *why)
{
    pthread_mutex_lock(&ctx->mu);
    if (!ctx->exec_failed && !ctx->start_failed) {
        *flag = 1;
        snprintf(ctx->exec_message, sizeof ctx->exec_message, "%s", why);
    }
    pthread_mutex_unlock(&ctx->mu);
    hpo_study_stop(ctx->study);
    return fail(t, "%s", why);
}

/* A command that cannot be executed. */
static int exec_failure(tune_ctx *ctx, hpo_trial *t, const char *command,
                        int err)
{
    char why[400];
    snprintf(why, sizeof why, "cannot run '%.300s': %s", command,
             strerror(err));
    return stop_study(ctx, t, &ctx->exec_failed, why);
}

/* hpo could not start a child even after waiting out its own shortage
 * (runner.h): not the trial's fault, and the next would fare no better. */
static int start_failure(tune_ctx *ctx, hpo_trial *t, int err)
{
    char why[400];
    snprintf(why, sizeof why, "hpo could not start a child: %s (waited "
             "%g s for running ones to free resources)", strerror(err),
             RUNNER_SPAWN_RETRY_S);
    return stop_study(ctx, t, &ctx->start_failed, why);
}

static int decide(tune_ctx *ctx, trial_state *ts, runner_result *res,
                  double *values)
{
    hpo_trial *t = ts->trial;
    char reason[512];
    switch (res->stop) {
    case RUNNER_CANCELLED:
        return fail(t, "interrupted");
    case RUNNER_TIMED_OUT:
        return fail(t, "timed out after %g s", ctx->trial_timeout_s);
    case RUNNER_ASKED:
        if (ts->pruned)
            return HPO_PRUNED;
        if (ts->error[0])
            return fail(t, "%s", ts->error);
        protocol_result(&ts->proto, values, reason, sizeof reason);
        return fail(t, "%s", reason);
    case RUNNER_RAN:
        break;
    }
    if (res->signaled) {
        char name[32];
        signal_name(res->term_signal, name, sizeof name);
        return fail(t, "killed by signal %d (%s)", res->term_signal, name);
    }
    if (res->exited && res->exit_status != 0)
        return fail(t, "exited with status %d", res->exit_status);
    if (protocol_result(&ts->proto, values, reason, sizeof reason) != 0)
        return fail(t, "%s", reason);
    for (int i = 0; i < ctx->n_objectives; i++)
        if (isnan(values[i]))
            return fail(t, "objective value is nan");
    if (ts->proto.n_constraints > 0 &&
        hpo_trial_set_constraints(t, ts->proto.constraints,
                                  ts->proto.n_constraints) != HPO_OK)
        return fail(t, "storing its constraints: %s", hpo_trial_errmsg(t));
    return HPO_OK;
}

static int run_child(tune_ctx *ctx, trial_state *ts, char **argv,
                     char **envp, double *values)
{
    hpo_trial *t = ts->trial;
    char resolved[PATH_MAX];
    const char *path = ctx->exec_path;
    if (!path) { /* command[0] holds a placeholder */
        int err = runner_resolve(argv[0], resolved, sizeof resolved);
        if (err)
            return exec_failure(ctx, t, argv[0], err);
        path = resolved;
    }
    runner_job job = {
        .path = path, .argv = argv, .envp = envp,
        .timeout_s = ctx->trial_timeout_s,
        .kill_grace_s = CLI_KILL_GRACE_S,
        .cancel_fd = interrupt_fd(), .hurry = interrupt_hurry(),
        .on_line = on_stdout_line, .data = ts,
    };
    runner_result *res = malloc(sizeof *res);
    if (!res)
        return fail(t, "out of memory");
    int rc;
    if (runner_run(&job, res) != 0)
        rc = start_failure(ctx, t, errno);
    else if (res->exec_errno)
        rc = exec_failure(ctx, t, argv[0], res->exec_errno);
    else {
        record_exit(t, res);
        rc = decide(ctx, ts, res, values);
        if (rc != HPO_OK && rc != HPO_PRUNED)
            record_tails(t, res);
    }
    free(res);
    return rc;
}

/* A trial started for the last slot of the study's target at the same
 * moment as one in another process (budget.h): the later one is not run.
 * PRUNED, since a FAIL would be retried. */
static int skip_if_surplus(tune_ctx *ctx, hpo_trial *trial)
{
    if (ctx->target_complete <= 0)
        return 0;
    int surplus = budget_is_surplus(ctx->study, trial, ctx->target_complete);
    if (surplus <= 0) /* a read error: run it, the study stays correct */
        return 0;
    char reason[160];
    snprintf(reason, sizeof reason, "not run: the study's %lld complete "
             "trials were all under way when it started",
             (long long)ctx->target_complete);
    set_attr_text(trial, "skipped_reason", reason);
    return 1;
}

/* A trial's run; instance NULL for `hpo tune`'s (seed from the trial). */
static int run_trial(tune_ctx *ctx, hpo_trial *trial, const char *instance,
                     uint32_t seed, double *values)
{
    progress_trial_started(ctx->progress);
    if (skip_if_surplus(ctx, trial))
        return HPO_PRUNED;
    if (hpo_trial_suggest_all(trial) != HPO_OK)
        return fail(trial, "could not sample the parameters: %s",
                    hpo_trial_errmsg(trial));
    trial_state *ts = calloc(1, sizeof *ts);
    if (!ts)
        return fail(trial, "out of memory");
    ts->trial = trial;
    ts->instance = instance;
    ts->seed = instance ? seed
                        : trial_seed(ctx->seed_base, hpo_trial_number(trial));
    ts->slot = slot_take(&ctx->slots);
    protocol_init(&ts->proto, ctx->n_objectives);
    char **argv = expand_command(ctx, trial, ts->seed, instance);
    char **envp = argv ? make_environment(ctx, trial, ts) : NULL;
    int rc = envp ? run_child(ctx, ts, argv, envp, values)
                  : fail(trial, "out of memory");
    slot_give(&ctx->slots, ts->slot);
    protocol_free(&ts->proto);
    free_strings(argv);
    free_strings(envp);
    free(ts);
    return rc;
}

int tune_run_trial(hpo_trial *trial, void *data, double *values)
{
    return run_trial(data, trial, NULL, 0, values);
}

int tune_run_experiment(tune_ctx *ctx, hpo_trial *trial, const char *instance,
                        uint32_t seed, double *values)
{
    return run_trial(ctx, trial, instance, seed, values);
}
