/*
 * pbt.c — `hpo pbt [options] -- COMMAND ARGS...`: population-based
 * training of a command that trains one interval per run (src/pbt/).
 *
 * Each run of COMMAND is one member's interval: {checkpoint_in} is the
 * checkpoint to start from (empty for a new member), {checkpoint_out} where
 * to write the new one, {NAME} the hyperparameters; the score is read
 * from stdout as hpo tune reads a value (tune_trial.c runs the child: one
 * runner, one protocol, one placeholder syntax for both commands).  The
 * library owns the checkpoint files; this file sets the study up, prints
 * each interval's outcome and the survivors, and `--lineage` prints the
 * tree.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cJSON.h>

#include "args.h"
#include "cli.h"
#include "interrupt.h"
#include "logging.h"
#include "placeholder.h"
#include "setup.h"
#include "study_cmd.h"
#include "study_config.h"
#include "runner.h"
#include "tune.h"

#define MAX_JOBS 1024
#define PBT_CONFIG_ATTR "hpo:pbt"

enum {
    OPT_PARAM = 1, OPT_SPACE, OPT_DIRECTION, OPT_TRIAL_TIMEOUT, OPT_DIR,
    OPT_LINEAGE, OPT_HELP,
    /* spec options: passed to the library as key=value */
    OPT_SPEC_FIRST = 100, OPT_POPULATION = OPT_SPEC_FIRST, OPT_INTERVALS,
    OPT_INTERVAL, OPT_QUANTILE, OPT_RESAMPLE, OPT_PERTURB, OPT_EXPLORE,
    OPT_MAX_FAILURES, OPT_KAPPA, OPT_SPEC_END
};

/* The spec keys, in OPT_SPEC order. */
static const char *const spec_keys[] = {
    "population", "intervals", "interval", "quantile",
    "resample_probability", "perturb", "explore", "max_failures", "kappa",
};

static const cli_option pbt_options[] = {
    {"param", 'p', 1, OPT_PARAM},
    {"space", 0, 1, OPT_SPACE},
    {"population", 'N', 1, OPT_POPULATION},
    {"intervals", 'K', 1, OPT_INTERVALS},
    {"interval", 0, 1, OPT_INTERVAL},
    {"quantile", 0, 1, OPT_QUANTILE},
    {"resample-probability", 0, 1, OPT_RESAMPLE},
    {"perturb", 0, 1, OPT_PERTURB},
    {"explore", 0, 1, OPT_EXPLORE},
    {"max-failures", 0, 1, OPT_MAX_FAILURES},
    {"kappa", 0, 1, OPT_KAPPA},
    {"checkpoint-dir", 0, 1, OPT_DIR},
    {"direction", 'd', 1, OPT_DIRECTION},
    {"trial-timeout", 0, 1, OPT_TRIAL_TIMEOUT},
    {"lineage", 0, 0, OPT_LINEAGE},
    {"jobs", 'j', 1, CLI_OPT_JOBS},
    {"seed", 0, 1, CLI_OPT_SEED},
    {"storage", 0, 1, CLI_OPT_STORAGE},
    {"study", 0, 1, CLI_OPT_STUDY},
    CLI_LOG_OPTIONS,
    {"heartbeat", 0, 1, SETUP_OPT_HEARTBEAT},
    {"grace", 0, 1, SETUP_OPT_GRACE},
    {"help", 'h', 0, OPT_HELP},
    {0},
};

typedef struct pbt_opts {
    hpo_space *space;
    cli_run_opts run;
    hpo_direction direction;
    double trial_timeout_s;
    const char *dir;
    int lineage;
    setup_liveness liveness;
    char spec[2048];
    char **command;
} pbt_opts;

static void pbt_help(FILE *out)
{
    fprintf(out,
"usage: hpo pbt [options] -- COMMAND [ARGS...]\n"
"       hpo pbt --lineage --study NAME [--storage URL]\n"
"\n"
"Population-based training (Jaderberg et al. 2017): N members train side\n"
"by side, one interval per run of COMMAND.  After each interval the bottom\n"
"quantile copies the checkpoint and hyperparameters of a random member of\n"
"the top quantile, then explores (each hyperparameter x0.8 or x1.2, or\n"
"resampled; or PB2's GP bandit with --explore pb2).\n"
"\n"
"In COMMAND's arguments {checkpoint_in} is the checkpoint to load (empty\n"
"for a new member), {checkpoint_out} the file to write, {NAME} a\n"
"hyperparameter, {trial} and {seed} as in hpo tune.  COMMAND trains one\n"
"interval and prints its score (the last line ending in a number, or\n"
"'@hpo value V').  hpo renames checkpoint_out into place when COMMAND\n"
"succeeds and deletes checkpoints no member needs; the survivors' are kept\n"
"and listed at the end.  An interval fails when COMMAND exits non-zero,\n"
"writes no checkpoint or prints no score or nan: it is run again once from\n"
"the same checkpoint, then the member is replaced by exploit; after\n"
"--max-failures failures of one interval hpo pbt stops (exit 1).\n"
"\n"
"  -p, --param SPEC        a hyperparameter: lr=float:1e-5:1e-1:log, ...\n"
"      --space FILE        hyperparameters from a JSON file\n"
"  -N, --population N      members (default 8)\n"
"  -K, --intervals K       intervals each member trains (default 10)\n"
"      --interval U        resource units (epochs) per interval (default 1)\n"
"      --quantile Q        bottom/top fraction (default 0.2)\n"
"      --resample-probability P   (default 0.25)\n"
"      --perturb DOWN/UP   explore's factors (default 0.8/1.2)\n"
"      --explore E         perturb (default) or pb2\n"
"      --max-failures N    failures of one interval before stopping (3)\n"
"      --kappa K           PB2's UCB weight (default 2)\n"
"      --checkpoint-dir D  where checkpoints live (default\n"
"                          hpo-checkpoints/STUDY; created)\n"
"  -d, --direction D       minimize (default) or maximize the score\n"
"  -j, --jobs N            run N children at once (default 1)\n"
"      --trial-timeout T   kill a child after T; its interval fails\n"
"      --seed N            seed every random choice\n"
"      --storage URL       memory:, sqlite:///FILE.db, postgresql://...\n"
"      --study NAME        load or create this study: hpo pbt processes on\n"
"                          one study (other machines too) share one\n"
"                          population\n"
"      --heartbeat S       beat for each running interval every S seconds;\n"
"                          a dead worker's interval is failed and its member\n"
"                          resumed from its last checkpoint by another\n"
"      --grace S           ... after S seconds (default 2 x --heartbeat)\n"
"      --lineage           print the study's lineage tree and exit\n"
CLI_LOG_HELP
"\n"
"Exit status: 0 done, 1 a member kept failing or a runtime error, 2 bad\n"
"usage, 130 interrupted.\n");
}

static int add_spec(pbt_opts *o, int id, const char *v)
{
    size_t len = strlen(o->spec);
    int n = snprintf(o->spec + len, sizeof o->spec - len, "%s%s=%s",
                     strchr(o->spec, ':') ? "," : ":",
                     spec_keys[id - OPT_SPEC_FIRST], v);
    if (n < 0 || (size_t)n >= sizeof o->spec - len) {
        cli_error("pbt", "options too long");
        return CLI_EXIT_USAGE;
    }
    return 0;
}

static int take_option(void *opts, int id, const char *v)
{
    pbt_opts *o = opts;
    int rc;
    if (id >= OPT_SPEC_FIRST && id < OPT_SPEC_END)
        return add_spec(o, id, v);
    if (setup_is_liveness_option(id))
        return setup_take_liveness("pbt", id, v, &o->liveness);
    switch (id) {
    case OPT_PARAM:
    case OPT_SPACE:
        rc = id == OPT_PARAM ? hpo_space_parse_param(o->space, v)
                             : hpo_space_load_file(o->space, v);
        if (rc != HPO_OK) {
            cli_error("pbt", "%s: %s", id == OPT_PARAM ? "--param" : "--space",
                      hpo_space_errmsg(o->space));
            return CLI_EXIT_REFUSED(rc);
        }
        return 0;
    case OPT_DIRECTION:
        if (study_cmd_direction(v, &o->direction) != 0) {
            cli_error("pbt", "--direction: '%s' is not minimize or maximize",
                      v);
            return CLI_EXIT_USAGE;
        }
        return 0;
    case OPT_TRIAL_TIMEOUT:
        return cli_parse_duration("pbt", "--trial-timeout", v,
                                  &o->trial_timeout_s) ? CLI_EXIT_USAGE : 0;
    case OPT_DIR:
        o->dir = v;
        return 0;
    case OPT_LINEAGE:
        o->lineage = 1;
        return 0;
    }
    return cli_take_run_option("pbt", id, v, &o->run);
}

/* -1 to go on, else an exit code. */
static int parse_options(pbt_opts *o, int argc, char **argv)
{
    cli_args a;
    cli_args_init(&a, "pbt", argc, argv);
    int rc = cli_take_options(&a, pbt_options, OPT_HELP, take_option, o);
    if (rc == CLI_HELP_ASKED) {
        pbt_help(stdout);
        return CLI_EXIT_OK;
    }
    if (rc >= 0)
        return rc;
    o->command = a.i < argc ? argv + a.i : NULL;
    if (o->lineage) {
        if (!o->run.study_name) {
            cli_error("pbt", "--lineage needs --study NAME");
            return CLI_EXIT_USAGE;
        }
        return -1;
    }
    if (!o->command) {
        cli_error("pbt", "no command to run (hpo pbt [options] -- COMMAND "
                  "ARGS...)");
        return CLI_EXIT_USAGE;
    }
    if (hpo_space_size(o->space) == 0) {
        cli_error("pbt", "no hyperparameters (--param or --space)");
        return CLI_EXIT_USAGE;
    }
    return -1;
}

static int print_lineage(pbt_opts *o)
{
    hpo_storage *st = NULL;
    hpo_study *s = NULL;
    int rc = cli_open_study("pbt", cli_storage_url(o->run.storage_url),
                            o->run.study_name, &st, &s);
    if (rc == CLI_EXIT_OK) {
        char *text = NULL;
        if (hpo_pbt_lineage(s, &text) == HPO_OK) {
            fputs(text, stdout);
        } else {
            cli_error("pbt", "lineage: %s", hpo_study_errmsg(s));
            rc = CLI_EXIT_FAILED;
        }
        free(text);
    }
    hpo_study_free(s);
    hpo_storage_close(st);
    return rc;
}

/* ---- the run ---------------------------------------------------------------- */

/* The library's callback: one interval is one hpo tune trial of the
 * command, its value the score. */
static int train(hpo_trial *trial, int member, const char *in,
                 const char *out, double *score, void *data)
{
    (void)member, (void)in, (void)out; /* in the trial's attributes */
    int rc = tune_run_trial(trial, data, score);
    interrupt_running_add(-1); /* tune_run_trial counted it started */
    return rc;
}

/* The library's messages start "pbt: "; ours start "hpo pbt: ". */
static const char *lib_text(const char *message)
{
    return strncmp(message, "pbt: ", 5) == 0 ? message + 5 : message;
}

static void pbt_log(int level, const char *message, void *data)
{
    (void)data;
    message = lib_text(message);
    if (level >= LOG_WARNING)
        log_say(LOG_WARNING, "hpo pbt: %s", message);
    else
        log_record((log_level)level, "%s", message);
}

/* A study that holds another population's settings is refused: its trials
 * would mean something else. */
static int check_config(hpo_study *s, const pbt_opts *o)
{
    char *space = hpo_space_to_json(o->space);
    size_t n = strlen(o->spec) + (space ? strlen(space) : 0) + 64;
    char *json = malloc(n);
    if (!space || !json) {
        free(space);
        free(json);
        cli_error("pbt", "out of memory");
        return CLI_EXIT_FAILED;
    }
    /* The spec holds no quote or backslash (options are words and
     * numbers), so it is quoted by hand. */
    snprintf(json, n, "{\"spec\": \"%s\", \"space\": %s}", o->spec, space);
    free(space);
    const char *stored = hpo_study_system_attr(s, PBT_CONFIG_ATTR);
    int rc = 0;
    if (stored && strcmp(stored, json) != 0) {
        cli_error("pbt", "study '%s' holds another population (%s); use "
                  "another --study", hpo_study_name(s), stored);
        rc = CLI_EXIT_USAGE;
    } else if (!stored &&
               hpo_study_set_system_attr(s, PBT_CONFIG_ATTR, json) != HPO_OK) {
        cli_error("pbt", "storing the settings: %s", hpo_study_errmsg(s));
        rc = CLI_EXIT_FAILED;
    }
    free(json);
    return rc;
}

static int open_study(hpo_study *s, pbt_opts *o, hpo_storage **st)
{
    int rc;
    char name[64];
    const char *url = cli_storage_url(o->run.storage_url);
    if ((rc = cli_open_storage("pbt", url, 0, st)))
        return rc;
    hpo_study_set_storage(s, *st);
    hpo_study_add_direction(s, o->direction ? o->direction : HPO_MINIMIZE);
    hpo_study_set_sampler(s, "random");
    hpo_study_set_space(s, o->space);
    if (o->run.have_seed)
        hpo_study_set_seed(s, o->run.seed);
    if (o->liveness.heartbeat_given &&
        hpo_study_set_heartbeat(s, o->liveness.heartbeat_s,
                                o->liveness.grace_s) != HPO_OK) {
        cli_error("pbt", "--heartbeat: %s", hpo_study_errmsg(s));
        return CLI_EXIT_USAGE;
    }
    if (!o->run.study_name) {
        time_t now = time(NULL);
        strftime(name, sizeof name, "pbt-%Y%m%d-%H%M%S", localtime(&now));
        o->run.study_name = name;
    }
    rc = hpo_study_open(s, o->run.study_name, HPO_OPEN_CREATE | HPO_OPEN_LOAD);
    if (rc != HPO_OK) {
        cli_error("pbt", "--study '%s': %s", o->run.study_name,
                  hpo_study_errmsg(s));
        o->run.study_name = NULL;
        return rc == HPO_EINVAL || rc == HPO_EINCOMPAT ? CLI_EXIT_USAGE
                                                       : CLI_EXIT_FAILED;
    }
    o->run.study_name = NULL; /* `name` goes out of scope */
    return check_config(s, o);
}

/* The survivors: one line each, on stdout. */
static int print_survivors(hpo_study *s)
{
    hpo_trial **t;
    int n;
    if (hpo_pbt_survivors(s, &t, &n) != HPO_OK) {
        cli_error("pbt", "reading the survivors: %s", hpo_study_errmsg(s));
        return CLI_EXIT_FAILED;
    }
    printf("member\ttrial\tscore\tcheckpoint\tparams\n");
    for (int i = 0; i < n; i++) {
        const char *ck = hpo_trial_user_attr(t[i], "checkpoint");
        cJSON *path = ck ? cJSON_Parse(ck) : NULL;
        printf("%s\t%d\t%.6g\t%s\t", hpo_trial_user_attr(t[i], "pbt_member"),
               hpo_trial_number(t[i]), hpo_trial_value(t[i], 0),
               cJSON_IsString(path) ? path->valuestring : "-");
        cJSON_Delete(path);
        for (int p = 0; p < hpo_trial_n_params(t[i]); p++) {
            const char *v = hpo_trial_param_text(t[i], p);
            printf("%s%s=%s", p ? " " : "", hpo_trial_param_name(t[i], p),
                   v ? v : "?");
        }
        printf("\n");
    }
    hpo_trials_free(t, n);
    return CLI_EXIT_OK;
}

static int run(pbt_opts *o, hpo_study *s, tune_ctx *ctx)
{
    static const char *const extra[] = {"checkpoint_in", "checkpoint_out",
                                        NULL};
    char err[256], path[PATH_MAX], dir[PATH_MAX];
    for (int i = 0; o->command[i]; i++)
        if (placeholder_check_names(o->command[i], o->space, extra, err,
                                    sizeof err)) {
            cli_error("pbt", "argument '%.200s': %s", o->command[i], err);
            return CLI_EXIT_USAGE;
        }
    hpo_pbt *p;
    int rc = hpo_pbt_new(&p, NULL, o->spec, NULL); /* the spec, early */
    if (rc != HPO_OK)
        cli_error("pbt", "%s", lib_text(hpo_pbt_errmsg(p)));
    hpo_pbt_free(p);
    if (rc != HPO_OK)
        return CLI_EXIT_REFUSED(rc);
    int resolved;
    if ((rc = setup_check_command(o->command, path, sizeof path, &resolved)))
        return rc;
    hpo_storage *st = NULL;
    if ((rc = open_study(s, o, &st))) {
        hpo_storage_close(st);
        return rc;
    }
    snprintf(dir, sizeof dir, "%s%s%s", o->dir ? o->dir : "hpo-checkpoints",
             o->dir ? "" : "/", o->dir ? "" : hpo_study_name(s));
    rc = hpo_pbt_new(&p, s, o->spec, dir);
    if (rc != HPO_OK) {
        cli_error("pbt", "%s", lib_text(hpo_pbt_errmsg(p)));
        rc = rc == HPO_EIO || rc == HPO_ENOMEM ? CLI_EXIT_FAILED
                                                : CLI_EXIT_USAGE;
    } else {
        ctx->study = s;
        ctx->study_name = hpo_study_name(s);
        ctx->n_objectives = 1;
        ctx->command = o->command;
        ctx->exec_path = resolved ? path : NULL;
        ctx->trial_timeout_s = o->trial_timeout_s;
        ctx->seed_base = trial_seed_base(s, o->run.have_seed, o->run.seed);
        rc = slot_pool_init(&ctx->slots, (int)o->run.jobs) ? HPO_ENOMEM
                                                           : HPO_OK;
        interrupt_set_study(s);
        hpo_study_set_log(s, pbt_log, NULL);
        log_say(LOG_INFO, "hpo pbt: study %s, checkpoints in %s",
                hpo_study_name(s), dir);
        if (rc == HPO_OK)
            rc = hpo_pbt_run(p, train, ctx, (int)o->run.jobs);
        interrupt_set_study(NULL);
        hpo_study_set_log(s, NULL, NULL);
        slot_pool_free(&ctx->slots);
        if (interrupt_signal())
            rc = CLI_EXIT_INTERRUPTED;
        else if (rc != HPO_OK)
            cli_error("pbt", "%s", lib_text(hpo_pbt_errmsg(p)));
        int out = print_survivors(s);
        rc = rc == CLI_EXIT_INTERRUPTED ? rc : rc != HPO_OK ? CLI_EXIT_FAILED
                                                            : out;
    }
    hpo_pbt_free(p);
    hpo_storage_close(st);
    return rc;
}

int cli_pbt(int argc, char **argv)
{
    pbt_opts o = {.run = {.jobs = 1, .max_jobs = MAX_JOBS},
                  .spec = "pbt"};
    tune_ctx ctx = {0};
    pthread_mutex_init(&ctx.mu, NULL);
    o.space = hpo_space_new();
    int rc = o.space ? parse_options(&o, argc, argv) : CLI_EXIT_FAILED;
    if (rc < 0 && (rc = log_setup("pbt", &o.run)) == 0)
        rc = -1;
    if (rc < 0 && o.lineage) {
        rc = print_lineage(&o);
    } else if (rc < 0) {
        runner_prepare();
        hpo_study *s = hpo_study_new();
        rc = s ? run(&o, s, &ctx) : CLI_EXIT_FAILED;
        hpo_study_free(s);
    }
    log_close();
    hpo_space_free(o.space);
    pthread_mutex_destroy(&ctx.mu);
    return rc;
}
