/*
 * race.c — `hpo race --instances FILE --budget N -- COMMAND ARGS...`:
 * iterated racing (src/race/, hpo_study_race) of COMMAND's configurations
 * over instances.  Each experiment runs COMMAND as `hpo tune` runs a
 * trial (tune_trial.c: placeholders, the score from the last stdout
 * line, timeouts, Ctrl-C), with {instance} the instance and {seed} its
 * seed; a failed experiment counts as the worst score, with a warning.
 *
 * The race is a study: every experiment a trial, the final elites summary
 * trials, the best named by "race_best_trial" (`hpo best` shows it).
 */
#define _GNU_SOURCE 1 /* asprintf, strndup */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "args.h"
#include "cli.h"
#include "interrupt.h"
#include "logging.h"
#include "placeholder.h"
#include "race/irace_files.h"
#include "runner.h"
#include "setup.h"
#include "tune.h"

#define MAX_JOBS 1024

enum {
    OPT_INSTANCES = 1, OPT_TEST_INSTANCES, OPT_BUDGET, OPT_TIME_BUDGET,
    OPT_TEST, OPT_PARAM, OPT_SPACE, OPT_PARAMETERS, OPT_MAXIMIZE,
    OPT_FIRST_TEST, OPT_EACH_TEST, OPT_CONFIDENCE, OPT_TRIAL_TIMEOUT, OPT_HELP
};

static const cli_option race_options[] = {
    {"instances", 0, 1, OPT_INSTANCES},
    {"test-instances", 0, 1, OPT_TEST_INSTANCES},
    {"budget", 0, 1, OPT_BUDGET},
    {"time-budget", 0, 1, OPT_TIME_BUDGET},
    {"test", 0, 1, OPT_TEST},
    {"param", 'p', 1, OPT_PARAM},
    {"space", 0, 1, OPT_SPACE},
    {"parameters", 0, 1, OPT_PARAMETERS},
    {"maximize", 0, 0, OPT_MAXIMIZE},
    {"first-test", 0, 1, OPT_FIRST_TEST},
    {"each-test", 0, 1, OPT_EACH_TEST},
    {"confidence", 0, 1, OPT_CONFIDENCE},
    {"trial-timeout", 0, 1, OPT_TRIAL_TIMEOUT},
    {"jobs", 'j', 1, CLI_OPT_JOBS},
    {"seed", 0, 1, CLI_OPT_SEED},
    {"storage", 0, 1, CLI_OPT_STORAGE},
    {"study", 0, 1, CLI_OPT_STUDY},
    CLI_LOG_OPTIONS,
    {"help", 'h', 0, OPT_HELP},
    {0},
};

typedef struct race_opts {
    cli_run_opts run;
    hpo_space *space;
    const char *instances, *test_instances, *parameters;
    char **switches; /* --parameters' switches, one per parameter */
    int n_switches;
    hpo_race_options race;
    int maximize, space_given;
    double trial_timeout_s;
    char **command;      /* as given after -- */
    char **full_command; /* with --parameters' switches: owned */
} race_opts;

static void race_help(FILE *out)
{
    fprintf(out,
"usage: hpo race --instances FILE --budget N [options] -- COMMAND [ARGS...]\n"
"\n"
"Iterated racing (irace): configurations of the space run on instances one\n"
"after another; the statistically worse are dropped (Friedman's test, or\n"
"paired t-tests), the survivors seed the next iteration's configurations.\n"
"In COMMAND's arguments {instance} is the instance, {seed} its seed, {NAME}\n"
"the value of parameter NAME, {trial} the trial number; the child also gets\n"
"HPO_INSTANCE, HPO_SEED and HPO_PARAM_NAME.  Its score is the last line of\n"
"its stdout that ends in a number (or '@hpo value V'), as in hpo tune;\n"
"smaller is better unless --maximize.\n"
"\n"
"  --instances FILE        training instances, one a line ('#' comments)\n"
"  --test-instances FILE   after the race, run the final elites on these\n"
"  --budget N              experiments (runs of COMMAND) in all\n"
"  --time-budget T         start no experiment after T (seconds, 30m, 2h);\n"
"                          alone, the budget in experiments is estimated\n"
"  -j, --jobs N            run a race's configurations on an instance N at\n"
"                          a time (default 1)\n"
"  --test NAME             friedman (default), t-test or t-test-holm\n"
"  --confidence C          of the tests (default 0.95)\n"
"  --first-test N          instances before the first test (default 5)\n"
"  --each-test N           instances between tests (default 1)\n"
"  -p, --param SPEC        a parameter, as hpo tune takes it\n"
"  --space FILE            parameters from a JSON file\n"
"  --parameters FILE       parameters from irace's parameters.txt; each\n"
"                          parameter's switch and value are appended to\n"
"                          COMMAND ('--alpha ' gives two arguments)\n"
"  --maximize              larger scores are better\n"
"  --trial-timeout T       kill an experiment after T (it fails)\n"
"  --seed N                seed the race (and so the instances' seeds)\n"
"  --storage URL           where the study goes (default $HPO_STORAGE, else\n"
"                          %s)\n"
"  --study NAME            a new study's name (default race-DATE-TIME)\n"
CLI_LOG_HELP
"\n"
"A failed experiment (non-zero exit, signal, timeout, no score) counts as\n"
"the worst score, as irace does, with a warning.  The result: the final\n"
"elites with their mean score on the training instances (and on the test\n"
"instances); `hpo best` on the study shows the best elite.\n"
"\n"
"Exit status: 0 done, 1 a runtime error, 2 bad usage or a command that\n"
"cannot be run, 130 interrupted (143 on SIGTERM).\n",
            CLI_DEFAULT_STORAGE);
}

static int load_space(race_opts *o, int id, const char *v)
{
    int rc;
    char err[1024];
    if (id == OPT_PARAM)
        rc = hpo_space_parse_param(o->space, v);
    else if (id == OPT_SPACE)
        rc = hpo_space_load_file(o->space, v);
    else {
        if (o->parameters) {
            cli_error("race", "--parameters given twice");
            return CLI_EXIT_USAGE;
        }
        o->parameters = v;
        rc = irace_parse_parameters(v, o->space, &o->switches,
                                    &o->n_switches, err, sizeof err);
        if (rc) {
            cli_error("race", "--parameters: %s", err);
            return CLI_EXIT_REFUSED(rc);
        }
    }
    if (rc) {
        cli_error("race", "%s: %s", id == OPT_PARAM ? "--param" : "--space",
                  hpo_space_errmsg(o->space));
        return CLI_EXIT_REFUSED(rc);
    }
    o->space_given = 1;
    return 0;
}

static int take_test(race_opts *o, const char *v)
{
    if (strcmp(v, "friedman") == 0 || strcmp(v, "F-test") == 0)
        o->race.test = HPO_RACE_FRIEDMAN;
    else if (strcmp(v, "t-test") == 0)
        o->race.test = HPO_RACE_TTEST;
    else if (strcmp(v, "t-test-holm") == 0)
        o->race.test = HPO_RACE_TTEST_HOLM;
    else {
        cli_error("race", "--test: '%s' is not friedman, t-test or "
                  "t-test-holm", v);
        return CLI_EXIT_USAGE;
    }
    return 0;
}

static int take_number(const char *flag, const char *v, int64_t min,
                       int64_t max, int64_t *out)
{
    return cli_parse_int("race", flag, v, min, max, out) ? CLI_EXIT_USAGE : 0;
}

static int take_option(void *opts, int id, const char *v)
{
    race_opts *o = opts;
    int64_t n = 0;
    int rc;
    char *end;
    switch (id) {
    case OPT_INSTANCES: o->instances = v; return 0;
    case OPT_TEST_INSTANCES: o->test_instances = v; return 0;
    case OPT_MAXIMIZE: o->maximize = 1; return 0;
    case OPT_TEST: return take_test(o, v);
    case OPT_PARAM: case OPT_SPACE: case OPT_PARAMETERS:
        return load_space(o, id, v);
    case OPT_BUDGET:
        return take_number("--budget", v, 1, INT64_MAX / 4, &o->race.budget);
    case OPT_FIRST_TEST: case OPT_EACH_TEST:
        rc = take_number(id == OPT_FIRST_TEST ? "--first-test" : "--each-test",
                         v, 1, 1000, &n);
        *(id == OPT_FIRST_TEST ? &o->race.first_test : &o->race.each_test) =
            (int)n;
        return rc;
    case OPT_TIME_BUDGET:
        return cli_parse_duration("race", "--time-budget", v,
                                  &o->race.time_budget_s) ? CLI_EXIT_USAGE : 0;
    case OPT_TRIAL_TIMEOUT:
        return cli_parse_duration("race", "--trial-timeout", v,
                                  &o->trial_timeout_s) ? CLI_EXIT_USAGE : 0;
    case OPT_CONFIDENCE:
        o->race.confidence = strtod(v, &end);
        if (*end || end == v || !(o->race.confidence > 0) ||
            !(o->race.confidence < 1)) {
            cli_error("race", "--confidence: '%s' is not a number in (0, 1)", v);
            return CLI_EXIT_USAGE;
        }
        return 0;
    }
    return cli_take_run_option("race", id, v, &o->run);
}

/* COMMAND with each --parameters switch and its {placeholder} appended:
 * "--alpha " (irace's trailing space) gives "--alpha" "{alpha}", "-a"
 * gives "-a{alpha}". */
static int append_switches(race_opts *o)
{
    int n = 0;
    while (o->command[n])
        n++;
    char **v = calloc((size_t)n + 2 * (size_t)o->n_switches + 1, sizeof *v);
    if (!v)
        return -1;
    o->full_command = v;
    for (int i = 0; i < n; i++)
        if (!(v[i] = strdup(o->command[i])))
            return -1;
    for (int p = 0; p < o->n_switches; p++) {
        const char *sw = o->switches[p], *name = hpo_space_name(o->space, p);
        size_t len = strlen(sw);
        if (len && sw[len - 1] == ' ') {
            if (!(v[n++] = strndup(sw, len - 1)) ||
                asprintf(&v[n++], "{%s}", name) < 0)
                return -1;
        } else if (asprintf(&v[n++], "%s{%s}", sw, name) < 0) {
            return -1;
        }
    }
    return 0;
}

static int parse_options(race_opts *o, int argc, char **argv)
{
    cli_args a;
    cli_args_init(&a, "race", argc, argv);
    int rc = cli_take_options(&a, race_options, OPT_HELP, take_option, o);
    if (rc == CLI_HELP_ASKED) {
        race_help(stdout);
        return CLI_EXIT_OK;
    }
    if (rc >= 0)
        return rc;
    if (a.i >= argc) {
        cli_error("race", "no command to run (hpo race [options] -- COMMAND "
                  "ARGS...)");
        return CLI_EXIT_USAGE;
    }
    o->command = argv + a.i;
    if (!o->instances) {
        cli_error("race", "--instances FILE is needed (the training "
                  "instances, one a line)");
        return CLI_EXIT_USAGE;
    }
    if (!o->space_given) {
        cli_error("race", "no parameters (--param, --space or --parameters)");
        return CLI_EXIT_USAGE;
    }
    if (o->race.budget <= 0 && !(o->race.time_budget_s > 0)) {
        cli_error("race", "--budget N (experiments) or --time-budget T is "
                  "needed");
        return CLI_EXIT_USAGE;
    }
    if (o->switches && append_switches(o)) {
        cli_error("race", "out of memory");
        return CLI_EXIT_FAILED;
    }
    if (o->full_command)
        o->command = o->full_command;
    return -1;
}

static int read_instances(const char *flag, const char *path, char ***out,
                          int *n)
{
    char err[1024];
    int rc = irace_read_instances(path, NULL, out, n, err, sizeof err);
    if (rc == HPO_OK)
        return 0;
    cli_error("race", "%s: %s", flag, err);
    return rc == HPO_ENOMEM ? CLI_EXIT_FAILED : CLI_EXIT_USAGE;
}

static int check_placeholders(race_opts *o)
{
    char err[512];
    for (char **a = o->command; *a; a++)
        if (placeholder_check_instance(*a, o->space, err, sizeof err)) {
            cli_error("race", "in '%s': %s", *a, err);
            return CLI_EXIT_USAGE;
        }
    return 0;
}

/* Before any study is made: irace's least budget for this space. */
static int check_budget(race_opts *o)
{
    int64_t least = hpo_race_min_budget(hpo_space_size(o->space), &o->race);
    if (o->race.budget <= 0 || o->race.budget >= least)
        return 0;
    cli_error("race", "--budget %lld is too small: %d parameter(s) need at "
              "least %lld experiments (irace's minimum)",
              (long long)o->race.budget, hpo_space_size(o->space),
              (long long)least);
    return CLI_EXIT_USAGE;
}

/* The study: new (a race is not resumed: its state lives in memory). */
static int open_study(hpo_study *s, race_opts *o)
{
    int rc = hpo_study_set_space(s, o->space);
    if (!rc)
        rc = hpo_study_add_direction(s, o->maximize ? HPO_MAXIMIZE
                                                    : HPO_MINIMIZE);
    if (!rc)
        rc = hpo_study_set_sampler(s, "random"); /* params come fixed */
    if (!rc && o->run.have_seed)
        rc = hpo_study_set_seed(s, o->run.seed);
    if (rc) {
        cli_error("race", "%s", hpo_study_errmsg(s));
        return CLI_EXIT_REFUSED(rc);
    }
    char name[64];
    const char *use = o->run.study_name;
    if (!use) {
        time_t now = time(NULL);
        strftime(name, sizeof name, "race-%Y%m%d-%H%M%S", localtime(&now));
        use = name;
    }
    rc = hpo_study_open(s, use, HPO_OPEN_CREATE);
    if (rc == HPO_EEXIST) {
        cli_error("race", "--study '%s' exists: a race starts a new study "
                  "(choose another name, or hpo delete-study it)", use);
        return CLI_EXIT_USAGE;
    }
    if (rc) {
        cli_error("race", "--study '%s': %s", use, hpo_study_errmsg(s));
        return CLI_EXIT_FAILED;
    }
    return 0;
}

/* ------------------------------------------------------------------------- */
/* The run                                                                    */
/* ------------------------------------------------------------------------- */

static int eval(hpo_trial *t, const char *instance, int index, uint32_t seed,
                void *data, double *value)
{
    tune_ctx *ctx = data;
    (void)index;
    int rc = tune_run_experiment(ctx, t, instance, seed, value);
    interrupt_running_add(-1); /* counted by progress_trial_started */
    if (rc == HPO_OK)
        return HPO_OK;
    if (ctx->exec_failed || ctx->start_failed || interrupt_signal())
        return HPO_STOPPED; /* every other experiment would fare alike */
    /* The reason is kept as a JSON string: shown without its quotes. */
    const char *why = hpo_trial_user_attr(t, "fail_reason");
    size_t len = why ? strlen(why) : 0;
    int quoted = len >= 2 && why[0] == '"' && why[len - 1] == '"';
    log_say(LOG_WARNING, "hpo race: trial %d (instance %s) failed: %.*s; it "
            "counts as the worst score", hpo_trial_number(t), instance,
            why ? (int)(len - 2 * quoted) : 14,
            why ? why + quoted : "no reason kept");
    return HPO_EFAIL;
}

static void on_progress(const hpo_race_progress *p, void *data)
{
    (void)data;
    char budget[32] = "";
    if (p->budget > 0)
        snprintf(budget, sizeof budget, "/%lld", (long long)p->budget);
    if (p->finished)
        log_say(LOG_INFO, "hpo race: race %d/%d done: %d of %d "
                "configurations alive after %d instances, %lld%s "
                "experiments, %.1f s", p->iteration, p->n_iterations,
                p->alive, p->n_configurations, p->instances,
                (long long)p->used, budget, p->elapsed_s);
    else
        log_say(LOG_DEBUG, "hpo race: race %d/%d: instance %d, %d of %d "
                "alive, %lld%s experiments", p->iteration, p->n_iterations,
                p->instances, p->alive, p->n_configurations,
                (long long)p->used, budget);
}

static void print_params(hpo_trial *t)
{
    for (int i = 0; i < hpo_trial_n_params(t); i++) {
        const char *text = hpo_trial_param_text(t, i);
        printf("%s%s=%s", i ? " " : "", hpo_trial_param_name(t, i),
               text ? text : "?");
    }
}

static void print_elites(hpo_study *s, const hpo_race_elite *el, int n,
                         int with_test)
{
    printf("final elites of study %s (best first):\n", hpo_study_name(s));
    printf("%-5s %-6s %-6s %-14s %-10s %s%s\n", "rank", "config", "trial",
           "mean(train)", "instances", with_test ? "mean(test)     " : "",
           "params");
    for (int e = 0; e < n; e++) {
        hpo_trial *t = NULL;
        printf("%-5d %-6d %-6d %-14.6g %-10d ", e + 1, el[e].configuration,
               el[e].trial, el[e].mean, el[e].n_instances);
        if (with_test)
            printf("%-14.6g ", el[e].test_mean);
        if (hpo_study_trial(s, el[e].trial, &t) == HPO_OK)
            print_params(t);
        hpo_trial_free(t);
        putchar('\n');
    }
}

/* What hpo_study_race's return becomes. */
static int outcome(int rc, hpo_study *s, const tune_ctx *ctx)
{
    if (ctx->exec_failed) {
        cli_error("race", "%s", ctx->exec_message);
        return CLI_EXIT_USAGE;
    }
    if (ctx->start_failed) {
        cli_error("race", "%s", ctx->exec_message);
        return CLI_EXIT_FAILED;
    }
    if (interrupt_signal())
        return 128 + interrupt_signal();
    if (rc == HPO_OK)
        return CLI_EXIT_OK;
    cli_error("race", "%s", hpo_study_errmsg(s));
    return rc == HPO_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_FAILED;
}

static int race_run(race_opts *o, hpo_study *s, tune_ctx *ctx)
{
    hpo_race_elite *el = NULL;
    int n = 0;
    o->race.n_jobs = (int)o->run.jobs;
    o->race.eval = eval;
    o->race.eval_data = ctx;
    o->race.progress = on_progress;
    char budget[80] = "", time_budget[48] = "";
    if (o->race.budget > 0)
        snprintf(budget, sizeof budget, ", budget %lld experiments",
                 (long long)o->race.budget);
    if (o->race.time_budget_s > 0)
        snprintf(time_budget, sizeof time_budget, ", time budget %g s",
                 o->race.time_budget_s);
    log_say(LOG_INFO, "hpo race: study %s, %d instances%s%s", ctx->study_name,
            o->race.n_instances, budget, time_budget);
    interrupt_set_study(s);
    int rc = hpo_study_race(s, &o->race, &el, &n);
    interrupt_set_study(NULL);
    if (n > 0)
        print_elites(s, el, n, o->race.n_test_instances > 0);
    free(el);
    return outcome(rc, s, ctx);
}

/* Everything before the first experiment, then the race. */
static int race(race_opts *o)
{
    char path[PATH_MAX];
    int resolved = 0, rc;
    char **train = NULL, **test = NULL;
    int n_train = 0, n_test = 0;
    hpo_storage *storage = NULL;
    hpo_study *study = hpo_study_new();
    tune_ctx ctx = {0};
    pthread_mutex_init(&ctx.mu, NULL);
    runner_prepare();
    if (!study || slot_pool_init(&ctx.slots, (int)o->run.jobs)) {
        cli_error("race", "out of memory");
        rc = CLI_EXIT_FAILED;
        goto done;
    }
    if ((rc = check_budget(o)) ||
        (rc = read_instances("--instances", o->instances, &train, &n_train)) ||
        (o->test_instances &&
         (rc = read_instances("--test-instances", o->test_instances, &test,
                              &n_test))) ||
        (rc = check_placeholders(o)) ||
        (rc = setup_check_command(o->command, path, sizeof path, &resolved)) ||
        (rc = cli_open_storage("race", cli_storage_url(o->run.storage_url), 0,
                               &storage)))
        goto done;
    hpo_study_set_storage(study, storage);
    if ((rc = open_study(study, o)))
        goto done;
    o->race.instances = (const char *const *)train;
    o->race.n_instances = n_train;
    o->race.test_instances = (const char *const *)test;
    o->race.n_test_instances = n_test;
    ctx.study = study;
    ctx.study_name = hpo_study_name(study);
    ctx.n_objectives = 1;
    ctx.command = o->command;
    ctx.exec_path = resolved ? path : NULL;
    ctx.trial_timeout_s = o->trial_timeout_s;
    if (interrupt_install() != 0) {
        cli_error("race", "cannot install the signal handlers");
        rc = CLI_EXIT_FAILED;
        goto done;
    }
    rc = race_run(o, study, &ctx);
done:
    irace_switches_free(train, n_train);
    irace_switches_free(test, n_test);
    slot_pool_free(&ctx.slots);
    hpo_study_free(study);
    hpo_storage_close(storage);
    pthread_mutex_destroy(&ctx.mu);
    return rc;
}

int cli_race(int argc, char **argv)
{
    race_opts o = {.run = {.jobs = 1, .max_jobs = MAX_JOBS}};
    o.space = hpo_space_new();
    if (!o.space) {
        cli_error("race", "out of memory");
        return CLI_EXIT_FAILED;
    }
    int rc = parse_options(&o, argc, argv);
    if (rc < 0 && (rc = log_setup("race", &o.run)) == 0)
        rc = race(&o);
    log_close();
    irace_switches_free(o.switches, o.n_switches);
    if (o.full_command) {
        for (char **a = o.full_command; *a; a++)
            free(*a);
        free(o.full_command);
    }
    hpo_space_free(o.space);
    return rc;
}
