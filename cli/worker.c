/*
 * worker.c — `hpo worker --storage URL --study NAME`: join a study that
 * `hpo tune` started, on this or any other machine, and run its trials
 * exactly as tune does (run.c, tune_trial.c).
 *
 * The command, the space, the sampler, the pruner, the trial timeout and
 * the heartbeat and retry settings are read from the study
 * (study_config.h); --heartbeat, --grace and --retry-failed override the
 * stored ones for this worker.  Without --trials a worker runs until the
 * study has the number of COMPLETE trials tune's --trials set (budget.h),
 * waiting, when heartbeats are on, for the last trials other workers run
 * in case one of them fails; with --trials N it runs N trials of its own
 * whatever the study's target.  A resource budget hpo tune stored
 * (--budget-resource) holds for every worker, with --trials or without.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arg_redact.h"
#include "args.h"
#include "fd_limit.h"
#include "cli.h"
#include "logging.h"
#include "progress.h"
#include "run.h"
#include "setup.h"
#include "study_config.h"
#include "runner.h"
#include "tune.h"

#define CMD "worker"
#define MAX_JOBS 1024

enum { OPT_STUDY = 1, OPT_HELP };

static const cli_option worker_options[] = {
    {"storage", 0, 1, CLI_OPT_STORAGE},
    {"study", 0, 1, OPT_STUDY},
    {"trials", 'n', 1, CLI_OPT_TRIALS},
    {"timeout", 0, 1, CLI_OPT_TIMEOUT},
    {"jobs", 'j', 1, CLI_OPT_JOBS},
    SETUP_LIVENESS_OPTIONS,
    CLI_LOG_OPTIONS,
    {"help", 'h', 0, OPT_HELP},
    {0},
};

typedef struct worker_opts {
    cli_run_opts run; /* the sampler, pruner and seed are the study's */
    setup_liveness liveness;
} worker_opts;

static void worker_help(FILE *out)
{
    fprintf(out,
"usage: hpo worker --storage URL --study NAME [options]\n"
"\n"
"Join a study that hpo tune started and run its trials: the command, the\n"
"search space, the sampler and pruner are stored with the study, so any\n"
"number of workers on any number of machines need only the storage URL\n"
"(postgresql://... for several machines) and the study's name.\n"
"\n"
"      --storage URL       the study's storage (default $HPO_STORAGE,\n"
"                          else %s)\n"
"      --study NAME        the study (required)\n"
"  -n, --trials N          run N trials (default: until the study has the\n"
"                          complete trials hpo tune --trials asked for);\n"
"                          hpo tune's --budget-resource holds either way\n"
"      --timeout T         start no trial after T (seconds, or 30s, 10m, 2h)\n"
"  -j, --jobs N            run N children at once (default 1)\n"
"      --heartbeat S       beat for each running trial every S seconds, and\n"
"                          fail trials whose worker stopped beating\n"
"      --grace S           ... for S seconds (default 2 x --heartbeat)\n"
"      --retry-failed N    run a failed trial's parameters again, up to N\n"
"                          times\n"
"                          (these three override the ones hpo tune stored)\n"
CLI_LOG_HELP
"\n"
"Exit status: 0 done, 1 every trial failed or a runtime error, 2 bad usage,\n"
"no such study, a study hpo tune did not make, or a command that cannot be\n"
"run here, 130 interrupted (143 on SIGTERM).\n", CLI_DEFAULT_STORAGE);
}

/* One option; 0 to go on, else the exit code. */
static int take_option(void *opts, int id, const char *v)
{
    worker_opts *o = opts;
    if (setup_is_liveness_option(id))
        return setup_take_liveness(CMD, id, v, &o->liveness);
    switch (id) {
    case OPT_STUDY: /* an empty name is "--study is required" */
        o->run.study_name = v;
        return 0;
    }
    return cli_take_run_option(CMD, id, v, &o->run);
}

/* Returns -1 to go on, else an exit code (0 after --help). */
static int parse_options(worker_opts *o, int argc, char **argv)
{
    cli_args a;
    cli_args_init(&a, CMD, argc, argv);
    int rc = cli_take_options(&a, worker_options, OPT_HELP, take_option, o);
    if (rc == CLI_HELP_ASKED) {
        worker_help(stdout);
        return CLI_EXIT_OK;
    }
    if (rc >= 0 ||
        (rc = cli_no_operands(&a, " (the command is stored with the study)")))
        return rc;
    if (!o->run.study_name || !*o->run.study_name) {
        cli_error(CMD, "--study is required");
        return CLI_EXIT_USAGE;
    }
    return -1;
}

/* Read what hpo tune stored with the study: 0 or an exit code. */
static int read_config(const char *url, const char *name, study_config *cfg)
{
    hpo_storage *storage = NULL;
    hpo_study *probe = NULL;
    int rc = cli_open_study(CMD, url, name, &storage, &probe);
    if (rc == CLI_EXIT_OK) {
        const char *json = hpo_study_system_attr(probe, STUDY_CONFIG_ATTR);
        char err[512];
        if (!json) {
            cli_error(CMD, "study %s has no stored command (it was not "
                      "created by hpo tune); use hpo tune", name);
            rc = CLI_EXIT_USAGE;
        } else if (study_config_parse(json, cfg, err, sizeof err) != 0) {
            cli_error(CMD, "study %s: %s", name, err);
            rc = CLI_EXIT_FAILED;
        } else if (arg_redacted_in(cfg->command)) {
            cli_error(CMD, "study %s: its command had a secret in argument "
                      "'%s', which hpo does not store; give the child its "
                      "secret in the environment instead (docs/cli.md, "
                      "Secrets)", name, arg_redacted_in(cfg->command));
            rc = CLI_EXIT_USAGE;
        }
    }
    hpo_study_free(probe);
    hpo_storage_close(storage);
    return rc;
}

/* The study handle trials run on, set up from the stored settings. */
static int open_configured(const worker_opts *o, study_config *cfg,
                           hpo_space *space, hpo_study *study,
                           hpo_storage **storage, const char *url)
{
    int rc;
    if (hpo_space_parse_json(space, cfg->space_json, "the stored space") !=
        HPO_OK) {
        cli_error(CMD, "study %s: %s", o->run.study_name,
                  hpo_space_errmsg(space));
        return CLI_EXIT_FAILED;
    }
    cfg->n_directions = 0; /* the study has them */
    if ((rc = setup_apply_liveness(CMD, &o->liveness, cfg)) ||
        (rc = setup_check_placeholders(CMD, cfg->command, space)) ||
        (rc = setup_configure_study(CMD, study, cfg, space, 1)) ||
        (rc = cli_open_storage(CMD, url, 1, storage)))
        return rc;
    hpo_study_set_storage(study, *storage);
    if (hpo_study_open(study, o->run.study_name, HPO_OPEN_LOAD) != HPO_OK) {
        cli_error(CMD, "--study '%s': %s", o->run.study_name,
                  hpo_study_errmsg(study));
        return CLI_EXIT_FAILED;
    }
    return 0;
}

static int work(const worker_opts *o)
{
    char path[PATH_MAX], shown[CLI_URL_SHOWN_MAX];
    int resolved = 0;
    hpo_storage *storage = NULL;
    study_config cfg = {0};
    hpo_space *space = hpo_space_new();
    hpo_study *study = hpo_study_new();
    tune_ctx ctx = {0};
    pthread_mutex_init(&ctx.mu, NULL);
    const char *url = cli_storage_url(o->run.storage_url);
    cli_redact_url(url, shown, sizeof shown);
    runner_prepare();
    int rc = !space || !study ? CLI_EXIT_FAILED : 0;
    if (rc)
        cli_error(CMD, "out of memory");
    if (rc || (rc = read_config(url, o->run.study_name, &cfg)) ||
        (rc = open_configured(o, &cfg, space, study, &storage, url)) ||
        (rc = setup_check_command(cfg.command, path, sizeof path, &resolved)))
        goto done;
    ctx.study = study;
    ctx.study_name = o->run.study_name;
    ctx.n_objectives = hpo_study_n_objectives(study);
    ctx.command = cfg.command;
    ctx.exec_path = resolved ? path : NULL;
    ctx.trial_timeout_s = cfg.trial_timeout_s;
    ctx.target_complete = o->run.n_trials > 0 ? 0 : cfg.target_complete;
    /* The resource budget holds for every worker, --trials or not: it
     * bounds what the study spends. */
    ctx.target_resource = cfg.target_resource;
    ctx.max_resource = cfg.max_resource;
    ctx.progress = progress_new((int)o->run.n_trials,
                                o->run.timeout_s,
                                ctx.n_objectives == 1
                                    ? hpo_study_direction(study, 0)
                                    : (hpo_direction)0);
    if (!ctx.progress) {
        cli_error(CMD, "out of memory");
        rc = CLI_EXIT_FAILED;
        goto done;
    }
    run_limits lim = {.n_trials = o->run.n_trials,
                      .timeout_s = o->run.timeout_s,
                      .jobs = fd_limit_cap_jobs(CMD, o->run.jobs),
                      .heartbeat_s = cfg.heartbeat_s};
    rc = run_study(CMD, &ctx, &lim, storage, shown);
done:
    progress_free(ctx.progress);
    study_config_free(&cfg);
    hpo_study_free(study);
    hpo_space_free(space);
    hpo_storage_close(storage);
    pthread_mutex_destroy(&ctx.mu);
    return rc;
}

int cli_worker(int argc, char **argv)
{
    worker_opts o = {.run = {.jobs = 1, .max_jobs = MAX_JOBS}};
    int rc = parse_options(&o, argc, argv);
    if (rc < 0 && (rc = log_setup(CMD, &o.run)) == 0)
        rc = -1;
    if (rc < 0)
        rc = work(&o);
    log_close();
    return rc;
}
