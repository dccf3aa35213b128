/*
 * ask.c — `hpo ask --study NAME [--param SPEC ...] [--sampler S]`: start
 * a trial and print its number and parameters as one line of JSON,
 * {"number": N, "params": {...}}, as Optuna's `optuna ask` does.  The
 * trial stays RUNNING until `hpo tell` finishes it, so a shell loop or a
 * job array drives a study without hpo tune (ask_config.h: where the
 * space and the sampler come from).
 */
#include <stdio.h>
#include <stdlib.h>

#include "args.h"
#include "ask_config.h"
#include "cli.h"
#include "show.h"
#include "study_cmd.h"

#define CMD "ask"

enum { OPT_PARAM = 1, OPT_SPACE, OPT_HELP };

static const cli_option ask_options[] = {
    {"param", 'p', 1, OPT_PARAM},
    {"space", 0, 1, OPT_SPACE},
    {"sampler", 0, 1, CLI_OPT_SAMPLER},
    {"seed", 0, 1, CLI_OPT_SEED},
    {"storage", 0, 1, CLI_OPT_STORAGE},
    {"study", 0, 1, CLI_OPT_STUDY},
    {"help", 'h', 0, OPT_HELP},
    {0},
};

static void ask_help(FILE *out)
{
    fprintf(out,
"usage: hpo ask --study NAME [--storage URL] [--param SPEC ...] [--sampler S]\n"
"\n"
"Start a trial of the study and print it as one line of JSON:\n"
"  {\"number\": 3, \"params\": {\"lr\": 0.0012, \"depth\": 7}}\n"
"The trial is RUNNING until 'hpo tell --trial 3 --value V' finishes it, so\n"
"a shell loop or a job array can drive a study (docs/cli.md, Ask and tell).\n"
"An enqueued trial (hpo enqueue) is handed out first.\n"
"\n"
"      --storage URL       the study's storage (default $HPO_STORAGE, else\n"
"                          %s)\n"
"      --study NAME        the study (hpo create-study, or hpo tune, made it)\n"
"  -p, --param SPEC        one parameter, as hpo tune takes it:\n"
"                          lr=float:1e-5:1e-1:log, depth=int:1:12,\n"
"                          kernel=cat:rbf,linear\n"
"      --space FILE        parameters from a JSON file\n"
"      --sampler NAME[:k=v,...]  the sampler (default: the one stored with\n"
"                          the study, else auto; see hpo tune --help)\n"
"      --seed N            the study's seed, if it has none yet\n"
"\n"
"The first ask that gives a space stores it with the study; later asks may\n"
"leave --param out, and one that gives another space is refused.  A study\n"
"hpo tune made uses tune's space and sampler.\n"
"\n"
"Exit status: 0 done, 1 a storage error or nothing left to ask (an\n"
"exhausted grid), 2 bad usage, no such study or no search space.\n",
            CLI_DEFAULT_STORAGE);
}

typedef struct ask_opts {
    cli_run_opts run;
    hpo_space *space;
} ask_opts;

static int take_option(void *opts, int id, const char *v)
{
    ask_opts *o = opts;
    int rc = HPO_OK;
    if (id == OPT_PARAM)
        rc = hpo_space_parse_param(o->space, v);
    else if (id == OPT_SPACE)
        rc = hpo_space_load_file(o->space, v);
    else
        return cli_take_run_option(CMD, id, v, &o->run);
    if (rc == HPO_OK)
        return 0;
    cli_error(CMD, "%s: %s", id == OPT_PARAM ? "--param" : "--space",
              hpo_space_errmsg(o->space));
    return CLI_EXIT_REFUSED(rc);
}

/* {"number": N, "params": {...}} on one line. */
static int print_trial(const hpo_trial *t)
{
    cJSON *o = cJSON_CreateObject(), *params = cJSON_CreateObject();
    for (int i = 0; params && i < hpo_trial_n_params(t); i++)
        cJSON_AddItemToObject(params, hpo_trial_param_name(t, i),
                              show_param_json(t, i));
    char *text = NULL;
    if (o && params && cJSON_AddNumberToObject(o, "number", hpo_trial_number(t)) &&
        cJSON_AddItemToObject(o, "params", params)) {
        params = NULL;
        text = cJSON_PrintUnformatted(o);
    }
    cJSON_Delete(params);
    cJSON_Delete(o);
    int ok = text && printf("%s\n", text) > 0 && fflush(stdout) == 0;
    free(text);
    return ok ? 0 : -1;
}

/* Ask, sample every parameter, print.  A trial that cannot be sampled or
 * printed is failed, not left RUNNING for nobody. */
static int ask_one(hpo_study *study)
{
    hpo_trial *t = NULL;
    int rc = hpo_study_ask(study, &t);
    if (rc == HPO_DONE) {
        cli_error(CMD, "the sampler has no trial left to propose (the grid "
                  "is exhausted)");
        return CLI_EXIT_FAILED;
    }
    if (rc != HPO_OK) {
        cli_error(CMD, "%s", hpo_study_errmsg(study));
        return CLI_EXIT_FAILED;
    }
    int exit = CLI_EXIT_OK;
    if ((rc = hpo_trial_suggest_all(t)) != HPO_OK) {
        cli_error(CMD, "trial %d: %s", hpo_trial_number(t), hpo_trial_errmsg(t));
        exit = CLI_EXIT_FAILED;
    } else if (print_trial(t) != 0) {
        cli_error(CMD, "cannot write the trial to standard output");
        exit = CLI_EXIT_FAILED;
    }
    if (exit != CLI_EXIT_OK)
        hpo_study_tell(study, t, HPO_FAIL, NULL, 0);
    hpo_trial_free(t);
    return exit;
}

static const study_cmd ask_command = {CMD, ask_options, OPT_HELP, take_option,
                                     ask_help};

int cli_ask(int argc, char **argv)
{
    ask_opts o = {.space = hpo_space_new()};
    if (!o.space) {
        cli_error(CMD, "out of memory");
        return CLI_EXIT_FAILED;
    }
    int rc = study_cmd_parse(&ask_command, argc, argv, &o,
                             &o.run.study_name);
    if (rc < 0) {
        ask_flags f = {.storage_url = cli_storage_url(o.run.storage_url),
                       .study_name = o.run.study_name, .space = o.space,
                       .sampler = o.run.sampler, .have_seed = o.run.have_seed,
                       .seed = o.run.seed};
        hpo_storage *storage = NULL;
        hpo_study *study = NULL;
        rc = ask_open_study(CMD, &f, 1, &storage, &study);
        if (rc == CLI_EXIT_OK)
            rc = ask_one(study);
        hpo_study_free(study);
        hpo_storage_close(storage);
    }
    hpo_space_free(o.space);
    return rc;
}
