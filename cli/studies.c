/*
 * studies.c — `hpo studies`: every study of a storage with its
 * directions and number of trials, as a table, CSV or JSON.
 *
 * Only what one listing read of the storage gives (hpo_storage_studies):
 * counting COMPLETE trials or finding the best value would mean loading
 * every trial of every study.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "args.h"
#include "cli.h"
#include "show.h"
#include "studies.h"
#include "table.h"

enum { OPT_STORAGE = 1, OPT_FORMAT, OPT_HELP };

static const cli_option studies_options[] = {
    {"storage", 0, 1, OPT_STORAGE},
    {"format", 'f', 1, OPT_FORMAT},
    {"help", 'h', 0, OPT_HELP},
    {0},
};

static void studies_help(FILE *out)
{
    fprintf(out,
"usage: hpo studies [--storage URL] [--format table|csv|json]\n"
"\n"
"List every study in a storage, oldest first: its name, its directions\n"
"(one per objective) and its number of trials.\n"
"\n"
"      --storage URL   the storage (default $HPO_STORAGE, else %s);\n"
"                      a sqlite:/// file must exist\n"
"  -f, --format F      table (default), csv or json\n"
"\n"
"Exit status: 0 done, 1 a storage error, 2 bad usage or no such storage.\n",
            CLI_DEFAULT_STORAGE);
}

/* "minimize" or "minimize,maximize": the words --direction takes. */
static char *directions_text(const hpo_study_summary *s)
{
    size_t size = (size_t)s->n_objectives * 10 + 1;
    char *text = calloc(size, 1);
    for (int k = 0; text && k < s->n_objectives; k++) {
        strcat(text, k ? "," : "");
        strcat(text, s->directions[k] == HPO_MAXIMIZE ? "maximize"
                                                      : "minimize");
    }
    return text;
}

static int print_table(FILE *out, const hpo_study_summary *list, int n,
                       int format)
{
    table tb;
    if (table_init(&tb, n + 1, 3) != 0)
        return -1;
    table_set(&tb, 0, 0, "name");
    table_set(&tb, 0, 1, "directions");
    table_set(&tb, 0, 2, "trials");
    for (int i = 0; i < n; i++) {
        char count[24];
        snprintf(count, sizeof count, "%d", list[i].n_trials);
        table_set(&tb, i + 1, 0, list[i].name);
        table_take(&tb, i + 1, 1, directions_text(&list[i]));
        table_set(&tb, i + 1, 2, count);
    }
    int rc = table_complete(&tb);
    if (rc == 0 && format == FORMAT_CSV)
        table_print_csv(out, &tb);
    else if (rc == 0)
        table_print_aligned(out, &tb);
    table_free(&tb);
    return rc;
}

static cJSON *summary_json(const hpo_study_summary *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *dirs = cJSON_CreateArray();
    cJSON_AddStringToObject(o, "name", s->name);
    for (int k = 0; k < s->n_objectives; k++)
        cJSON_AddItemToArray(dirs, cJSON_CreateString(
            s->directions[k] == HPO_MAXIMIZE ? "maximize" : "minimize"));
    cJSON_AddItemToObject(o, "directions", dirs);
    cJSON_AddNumberToObject(o, "n_trials", s->n_trials);
    return o;
}

cJSON *studies_json(const hpo_study_summary *list, int n)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; a && i < n; i++)
        cJSON_AddItemToArray(a, summary_json(&list[i]));
    return a;
}

static int print_json(FILE *out, const hpo_study_summary *list, int n)
{
    return show_print_json(out, studies_json(list, n));
}

static int list_studies(const char *url, int format)
{
    hpo_storage *storage;
    int rc = cli_open_storage("studies", url, 1, &storage);
    if (rc != CLI_EXIT_OK) {
        hpo_storage_close(storage);
        return rc;
    }
    hpo_study_summary *list;
    int n;
    if (hpo_storage_studies(storage, &list, &n) != HPO_OK) {
        cli_error("studies", "%s", hpo_storage_errmsg(storage));
        hpo_storage_close(storage);
        return CLI_EXIT_FAILED;
    }
    int printed = format == FORMAT_JSON ? print_json(stdout, list, n)
                                        : print_table(stdout, list, n, format);
    if (printed != 0) {
        cli_error("studies", "out of memory");
        rc = CLI_EXIT_FAILED;
    }
    hpo_study_summaries_free(list, n);
    hpo_storage_close(storage);
    return rc;
}

int cli_studies(int argc, char **argv)
{
    cli_args a;
    const char *v, *url = NULL;
    int id, format = FORMAT_TABLE;
    cli_args_init(&a, "studies", argc, argv);
    while ((id = cli_next_option(&a, studies_options, &v)) > 0) {
        if (id == OPT_HELP) {
            studies_help(stdout);
            return CLI_EXIT_OK;
        } else if (id == OPT_STORAGE) {
            url = v;
        } else if (table_parse_format("studies", v, &format) != 0) {
            return CLI_EXIT_USAGE;
        }
    }
    if (id < 0)
        return CLI_EXIT_USAGE;
    if (a.i < argc) {
        cli_error("studies", "unexpected argument '%s'", argv[a.i]);
        return CLI_EXIT_USAGE;
    }
    return list_studies(cli_storage_url(url), format);
}
