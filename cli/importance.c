/*
 * importance.c — `hpo importance`: how much each parameter of a study
 * decided its objective (fANOVA or PED-ANOVA, hpo_study_importance), as a
 * table with bars or as JSON {"param": importance, ...}, most important
 * first.
 */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "show.h"

#define CMD "importance"
#define BAR_WIDTH 40

enum {
    OPT_STORAGE = 1, OPT_STUDY, OPT_METHOD, OPT_OBJECTIVE, OPT_SEED,
    OPT_FORMAT, OPT_COMPACT, OPT_TARGET_Q, OPT_REGION_Q, OPT_HELP
};

static const cli_option importance_options[] = {
    {"storage", 0, 1, OPT_STORAGE},
    {"study", 0, 1, OPT_STUDY},
    {"method", 'm', 1, OPT_METHOD},
    {"objective", 0, 1, OPT_OBJECTIVE},
    {"seed", 0, 1, OPT_SEED},
    {"format", 'f', 1, OPT_FORMAT},
    {"compact", 0, 0, OPT_COMPACT},
    {"target-quantile", 0, 1, OPT_TARGET_Q},
    {"region-quantile", 0, 1, OPT_REGION_Q},
    {"help", 'h', 0, OPT_HELP},
    {0},
};

static void importance_help(FILE *out)
{
    fprintf(out,
"usage: hpo importance --study NAME [--storage URL] [--method fanova|ped-anova]\n"
"                      [--objective K] [--seed S] [--format text|json]\n"
"\n"
"Print how much each parameter decided the objective, most important first;\n"
"the importances sum to 1.  Read from the study's COMPLETE trials; only\n"
"parameters every such trial has are assessed (conditional ones are not).\n"
"\n"
"      --storage URL       where the study is (default $HPO_STORAGE, else\n"
"                          %s)\n"
"      --study NAME        the study\n"
"  -m, --method M          fanova (default): a random forest's variance split\n"
"                          into each parameter's main effect, as Optuna's\n"
"                          FanovaImportanceEvaluator; fits at most %d trials,\n"
"                          a random subset of larger studies;\n"
"                          ped-anova: what sets the best trials apart, with no\n"
"                          model (fast on any number of trials)\n"
"      --objective K       the objective, 0 for the first: needed when the\n"
"                          study has several\n"
"      --seed S            fanova's forest (default 0)\n"
"      --target-quantile Q ped-anova: the best Q of the trials (default 0.1)\n"
"      --region-quantile Q ped-anova: compared with the best Q (default 1: all)\n"
"  -f, --format F          text (default: a table with bars) or json:\n"
"                          {\"param\": importance, ...} in descending order\n"
"      --compact           json: one line\n"
"\n"
"Exit status: 0 done, 1 fewer than 2 COMPLETE trials, fewer than 2 parameters\n"
"or a storage error, 2 bad usage or no such study.\n",
            CLI_DEFAULT_STORAGE, HPO_IMPORTANCE_MAX_TRIALS);
}

typedef struct imp_args {
    const char *url, *name;
    hpo_importance_options o;
    int has_objective, json, compact;
} imp_args;

static int take_quantile(const char *flag, const char *v, double *q)
{
    if (cli_text_to_double(v, q) && *q > 0 && *q <= 1)
        return 0;
    cli_error(CMD, "%s: '%s' is not a number in (0, 1]", flag, v);
    return CLI_EXIT_USAGE;
}

static int take_option(imp_args *a, int id, const char *v)
{
    int64_t k;
    switch (id) {
    case OPT_STORAGE: a->url = v; return 0;
    case OPT_STUDY: a->name = v; return 0;
    case OPT_COMPACT: a->compact = 1; return 0;
    case OPT_SEED:
        return cli_parse_u64(CMD, "--seed", v, &a->o.seed) ? CLI_EXIT_USAGE : 0;
    case OPT_OBJECTIVE:
        if (cli_parse_int(CMD, "--objective", v, 0, HPO_MAX_OBJECTIVES - 1, &k))
            return CLI_EXIT_USAGE;
        a->o.objective = (int)k;
        a->has_objective = 1;
        return 0;
    case OPT_TARGET_Q:
        return take_quantile("--target-quantile", v, &a->o.target_quantile);
    case OPT_REGION_Q:
        return take_quantile("--region-quantile", v, &a->o.region_quantile);
    case OPT_METHOD:
        if (strcmp(v, "fanova") == 0 || strcmp(v, "ped-anova") == 0) {
            a->o.method = strcmp(v, "fanova") == 0 ? HPO_FANOVA : HPO_PED_ANOVA;
            return 0;
        }
        cli_error(CMD, "--method: '%s' is not fanova or ped-anova", v);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(v, "json") == 0 || strcmp(v, "text") == 0) {
        a->json = strcmp(v, "json") == 0;
        return 0;
    }
    cli_error(CMD, "--format: '%s' is not text or json", v);
    return CLI_EXIT_USAGE;
}

/* -1: go on; else the exit code (help printed, or an error). */
static int parse(imp_args *a, int argc, char **argv)
{
    cli_args ca;
    const char *v;
    int id;
    memset(a, 0, sizeof *a);
    hpo_importance_options_default(&a->o);
    cli_args_init(&ca, CMD, argc, argv);
    while ((id = cli_next_option(&ca, importance_options, &v)) > 0) {
        if (id == OPT_HELP) {
            importance_help(stdout);
            return CLI_EXIT_OK;
        }
        int rc = take_option(a, id, v);
        if (rc)
            return rc;
    }
    if (id < 0)
        return CLI_EXIT_USAGE;
    if (ca.i < argc) {
        cli_error(CMD, "unexpected argument '%s'", argv[ca.i]);
        return CLI_EXIT_USAGE;
    }
    if (!a->name) {
        cli_error(CMD, "--study is required");
        return CLI_EXIT_USAGE;
    }
    return -1;
}

static void print_table(FILE *out, const hpo_importance *imp, int n)
{
    int width = (int)strlen("parameter");
    for (int i = 0; i < n; i++)
        width = (int)strlen(imp[i].name) > width ? (int)strlen(imp[i].name) : width;
    fprintf(out, "%-*s  importance\n", width, "parameter");
    for (int i = 0; i < n; i++) {
        int bar = (int)(imp[i].value * BAR_WIDTH + 0.5);
        fprintf(out, "%-*s  %.4f  ", width, imp[i].name, imp[i].value);
        for (int b = 0; b < bar; b++)
            fputc('#', out);
        fputc('\n', out);
    }
}

static int print_json(FILE *out, const hpo_importance *imp, int n, int compact)
{
    cJSON *doc = cJSON_CreateObject();
    for (int i = 0; doc && i < n; i++)
        if (!cJSON_AddItemToObject(doc, imp[i].name, show_number_json(imp[i].value)))
            break;
    return show_print_json_as(out, doc, compact);
}

/* The study is open: check what the library would refuse less clearly. */
static int run(const imp_args *a, hpo_study *study)
{
    int n_obj = hpo_study_n_objectives(study);
    if (n_obj > 1 && !a->has_objective) {
        cli_error(CMD, "study '%s' has %d objectives: choose one with "
                  "--objective K (0 to %d)", a->name, n_obj, n_obj - 1);
        return CLI_EXIT_USAGE;
    }
    hpo_importance *imp;
    int n;
    if (hpo_study_importance(study, &a->o, &imp, &n) != HPO_OK) {
        cli_error(CMD, "%s", hpo_study_errmsg(study));
        return CLI_EXIT_FAILED;
    }
    int rc = CLI_EXIT_OK;
    if (n < 2) {
        cli_error(CMD, "study '%s' has one parameter (%s) in every COMPLETE "
                  "trial: importance compares two or more", a->name,
                  imp[0].name);
        rc = CLI_EXIT_FAILED;
    } else if (a->json ? print_json(stdout, imp, n, a->compact) != 0
                       : (print_table(stdout, imp, n), 0)) {
        cli_error(CMD, "out of memory");
        rc = CLI_EXIT_FAILED;
    }
    hpo_importance_free(imp, n);
    return rc;
}

int cli_importance(int argc, char **argv)
{
    imp_args a;
    int rc = parse(&a, argc, argv);
    if (rc >= 0)
        return rc;
    hpo_storage *storage;
    hpo_study *study;
    rc = cli_open_study(CMD, cli_storage_url(a.url), a.name, &storage, &study);
    if (rc == CLI_EXIT_OK)
        rc = run(&a, study);
    hpo_study_free(study);
    hpo_storage_close(storage);
    return rc;
}
