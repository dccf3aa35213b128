/*
 * create_study.c — `hpo create-study --study NAME [--direction D ...]
 * [--skip-if-exists]`, as Optuna's `optuna create-study`: make an empty
 * study for hpo ask and hpo tell (or hpo tune) and print its name.  A
 * space and sampler given here are stored for hpo ask (ask_config.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "ask_config.h"
#include "cli.h"
#include "study_cmd.h"
#include "study_config.h"

#define CMD "create-study"

enum { OPT_DIRECTION = 1, OPT_SKIP, OPT_PARAM, OPT_SPACE, OPT_HELP };

static const cli_option create_options[] = {
    {"direction", 'd', 1, OPT_DIRECTION},
    {"directions", 0, 1, OPT_DIRECTION},
    {"skip-if-exists", 0, 0, OPT_SKIP},
    {"param", 'p', 1, OPT_PARAM},
    {"space", 0, 1, OPT_SPACE},
    {"sampler", 0, 1, CLI_OPT_SAMPLER},
    {"storage", 0, 1, CLI_OPT_STORAGE},
    {"study", 0, 1, CLI_OPT_STUDY},
    {"study-name", 0, 1, CLI_OPT_STUDY}, /* Optuna's spelling */
    {"help", 'h', 0, OPT_HELP},
    {0},
};

static void create_help(FILE *out)
{
    fprintf(out,
"usage: hpo create-study --study NAME [--storage URL] [--direction D ...]\n"
"                        [--skip-if-exists] [--param SPEC ...] [--sampler S]\n"
"\n"
"Create an empty study and print its name.\n"
"\n"
"      --storage URL       where (default $HPO_STORAGE, else %s)\n"
"      --study NAME        its name\n"
"  -d, --direction D       minimize (the default) or maximize; repeat for\n"
"                          several objectives\n"
"      --skip-if-exists    a study of that name is kept as it is (its\n"
"                          directions must be these), and this is no error\n"
"  -p, --param SPEC        store a search space for hpo ask, as hpo tune\n"
"      --space FILE        takes it (then hpo ask needs no --param)\n"
"      --sampler NAME[:k=v,...]  the sampler hpo ask uses (default auto)\n"
"\n"
"Exit status: 0 done, 1 a storage error, 2 bad usage or the study exists.\n",
            CLI_DEFAULT_STORAGE);
}

typedef struct create_opts {
    cli_run_opts run;
    hpo_space *space;
    hpo_direction directions[HPO_MAX_OBJECTIVES];
    int n_directions, skip_if_exists;
} create_opts;

static int take_direction(create_opts *o, const char *v)
{
    if (o->n_directions == HPO_MAX_OBJECTIVES) {
        cli_error(CMD, "--direction: at most %d objectives", HPO_MAX_OBJECTIVES);
        return CLI_EXIT_USAGE;
    }
    if (study_cmd_direction(v, &o->directions[o->n_directions]) != 0) {
        cli_error(CMD, "--direction: '%s' is not minimize or maximize", v);
        return CLI_EXIT_USAGE;
    }
    o->n_directions++;
    return 0;
}

static int take_option(void *opts, int id, const char *v)
{
    create_opts *o = opts;
    int rc;
    switch (id) {
    case OPT_DIRECTION:
        return take_direction(o, v);
    case OPT_SKIP:
        o->skip_if_exists = 1;
        return 0;
    case OPT_PARAM:
    case OPT_SPACE:
        rc = id == OPT_PARAM ? hpo_space_parse_param(o->space, v)
                             : hpo_space_load_file(o->space, v);
        if (rc == HPO_OK)
            return 0;
        cli_error(CMD, "%s: %s", id == OPT_PARAM ? "--param" : "--space",
                  hpo_space_errmsg(o->space));
        return CLI_EXIT_REFUSED(rc);
    }
    return cli_take_run_option(CMD, id, v, &o->run);
}

static const study_cmd create_command = {CMD, create_options, OPT_HELP,
                                        take_option, create_help};

static int parse_options(create_opts *o, int argc, char **argv)
{
    char why[256];
    int rc = study_cmd_parse(&create_command, argc, argv, o, &o->run.study_name);
    if (rc < 0 && study_name_check(o->run.study_name, why, sizeof why) != 0) {
        cli_error(CMD, "%s", why);
        return CLI_EXIT_USAGE;
    }
    return rc;
}

/* Directions and sampler on the handle, then create (or load). */
static int open_study(const create_opts *o, hpo_study *study)
{
    int rc = HPO_OK;
    for (int i = 0; rc == HPO_OK && i < o->n_directions; i++)
        rc = hpo_study_add_direction(study, o->directions[i]);
    if (rc == HPO_OK && o->run.sampler &&
        (rc = hpo_study_set_sampler(study, o->run.sampler)) != HPO_OK) {
        cli_error(CMD, "--sampler: %s", hpo_study_errmsg(study));
        return CLI_EXIT_REFUSED(rc);
    }
    int flags = HPO_OPEN_CREATE | (o->skip_if_exists ? HPO_OPEN_LOAD : 0);
    if (rc == HPO_OK)
        rc = hpo_study_open(study, o->run.study_name, flags);
    if (rc == HPO_OK)
        return 0;
    if (rc == HPO_EEXIST)
        cli_error(CMD, "study '%s' already exists (--skip-if-exists keeps "
                  "it and is no error)", o->run.study_name);
    else
        cli_error(CMD, "--study '%s': %s", o->run.study_name,
                  hpo_study_errmsg(study));
    return rc == HPO_EEXIST || rc == HPO_EINCOMPAT || rc == HPO_EINVAL
               ? CLI_EXIT_USAGE : CLI_EXIT_FAILED;
}

static int create(const create_opts *o)
{
    hpo_storage *storage = NULL;
    hpo_study *study = hpo_study_new();
    int rc = study ? cli_open_storage(CMD, cli_storage_url(o->run.storage_url),
                                      0, &storage)
                   : CLI_EXIT_FAILED;
    if (!study)
        cli_error(CMD, "out of memory");
    if (rc == CLI_EXIT_OK) {
        hpo_study_set_storage(study, storage);
        rc = open_study(o, study);
    }
    if (rc == CLI_EXIT_OK && hpo_space_size(o->space) > 0) {
        char *json = hpo_space_to_json(o->space);
        rc = json ? ask_config_settle(CMD, study, json, o->run.sampler)
                  : CLI_EXIT_FAILED;
        if (!json)
            cli_error(CMD, "out of memory");
        free(json);
    }
    if (rc == CLI_EXIT_OK)
        printf("%s\n", hpo_study_name(study));
    hpo_study_free(study);
    hpo_storage_close(storage);
    return rc;
}

int cli_create_study(int argc, char **argv)
{
    create_opts o = {.space = hpo_space_new()};
    if (!o.space) {
        cli_error(CMD, "out of memory");
        return CLI_EXIT_FAILED;
    }
    int rc = parse_options(&o, argc, argv);
    if (rc < 0)
        rc = create(&o);
    hpo_space_free(o.space);
    return rc;
}
