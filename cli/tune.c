/*
 * tune.c — `hpo tune [options] -- COMMAND ARGS...`: run COMMAND once per
 * trial and optimize what it prints.
 *
 * Everything that can be wrong with the input is found before the first
 * trial, in this order, each as one line and exit code 2: the flags, the
 * space, the placeholders, the sampler and pruner, the command (can it be
 * executed at all?), the storage and the study, and — for a study that
 * exists — whether its stored command and space are the ones given.
 * Then tune stores its settings with the study (study_config.h, for
 * `hpo worker`), and trials run (run.c, tune_trial.c).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arg_redact.h"
#include "args.h"
#include "fd_limit.h"
#include "budget.h"
#include "cli.h"
#include "logging.h"
#include "progress.h"
#include "run.h"
#include "setup.h"
#include "study_cmd.h"
#include "study_config.h"
#include "run_config.h"
#include "runner.h"
#include "tune.h"

#define DEFAULT_TRIALS 100
#define MAX_JOBS 1024

enum {
    OPT_PARAM = 1, OPT_SPACE, OPT_DIRECTION, OPT_TRIAL_TIMEOUT,
    OPT_FORCE, OPT_MORE, OPT_CONFIG, OPT_HELP
};

static const cli_option tune_options[] = {
    {"param", 'p', 1, OPT_PARAM},
    {"space", 0, 1, OPT_SPACE},
    CLI_RUN_OPTIONS,
    {"timeout", 0, 1, CLI_OPT_TIMEOUT},
    CLI_RESOURCE_OPTIONS,
    {"direction", 'd', 1, OPT_DIRECTION},
    {"trial-timeout", 0, 1, OPT_TRIAL_TIMEOUT},
    SETUP_LIVENESS_OPTIONS,
    {"force", 0, 0, OPT_FORCE},
    {"more", 0, 0, OPT_MORE},
    {"config", 0, 1, OPT_CONFIG},
    {"help", 'h', 0, OPT_HELP},
    {0},
};

typedef struct tune_opts {
    hpo_space *space;
    cli_run_opts run;
    int n_directions;
    hpo_direction directions[HPO_MAX_OBJECTIVES];
    double trial_timeout_s;
    int force;
    int more; /* --more: --trials counts this run's trials, not the study's */
    setup_liveness liveness;
    char **command; /* NULL-terminated, borrowed from argv or config */
    run_config config; /* --config FILE's settings */
} tune_opts;

static void tune_help(FILE *out)
{
    fprintf(out,
"usage: hpo tune [options] -- COMMAND [ARGS...]\n"
"\n"
"Run COMMAND once per trial.  In its arguments {NAME} becomes the trial's\n"
"value of parameter NAME, {trial} the trial number, {seed} a per-trial seed,\n"
"{{ and }} a brace.  The child also gets HPO_PARAM_NAME, HPO_TRIAL_NUMBER,\n"
"HPO_STUDY, HPO_SEED and HPO_WORKER_SLOT (0..jobs-1, distinct among the\n"
"children running at once).  It reports its result on stdout: a line\n"
"'@hpo value V [V2...]' (one value per objective), or else the last line\n"
"ending in a number counts; lines '@hpo report STEP V' are intermediate\n"
"values for the pruner, '@hpo constraints C [C2...]' constraint values\n"
"(each <= 0 when satisfied), '@hpo attr NAME VALUE' a named metric kept as\n"
"the trial's user attribute NAME.\n"
"\n"
"The search space:\n"
"  -p, --param SPEC        one parameter: lr=float:1e-5:1e-1:log, depth=int:1:12,\n"
"                          units=int:16:256:step=16, kernel=cat:rbf,linear,poly\n"
"      --space FILE        parameters from a JSON file\n"
"The run:\n"
"  -n, --trials N          the study's trials: run until it has N complete\n"
"                          trials (default %d unless --timeout or\n"
"                          --budget-resource), also for hpo worker\n"
"                          processes that join it; re-running an\n"
"                          interrupted tune finishes the study at N\n"
"      --more              with --trials N: run N more trials than the\n"
"                          study has (as Optuna's optimize(n_trials=N))\n"
"      --timeout T         start no trial after T (seconds, or 30s, 10m, 2h)\n"
CLI_RESOURCE_HELP
"  -j, --jobs N            run N children at once (default 1)\n"
"      --trial-timeout T   kill a child after T; its trial fails\n"
"  -d, --direction D       minimize or maximize; repeat for several objectives\n"
"      --sampler NAME[:k=v,...]   the sampler (default auto)\n"
"      --pruner NAME[:k=v,...]    the pruner (default none)\n"
"      --seed N            seed every random choice\n"
"The study:\n"
"      --storage URL       memory:, sqlite:///FILE.db, postgresql://...\n"
"                          (default $HPO_STORAGE, else %s)\n"
"      --study NAME        load or create this study (default: a new\n"
"                          tune-YYYYMMDD-HHMMSS); an existing study goes on\n"
"                          when its stored command and space are these\n"
"      --force             go on even when they differ (and store these)\n"
CLI_LOG_HELP
"      --config FILE       options from a file, one a line: NAME = VALUE\n"
"                          (trials = 50, param = x=float:0:1, quiet,\n"
"                          command = ./train --x {x}); '#' starts a comment\n"
"                          line; an option on the command line replaces the\n"
"                          file's lines for it\n"
"Several workers (hpo worker):\n"
"      --heartbeat S       beat for each running trial every S seconds, and\n"
"                          fail trials whose worker stopped beating\n"
"      --grace S           ... for S seconds (default 2 x --heartbeat)\n"
"      --retry-failed N    run a failed trial's parameters again, up to N\n"
"                          times\n"
"\n"
"Samplers:\n", DEFAULT_TRIALS, CLI_DEFAULT_STORAGE);
    cli_list_registry(out, 0, 0);
    fprintf(out, "Pruners:\n");
    cli_list_registry(out, 1, 0);
    fprintf(out,
"\n"
"A trial FAILs, and the study goes on, when its child exits non-zero, is\n"
"killed by a signal, outlives --trial-timeout or prints no value; the reason\n"
"is kept in the trial's user attributes fail_reason and stderr_tail.\n"
"Ctrl-C kills the running children (their whole process groups) and keeps\n"
"every finished trial.\n"
"\n"
"While it runs, standard error gets a record per finished trial,\n"
"  [I 2026-12-07 15:40:01] trial 12 COMPLETE value=0.0312 (best 0.0301 at\n"
"  trial 9) params {\"x\": 3.2} 1.24s\n"
"(a failed one: its reason line), and the progress: a line redrawn on a\n"
"terminal, else a plain record every 10 s (HPO_PROGRESS_INTERVAL=S).\n"
"\n"
"Exit status: 0 done, 1 every trial failed or a runtime error, 2 bad usage\n"
"or a command that cannot be run, 130 interrupted (143 on SIGTERM).\n");
}

/* ------------------------------------------------------------------------- */
/* Options                                                                    */
/* ------------------------------------------------------------------------- */

/* One option; 0 to go on, else the exit code. */
static int take_option(void *opts, int id, const char *v)
{
    const char *cmd = "tune";
    tune_opts *o = opts;
    int rc;
    if (setup_is_liveness_option(id))
        return setup_take_liveness(cmd, id, v, &o->liveness);
    switch (id) {
    case OPT_PARAM:
        if ((rc = hpo_space_parse_param(o->space, v)) != HPO_OK) {
            cli_error(cmd, "--param: %s", hpo_space_errmsg(o->space));
            return CLI_EXIT_REFUSED(rc);
        }
        return 0;
    case OPT_SPACE:
        if ((rc = hpo_space_load_file(o->space, v)) != HPO_OK) {
            cli_error(cmd, "--space: %s", hpo_space_errmsg(o->space));
            return CLI_EXIT_REFUSED(rc);
        }
        return 0;
    case OPT_TRIAL_TIMEOUT:
        return cli_parse_duration(cmd, "--trial-timeout", v,
                                  &o->trial_timeout_s) ? CLI_EXIT_USAGE : 0;
    case OPT_DIRECTION:
        if (o->n_directions == HPO_MAX_OBJECTIVES) {
            cli_error(cmd, "--direction: at most %d objectives",
                      HPO_MAX_OBJECTIVES);
            return CLI_EXIT_USAGE;
        }
        if (study_cmd_direction(v, &o->directions[o->n_directions]) != 0) {
            cli_error(cmd, "--direction: '%s' is not minimize or maximize",
                      v);
            return CLI_EXIT_USAGE;
        }
        o->n_directions++;
        return 0;
    case OPT_FORCE:
        o->force = 1;
        return 0;
    case OPT_MORE:
        o->more = 1;
        return 0;
    }
    return cli_take_run_option(cmd, id, v, &o->run);
}

/* An option as the command line gives it: recorded before any is taken,
 * so that the --config file's lines for it are skipped. */
typedef struct given_option {
    int id;
    const char *value;
} given_option;

static int is_given(const given_option *g, int n, int id)
{
    for (int i = 0; i < n; i++)
        if (g[i].id == id)
            return 1;
    return 0;
}

/* The file's settings but those the command line gives, then the command
 * line's; 0 or an exit code. */
static int take_all(tune_opts *o, const given_option *g, int n)
{
    int rc = 0;
    for (int i = 0; !rc && i < o->config.n; i++) {
        const run_config_entry *e = &o->config.v[i];
        if (is_given(g, n, e->id))
            continue;
        run_config_blame(&o->config, e->line);
        rc = take_option(o, e->id, e->value);
        run_config_blame(NULL, 0);
    }
    for (int i = 0; !rc && i < n; i++)
        rc = take_option(o, g[i].id, g[i].value);
    return rc;
}

/* The command line's options (--config FILE read, not taken); -1 to go
 * on, else an exit code (0 after --help). */
static int read_options(tune_opts *o, cli_args *a, given_option *g, int *n)
{
    static const int refused[] = {OPT_CONFIG, OPT_HELP, 0};
    const char *v, *config = NULL;
    int id;
    while ((id = cli_next_option(a, tune_options, &v)) > 0) {
        if (id == OPT_HELP) {
            tune_help(stdout);
            return CLI_EXIT_OK;
        }
        if (id == OPT_CONFIG)
            config = v;
        else
            g[(*n)++] = (given_option){id, v};
    }
    if (id < 0)
        return CLI_EXIT_USAGE;
    int rc = config ? run_config_load("tune", config, tune_options, refused,
                                      &o->config)
                    : 0;
    return rc ? rc : -1;
}

/* Returns -1 to go on, else an exit code (0 after --help). */
static int parse_options(tune_opts *o, int argc, char **argv)
{
    cli_args a;
    int n = 0, rc;
    given_option *g = calloc((size_t)argc, sizeof *g);
    if (!g) {
        cli_error("tune", "out of memory");
        return CLI_EXIT_FAILED;
    }
    cli_args_init(&a, "tune", argc, argv);
    rc = read_options(o, &a, g, &n);
    if (rc < 0 && (rc = take_all(o, g, n)) == 0)
        rc = -1;
    free(g);
    if (rc >= 0)
        return rc;
    if (a.i < argc)
        o->command = argv + a.i;
    else
        o->command = o->config.command;
    if (!o->command && o->config.path) {
        cli_error("tune", "no command to run (-- COMMAND ARGS..., or "
                  "command = ... in %s)", o->config.path);
        return CLI_EXIT_USAGE;
    }
    if (!o->command) {
        cli_error("tune", "no command to run (hpo tune [options] -- "
                  "COMMAND ARGS...)");
        return CLI_EXIT_USAGE;
    }
    if (o->more && !o->run.trials_given) {
        cli_error("tune", "--more needs --trials N (N more trials)");
        return CLI_EXIT_USAGE;
    }
    if (!o->run.trials_given && o->run.timeout_s == 0 &&
        !o->run.budget_resource)
        o->run.n_trials = DEFAULT_TRIALS;
    return -1;
}

/* Open --study (load or create), or create a new dated study. */
static int open_study(hpo_study *s, const tune_opts *o)
{
    int rc;
    if (o->run.study_name) {
        rc = hpo_study_open(s, o->run.study_name,
                            HPO_OPEN_CREATE | HPO_OPEN_LOAD);
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
              o->run.study_name ? o->run.study_name : "(new)",
              hpo_study_errmsg(s));
    return rc == HPO_EINCOMPAT || rc == HPO_EINVAL ? CLI_EXIT_USAGE
                                                   : CLI_EXIT_FAILED;
}


/* ------------------------------------------------------------------------- */
/* What is stored with the study                                              */
/* ------------------------------------------------------------------------- */

/* The settings this run stores (and checks against a stored study).  The
 * command is stored without its secrets (arg_redact.h); this run runs
 * the real one. */
static int given_config(const tune_opts *o, study_config *c)
{
    memset(c, 0, sizeof *c);
    c->command = arg_redact_command(o->command);
    c->space_json = hpo_space_to_json(o->space);
    c->sampler = o->run.sampler ? strdup(o->run.sampler) : NULL;
    c->pruner = o->run.pruner ? strdup(o->run.pruner) : NULL;
    c->n_directions = o->n_directions;
    memcpy(c->directions, o->directions, sizeof c->directions);
    c->trial_timeout_s = o->trial_timeout_s;
    if (!c->command || !c->space_json || (o->run.sampler && !c->sampler) ||
        (o->run.pruner && !c->pruner))
        return -1;
    return 0;
}

/* A study that already holds settings goes on only with the same command
 * and space (else its trials would mean different things), unless
 * --force.  A study without them (new, or made by Python or an older hpo)
 * simply gets them. */
static int check_stored(hpo_study *s, const study_config *given, int force)
{
    const char *json = hpo_study_system_attr(s, STUDY_CONFIG_ATTR);
    if (!json || force)
        return 0;
    study_config stored;
    char what[1024];
    if (study_config_parse(json, &stored, what, sizeof what) == 0) {
        int same = study_config_compare(&stored, given, what, sizeof what) == 0;
        study_config_free(&stored);
        if (same)
            return 0;
    }
    cli_error("tune", "study '%s': %s (run it as it was started, or add "
              "--force to go on with these and store them)",
              hpo_study_name(s), what);
    return CLI_EXIT_USAGE;
}

/* --trials N is the study's total: a study that has M complete trials
 * (an interrupted run's) runs N - M more, and none once it has N; with
 * --more it runs N more, as a first run does.  n_trials becomes this
 * run's count. */
static int64_t trials_target(tune_opts *o, int complete)
{
    cli_run_opts *run = &o->run;
    if (run->n_trials <= 0)
        return 0;
    if (o->more)
        return complete + run->n_trials;
    int64_t target = run->n_trials;
    if (complete >= target)
        log_say(LOG_INFO, "hpo: study %s already has %d complete trials "
                "(--trials %lld counts the study's; --more runs %lld more)",
                run->study_name, complete, (long long)target,
                (long long)target);
    if (complete < target)
        run->n_trials = target - complete;
    return target;
}

/* Store this run's settings, with the study-wide targets: N COMPLETE
 * trials (trials_target; none without --trials' limit), and N more units
 * of resource than its trials have used (--budget-resource). */
static int store_config(hpo_study *s, study_config *c, tune_opts *o)
{
    const cli_run_opts *run = &o->run;
    budget_counts counts = {0};
    int64_t used = 0;
    int rc = run->n_trials > 0 ? budget_count(s, &counts) : HPO_OK;
    if (rc == HPO_OK && run->budget_resource > 0)
        rc = hpo_study_resource_used(s, run->max_resource, &used);
    c->target_complete = rc == HPO_OK ? trials_target(o, counts.complete) : 0;
    c->target_resource = run->budget_resource > 0 ? used + run->budget_resource
                                                  : 0;
    c->max_resource = run->max_resource;
    c->n_directions = hpo_study_n_objectives(s);
    for (int i = 0; i < c->n_directions; i++)
        c->directions[i] = hpo_study_direction(s, i);
    char *json = rc == HPO_OK ? study_config_to_json(c) : NULL;
    if (rc == HPO_OK)
        rc = json ? hpo_study_set_system_attr(s, STUDY_CONFIG_ATTR, json)
                  : HPO_ENOMEM;
    free(json);
    if (rc == HPO_OK)
        return 0;
    cli_error("tune", "storing the study's settings: %s", hpo_study_errmsg(s));
    return CLI_EXIT_FAILED;
}

/* ------------------------------------------------------------------------- */
/* The run                                                                    */
/* ------------------------------------------------------------------------- */

/* Everything before the first trial; 0 or an exit code. */
static int prepare(tune_opts *o, study_config *cfg, hpo_study *study,
                   hpo_storage **storage, const char *url, char *path,
                   size_t size, int *resolved)
{
    int rc;
    char why[256];
    if (given_config(o, cfg) != 0) {
        cli_error("tune", "out of memory");
        return CLI_EXIT_FAILED;
    }
    if (study_config_check(cfg, why, sizeof why) != 0 ||
        (o->run.study_name &&
         study_name_check(o->run.study_name, why, sizeof why) != 0)) {
        cli_error("tune", "%s", why);
        return CLI_EXIT_USAGE;
    }
    if ((rc = setup_apply_liveness("tune", &o->liveness, cfg)) ||
        (rc = setup_check_placeholders("tune", o->command, o->space)) ||
        (rc = setup_configure_study("tune", study, cfg, o->space, 0)))
        return rc;
    if (o->run.have_seed && hpo_study_set_seed(study, o->run.seed) != HPO_OK) {
        cli_error("tune", "--seed: %s", hpo_study_errmsg(study));
        return CLI_EXIT_USAGE;
    }
    if ((rc = setup_check_command(o->command, path, size, resolved)) ||
        (rc = cli_open_storage("tune", url, 0, storage)))
        return rc;
    hpo_study_set_storage(study, *storage);
    if ((rc = open_study(study, o)) ||
        (rc = check_stored(study, cfg, o->force)) ||
        (rc = store_config(study, cfg, o)))
        return rc;
    return 0;
}

static int tune(tune_opts *o)
{
    char path[PATH_MAX], shown[CLI_URL_SHOWN_MAX];
    int resolved = 0, rc;
    hpo_storage *storage = NULL;
    hpo_study *study = hpo_study_new();
    study_config cfg = {0};
    tune_ctx ctx = {0};
    pthread_mutex_init(&ctx.mu, NULL);
    if (!study) {
        cli_error("tune", "out of memory");
        return CLI_EXIT_FAILED;
    }
    const char *url = cli_storage_url(o->run.storage_url);
    cli_redact_url(url, shown, sizeof shown);
    runner_prepare();
    if ((rc = prepare(o, &cfg, study, &storage, url, path, sizeof path,
                      &resolved)))
        goto done;
    ctx.study = study;
    /* Copied: a name borrowed from the handle lasts until its next call. */
    ctx.study_name = strdup(hpo_study_name(study));
    ctx.n_objectives = hpo_study_n_objectives(study);
    ctx.command = o->command;
    ctx.exec_path = resolved ? path : NULL;
    ctx.trial_timeout_s = o->trial_timeout_s;
    ctx.target_complete = cfg.target_complete;
    ctx.target_resource = cfg.target_resource;
    ctx.max_resource = cfg.max_resource;
    ctx.progress = progress_new((int)o->run.n_trials,
                                o->run.timeout_s,
                                ctx.n_objectives == 1
                                    ? hpo_study_direction(study, 0)
                                    : (hpo_direction)0);
    if (!ctx.progress || !ctx.study_name) {
        cli_error("tune", "out of memory");
        rc = CLI_EXIT_FAILED;
        goto done;
    }
    run_limits lim = {.n_trials = o->run.n_trials,
                      .timeout_s = o->run.timeout_s,
                      .jobs = fd_limit_cap_jobs("tune", o->run.jobs),
                      .heartbeat_s = cfg.heartbeat_s,
                      .have_seed = o->run.have_seed, .seed = o->run.seed};
    rc = run_study("tune", &ctx, &lim, storage, shown);
done:
    progress_free(ctx.progress);
    free((char *)ctx.study_name);
    study_config_free(&cfg);
    hpo_study_free(study);
    hpo_storage_close(storage);
    pthread_mutex_destroy(&ctx.mu);
    return rc;
}

int cli_tune(int argc, char **argv)
{
    tune_opts o = {.run = {.jobs = 1, .max_jobs = MAX_JOBS}};
    o.space = hpo_space_new();
    if (!o.space) {
        cli_error("tune", "out of memory");
        return CLI_EXIT_FAILED;
    }
    int rc = parse_options(&o, argc, argv);
    if (rc < 0 && (rc = log_setup("tune", &o.run)) == 0)
        rc = -1;
    if (rc < 0)
        rc = tune(&o);
    log_close();
    run_config_free(&o.config);
    hpo_space_free(o.space);
    return rc;
}
