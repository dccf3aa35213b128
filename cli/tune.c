/*
 * tune.c — `hpo tune [options] -- COMMAND ARGS...`: run COMMAND once per
 * trial and optimize what it prints.
 *
 * Everything that can be wrong with the input is found before the first
 * trial, in this order, each as one line and exit code 2: the flags, the
 * space, the placeholders, the sampler and pruner, the command (can it be
 * executed at all?), the storage and the study.  Only then do trials run
 * (tune_trial.c), through hpo_study_optimize with --jobs threads, each
 * thread waiting on one child.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "cli.h"
#include "interrupt.h"
#include "placeholder.h"
#include "progress.h"
#include "runner.h"
#include "tune.h"

#define DEFAULT_TRIALS 100
#define MAX_JOBS 1024

enum {
    OPT_PARAM = 1, OPT_SPACE, OPT_TRIALS, OPT_TIMEOUT, OPT_JOBS,
    OPT_DIRECTION, OPT_SAMPLER, OPT_PRUNER, OPT_SEED, OPT_TRIAL_TIMEOUT,
    OPT_STORAGE, OPT_STUDY, OPT_QUIET, OPT_HELP
};

static const cli_option tune_options[] = {
    {"param", 'p', 1, OPT_PARAM},
    {"space", 0, 1, OPT_SPACE},
    {"trials", 'n', 1, OPT_TRIALS},
    {"timeout", 0, 1, OPT_TIMEOUT},
    {"jobs", 'j', 1, OPT_JOBS},
    {"direction", 'd', 1, OPT_DIRECTION},
    {"sampler", 0, 1, OPT_SAMPLER},
    {"pruner", 0, 1, OPT_PRUNER},
    {"seed", 0, 1, OPT_SEED},
    {"trial-timeout", 0, 1, OPT_TRIAL_TIMEOUT},
    {"storage", 0, 1, OPT_STORAGE},
    {"study", 0, 1, OPT_STUDY},
    {"quiet", 'q', 0, OPT_QUIET},
    {"help", 'h', 0, OPT_HELP},
    {0},
};

typedef struct tune_opts {
    hpo_space *space;
    const char *storage_url, *study_name, *sampler, *pruner;
    int n_directions;
    hpo_direction directions[HPO_MAX_OBJECTIVES];
    int have_seed;
    uint64_t seed;
    int64_t n_trials, jobs;
    int trials_given;
    double timeout_s, trial_timeout_s;
    int quiet;
    char **command; /* NULL-terminated, borrowed from argv */
} tune_opts;

static void list_registry(FILE *out, const char *(*name_of)(int, const char **))
{
    const char *summary, *name;
    for (int i = 0; (name = name_of(i, &summary)) != NULL; i++)
        fprintf(out, "    %-14s %s\n", name, summary ? summary : "");
}

static void tune_help(FILE *out)
{
    fprintf(out,
"usage: hpo tune [options] -- COMMAND [ARGS...]\n"
"\n"
"Run COMMAND once per trial.  In its arguments {NAME} becomes the trial's\n"
"value of parameter NAME, {trial} the trial number, {{ and }} a brace.  The\n"
"child also gets HPO_PARAM_NAME, HPO_TRIAL_NUMBER and HPO_STUDY.  It reports\n"
"its result on stdout: a line '@hpo value V [V2...]' (one value per\n"
"objective), or else the last line ending in a number counts; lines\n"
"'@hpo report STEP V' are intermediate values for the pruner.\n"
"\n"
"The search space:\n"
"  -p, --param SPEC        one parameter: lr=float:1e-5:1e-1:log, depth=int:1:12,\n"
"                          units=int:16:256:step=16, kernel=cat:rbf,linear,poly\n"
"      --space FILE        parameters from a JSON file\n"
"The run:\n"
"  -n, --trials N          number of trials (default %d unless --timeout)\n"
"      --timeout T         start no trial after T (seconds, or 30s, 10m, 2h)\n"
"  -j, --jobs N            run N children at once (default 1)\n"
"      --trial-timeout T   kill a child after T; its trial fails\n"
"  -d, --direction D       minimize or maximize; repeat for several objectives\n"
"      --sampler NAME[:k=v,...]   the sampler (default random)\n"
"      --pruner NAME[:k=v,...]    the pruner (default none)\n"
"      --seed N            seed every random choice\n"
"The study:\n"
"      --storage URL       memory:, sqlite:///FILE.db, postgresql://...\n"
"                          (default %s)\n"
"      --study NAME        load or create this study (default: a new\n"
"                          tune-YYYYMMDD-HHMMSS)\n"
"  -q, --quiet             no progress, no summary\n"
"\n"
"Samplers:\n", DEFAULT_TRIALS, CLI_DEFAULT_STORAGE);
    list_registry(out, hpo_sampler_name);
    fprintf(out, "Pruners:\n");
    list_registry(out, hpo_pruner_name);
    fprintf(out,
"\n"
"A trial FAILs, and the study goes on, when its child exits non-zero, is\n"
"killed by a signal, outlives --trial-timeout or prints no value; the reason\n"
"is kept in the trial's user attributes fail_reason and stderr_tail.\n"
"Ctrl-C kills the running children (their whole process groups) and keeps\n"
"every finished trial.\n"
"\n"
"Exit status: 0 done, 1 every trial failed or a runtime error, 2 bad usage\n"
"or a command that cannot be run, 130 interrupted (143 on SIGTERM).\n");
}

/* ------------------------------------------------------------------------- */
/* Options                                                                    */
/* ------------------------------------------------------------------------- */

static int parse_direction(const char *text, hpo_direction *out)
{
    if (strcmp(text, "minimize") == 0 || strcmp(text, "min") == 0)
        *out = HPO_MINIMIZE;
    else if (strcmp(text, "maximize") == 0 || strcmp(text, "max") == 0)
        *out = HPO_MAXIMIZE;
    else
        return -1;
    return 0;
}

/* One option; 0 to go on, else the exit code. */
static int take_option(tune_opts *o, int id, const char *v)
{
    const char *cmd = "tune";
    switch (id) {
    case OPT_PARAM:
        if (hpo_space_parse_param(o->space, v) != HPO_OK) {
            cli_error(cmd, "--param: %s", hpo_space_errmsg(o->space));
            return CLI_EXIT_USAGE;
        }
        return 0;
    case OPT_SPACE:
        if (hpo_space_load_file(o->space, v) != HPO_OK) {
            cli_error(cmd, "--space: %s", hpo_space_errmsg(o->space));
            return CLI_EXIT_USAGE;
        }
        return 0;
    case OPT_TRIALS:
        o->trials_given = 1;
        return cli_parse_int(cmd, "--trials", v, 1, INT_MAX, &o->n_trials)
                   ? CLI_EXIT_USAGE : 0;
    case OPT_TIMEOUT:
        return cli_parse_duration(cmd, "--timeout", v, &o->timeout_s)
                   ? CLI_EXIT_USAGE : 0;
    case OPT_TRIAL_TIMEOUT:
        return cli_parse_duration(cmd, "--trial-timeout", v,
                                  &o->trial_timeout_s) ? CLI_EXIT_USAGE : 0;
    case OPT_JOBS:
        return cli_parse_int(cmd, "--jobs", v, 1, MAX_JOBS, &o->jobs)
                   ? CLI_EXIT_USAGE : 0;
    case OPT_DIRECTION:
        if (o->n_directions == HPO_MAX_OBJECTIVES) {
            cli_error(cmd, "--direction: at most %d objectives",
                      HPO_MAX_OBJECTIVES);
            return CLI_EXIT_USAGE;
        }
        if (parse_direction(v, &o->directions[o->n_directions]) != 0) {
            cli_error(cmd, "--direction: '%s' is not minimize or maximize",
                      v);
            return CLI_EXIT_USAGE;
        }
        o->n_directions++;
        return 0;
    case OPT_SAMPLER:
        o->sampler = v;
        return 0;
    case OPT_PRUNER:
        o->pruner = v;
        return 0;
    case OPT_SEED:
        o->have_seed = 1;
        return cli_parse_u64(cmd, "--seed", v, &o->seed) ? CLI_EXIT_USAGE : 0;
    case OPT_STORAGE:
        o->storage_url = v;
        return 0;
    case OPT_STUDY:
        if (!*v) {
            cli_error(cmd, "--study: the name is empty");
            return CLI_EXIT_USAGE;
        }
        o->study_name = v;
        return 0;
    case OPT_QUIET:
        o->quiet = 1;
        return 0;
    }
    return CLI_EXIT_USAGE;
}

/* Returns -1 to go on, else an exit code (0 after --help). */
static int parse_options(tune_opts *o, int argc, char **argv)
{
    cli_args a;
    const char *v;
    int id;
    cli_args_init(&a, "tune", argc, argv);
    while ((id = cli_next_option(&a, tune_options, &v)) > 0) {
        if (id == OPT_HELP) {
            tune_help(stdout);
            return CLI_EXIT_OK;
        }
        int rc = take_option(o, id, v);
        if (rc)
            return rc;
    }
    if (id < 0)
        return CLI_EXIT_USAGE;
    if (a.i >= argc) {
        cli_error("tune", "no command to run (hpo tune [options] -- "
                  "COMMAND ARGS...)");
        return CLI_EXIT_USAGE;
    }
    o->command = argv + a.i;
    if (!o->trials_given && o->timeout_s == 0)
        o->n_trials = DEFAULT_TRIALS;
    return -1;
}

/* ------------------------------------------------------------------------- */
/* Checks before the first trial                                              */
/* ------------------------------------------------------------------------- */

static int check_placeholders(const tune_opts *o)
{
    char err[256];
    for (int i = 0; o->command[i]; i++) {
        if (placeholder_check(o->command[i], o->space, err, sizeof err)) {
            cli_error("tune", "argument '%.200s': %s", o->command[i], err);
            return CLI_EXIT_USAGE;
        }
    }
    return 0;
}

/* The command must be executable before any trial is made; when its name
 * is itself a placeholder it can only be checked per trial. */
static int check_command(const tune_opts *o, char *path, size_t size,
                         int *resolved)
{
    *resolved = 0;
    if (strchr(o->command[0], '{'))
        return 0;
    int err = runner_resolve(o->command[0], path, size);
    if (err) {
        cli_error(NULL, "cannot run '%s': %s", o->command[0], strerror(err));
        return CLI_EXIT_USAGE;
    }
    *resolved = 1;
    return 0;
}

/* Directions, sampler, pruner, seed and space: all before opening. */
static int configure_study(hpo_study *s, const tune_opts *o)
{
    for (int i = 0; i < o->n_directions; i++)
        if (hpo_study_add_direction(s, o->directions[i]) != HPO_OK) {
            cli_error("tune", "--direction: %s", hpo_study_errmsg(s));
            return CLI_EXIT_USAGE;
        }
    if (o->sampler && hpo_study_set_sampler(s, o->sampler) != HPO_OK) {
        cli_error("tune", "--sampler: %s", hpo_study_errmsg(s));
        return CLI_EXIT_USAGE;
    }
    if (o->pruner && hpo_study_set_pruner(s, o->pruner) != HPO_OK) {
        cli_error("tune", "--pruner: %s", hpo_study_errmsg(s));
        return CLI_EXIT_USAGE;
    }
    if (o->have_seed && hpo_study_set_seed(s, o->seed) != HPO_OK) {
        cli_error("tune", "--seed: %s", hpo_study_errmsg(s));
        return CLI_EXIT_USAGE;
    }
    if (hpo_study_set_space(s, o->space) != HPO_OK) {
        cli_error("tune", "the search space: %s", hpo_study_errmsg(s));
        return CLI_EXIT_USAGE;
    }
    return 0;
}

/* Open --study (load or create), or create a new dated study. */
static int open_study(hpo_study *s, const tune_opts *o)
{
    int rc;
    if (o->study_name) {
        rc = hpo_study_open(s, o->study_name, HPO_OPEN_CREATE | HPO_OPEN_LOAD);
    } else {
        char name[64], base[40];
        time_t now = time(NULL);
        strftime(base, sizeof base, "tune-%Y%m%d-%H%M%S", localtime(&now));
        snprintf(name, sizeof name, "%s", base);
        rc = hpo_study_open(s, name, HPO_OPEN_CREATE);
        for (int k = 2; rc == HPO_EEXIST && k < 1000; k++) {
            snprintf(name, sizeof name, "%s-%d", base, k);
            rc = hpo_study_open(s, name, HPO_OPEN_CREATE);
        }
    }
    if (rc == HPO_OK)
        return 0;
    cli_error("tune", "--study '%s': %s",
              o->study_name ? o->study_name : "(new)", hpo_study_errmsg(s));
    return rc == HPO_EINCOMPAT || rc == HPO_EINVAL ? CLI_EXIT_USAGE
                                                   : CLI_EXIT_FAILED;
}

/* ------------------------------------------------------------------------- */
/* The run                                                                    */
/* ------------------------------------------------------------------------- */

static int on_trial_done(hpo_study *study, const hpo_trial *trial, void *data)
{
    (void)study;
    progress_trial_done(data, trial);
    return 0;
}

/* why_stopped: the study's message when optimize failed, copied before
 * the summary and the best trial (later calls on the study) replace it. */
static int exit_code(tune_ctx *ctx, int rc, int sig, const char *why_stopped)
{
    if (sig)
        return 128 + sig;
    if (ctx->exec_failed) {
        cli_error(NULL, "%s", ctx->exec_message);
        return CLI_EXIT_USAGE;
    }
    if (rc < 0) {
        cli_error("tune", "%s", why_stopped ? why_stopped : hpo_errstr(rc));
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

static void print_result(hpo_study *study)
{
    printf("study %s\n", hpo_study_name(study));
    int rc = cli_print_best(stdout, study, 0);
    if (rc == HPO_ENOTFOUND)
        printf("no trial completed\n");
    else if (rc != HPO_OK)
        cli_error("tune", "reading the best trial: %s",
                  hpo_study_errmsg(study));
    fflush(stdout);
}

/* Why hpo_study_optimize() failed (rc < 0), malloc'd: the study's message,
 * taken before later calls on the study replace it.  A storage failure in
 * a worker's tell reaches the study only as "optimize stopped: storage
 * error" (the details stay on the trial handle, which the library frees),
 * so the storage's own text is added when the study's lacks it. */
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

static int run_trials(tune_ctx *ctx, const tune_opts *o, hpo_storage *storage,
                      const char *storage_url)
{
    hpo_study *study = ctx->study;
    progress_say(ctx->progress, "hpo: study %s in %s", ctx->study_name,
                 storage_url);
    interrupt_set_study(study);
    if (interrupt_install() != 0) {
        cli_error("tune", "cannot install the signal handlers");
        return CLI_EXIT_FAILED;
    }
    hpo_optimize_options opt = {
        .n_trials = (int)o->n_trials, .timeout_s = o->timeout_s,
        .n_jobs = (int)o->jobs, .callback = on_trial_done,
        .callback_data = ctx->progress,
    };
    progress_start(ctx->progress);
    int rc = hpo_study_optimize(study, tune_run_trial, ctx, &opt);
    char *why_stopped = rc < 0 ? stop_reason(study, storage, rc) : NULL;
    progress_stop(ctx->progress);
    interrupt_set_study(NULL);
    int sig = interrupt_signal();
    progress_summary(ctx->progress, sig ? "interrupted" : NULL);
    print_result(study);
    int code = exit_code(ctx, rc, sig, why_stopped);
    free(why_stopped);
    return code;
}

static int tune(tune_opts *o)
{
    char path[PATH_MAX];
    int resolved, rc;
    hpo_storage *storage = NULL;
    hpo_study *study = hpo_study_new();
    tune_ctx ctx = {0};
    pthread_mutex_init(&ctx.mu, NULL);
    if (!study) {
        cli_error("tune", "out of memory");
        return CLI_EXIT_FAILED;
    }
    const char *url = o->storage_url ? o->storage_url : CLI_DEFAULT_STORAGE;
    if ((rc = check_placeholders(o)) || (rc = configure_study(study, o)) ||
        (rc = check_command(o, path, sizeof path, &resolved)) ||
        (rc = cli_open_storage("tune", url, 0, &storage)))
        goto done;
    hpo_study_set_storage(study, storage);
    if ((rc = open_study(study, o)))
        goto done;
    ctx.study = study;
    /* Copied: a name borrowed from the handle lasts until its next call. */
    ctx.study_name = strdup(hpo_study_name(study));
    ctx.n_objectives = hpo_study_n_objectives(study);
    ctx.command = o->command;
    ctx.exec_path = resolved ? path : NULL;
    ctx.trial_timeout_s = o->trial_timeout_s;
    ctx.progress = progress_new(o->quiet, (int)o->n_trials, o->timeout_s,
                                ctx.n_objectives == 1
                                    ? hpo_study_direction(study, 0)
                                    : (hpo_direction)0);
    if (!ctx.progress || !ctx.study_name) {
        cli_error("tune", "out of memory");
        rc = CLI_EXIT_FAILED;
        goto done;
    }
    rc = run_trials(&ctx, o, storage, url);
done:
    progress_free(ctx.progress);
    free((char *)ctx.study_name);
    hpo_study_free(study);
    hpo_storage_close(storage);
    pthread_mutex_destroy(&ctx.mu);
    return rc;
}

int cli_tune(int argc, char **argv)
{
    tune_opts o = {.jobs = 1};
    o.space = hpo_space_new();
    if (!o.space) {
        cli_error("tune", "out of memory");
        return CLI_EXIT_FAILED;
    }
    int rc = parse_options(&o, argc, argv);
    if (rc < 0)
        rc = tune(&o);
    hpo_space_free(o.space);
    return rc;
}
