/*
 * trials.c — `hpo trials`: every trial of a study as a table, CSV or
 * JSON.  Columns: number, state, value(s), duration, one per parameter
 * (in the order they first appear; empty where a trial lacks it), and
 * the failure reason.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "jsontext.h"
#include "show.h"
#include "table.h"
#include "trials_csv.h"

enum { OPT_STORAGE = 1, OPT_STUDY, OPT_FORMAT, OPT_INTERMEDIATE, OPT_COMPACT,
       OPT_HELP };

static const cli_option trials_options[] = {
    {"storage", 0, 1, OPT_STORAGE},
    {"study", 0, 1, OPT_STUDY},
    {"format", 'f', 1, OPT_FORMAT},
    {"intermediate", 0, 0, OPT_INTERMEDIATE},
    {"compact", 0, 0, OPT_COMPACT},
    {"help", 'h', 0, OPT_HELP},
    {0},
};

static void trials_help(FILE *out)
{
    fprintf(out,
"usage: hpo trials --study NAME [--storage URL] [--format table|csv|json]\n"
"                  [--intermediate] [--compact]\n"
"\n"
"List every trial of a study: number, state, value(s), duration in\n"
"seconds, parameters and, for failed trials, why they failed.\n"
"\n"
"      --storage URL   where the study is (default $HPO_STORAGE, else\n"
"                      %s)\n"
"      --study NAME    the study\n"
"  -f, --format F      table (default), csv or json (json adds intermediate\n"
"                      values, every user and system attribute and times)\n"
"                      csv adds datetime_start, datetime_complete and a\n"
"                      column user_attrs_NAME per user attribute; csv and\n"
"                      json write numbers with every digit they need\n"
"      --intermediate  csv: a column intermediate_STEP per reported step\n"
"      --compact       json: one line, no indentation\n"
"\n"
"Exit status: 0 done, 1 a storage error, 2 bad usage or no such study.\n",
            CLI_DEFAULT_STORAGE);
}

/* ------------------------------------------------------------------------- */
/* The table                                                                  */
/* ------------------------------------------------------------------------- */

/* Parameter names in the order they first appear. */
static int collect_params(hpo_trial **trials, int n, const char ***names)
{
    int count = 0;
    const char **v = NULL;
    for (int i = 0; i < n; i++) {
        for (int p = 0; p < hpo_trial_n_params(trials[i]); p++) {
            const char *name = hpo_trial_param_name(trials[i], p);
            int seen = 0;
            for (int k = 0; k < count && !seen; k++)
                seen = strcmp(v[k], name) == 0;
            if (seen)
                continue;
            const char **v2 = realloc(v, sizeof *v * (size_t)(count + 1));
            if (!v2)
                break;
            v = v2;
            v[count++] = name;
        }
    }
    *names = v;
    return count;
}

/* A table shows 6 digits; CSV, an export, every digit needed. */
static void set_number(table *tb, int row, int col, double v, int csv)
{
    char buf[40];
    if (csv)
        trials_csv_number(buf, sizeof buf, v);
    else
        show_number(buf, sizeof buf, v);
    table_set(tb, row, col, buf);
}

static const char *param_text(const hpo_trial *t, const char *name)
{
    for (int p = 0; p < hpo_trial_n_params(t); p++)
        if (strcmp(hpo_trial_param_name(t, p), name) == 0)
            return hpo_trial_param_text(t, p) ? hpo_trial_param_text(t, p)
                                              : "(out of memory)";
    return "";
}

static void fill_header(table *tb, int n_obj, const char **params,
                        int n_params)
{
    int c = 0;
    table_set(tb, 0, c++, "number");
    table_set(tb, 0, c++, "state");
    for (int k = 0; k < n_obj; k++) {
        char name[24];
        snprintf(name, sizeof name, n_obj == 1 ? "value" : "value%d", k);
        table_set(tb, 0, c++, name);
    }
    table_set(tb, 0, c++, "duration_s");
    for (int p = 0; p < n_params; p++)
        table_set(tb, 0, c++, params[p]);
    table_set(tb, 0, c++, "fail_reason");
}

static void fill_row(table *tb, int row, const hpo_trial *t, int n_obj,
                     const char **params, int n_params, int csv)
{
    char num[24];
    int c = 0;
    snprintf(num, sizeof num, "%d", hpo_trial_number(t));
    table_set(tb, row, c++, num);
    table_set(tb, row, c++, hpo_state_name(hpo_trial_state_of(t)));
    for (int k = 0; k < n_obj; k++)
        set_number(tb, row, c++,
                   k < hpo_trial_n_values(t) ? hpo_trial_value(t, k) : NAN, csv);
    set_number(tb, row, c++, show_duration(t), csv);
    for (int p = 0; p < n_params; p++)
        table_set(tb, row, c++, param_text(t, params[p]));
    /* The child's reason is a user attribute; the library keeps its own
     * (a worker that stopped beating, a NaN value) as a system one. */
    const char *why = hpo_trial_user_attr(t, "fail_reason");
    char *reason = json_unquote(why ? why : hpo_trial_system_attr(t, "fail_reason"));
    if (reason)
        table_take(tb, row, c++, reason);
    else
        table_set(tb, row, c++, "");
}

/* Row 0 is the header; columns: number, state, values, duration,
 * parameters, reason, and for CSV (x not NULL) the export's
 * (trials_csv.h). */
static int build_table(table *tb, hpo_trial **trials, int n, int n_obj,
                       const trials_csv *x)
{
    const char **params;
    int n_params = collect_params(trials, n, &params);
    int base = 4 + n_obj + n_params;
    if (table_init(tb, n + 1, base + (x ? trials_csv_cols(x) : 0)) != 0) {
        free(params);
        return -1;
    }
    fill_header(tb, n_obj, params, n_params);
    if (x)
        trials_csv_header(tb, base, x);
    for (int i = 0; i < n; i++) {
        fill_row(tb, i + 1, trials[i], n_obj, params, n_params, x != NULL);
        if (x)
            trials_csv_row(tb, i + 1, base, x, trials[i]);
    }
    free(params);
    return table_complete(tb);
}

typedef struct trials_opts {
    int format, intermediate, compact;
} trials_opts;

static int print_json(FILE *out, hpo_study *study, hpo_trial **trials, int n,
                      int compact)
{
    cJSON *a = cJSON_CreateArray();
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(
            a, show_trial_json(trials[i], hpo_study_n_objectives(study), 1));
    return show_print_json_as(out, a, compact);
}

static int print_table(FILE *out, hpo_study *study, hpo_trial **trials, int n,
                       const trials_opts *o)
{
    table tb = {0};
    trials_csv x;
    int csv = o->format == FORMAT_CSV;
    int rc = csv ? trials_csv_init(&x, trials, n, o->intermediate) : 0;
    if (rc == 0)
        rc = build_table(&tb, trials, n, hpo_study_n_objectives(study),
                         csv ? &x : NULL);
    if (rc == 0 && csv)
        table_print_csv(out, &tb);
    else if (rc == 0)
        table_print_aligned(out, &tb);
    table_free(&tb);
    if (csv)
        trials_csv_free(&x);
    return rc;
}

static int print_trials(FILE *out, hpo_study *study, const trials_opts *o)
{
    hpo_trial **trials;
    int n;
    if (hpo_study_trials(study, &trials, &n) != HPO_OK) {
        cli_error("trials", "%s", hpo_study_errmsg(study));
        return CLI_EXIT_FAILED;
    }
    int rc = o->format == FORMAT_JSON ? print_json(out, study, trials, n, o->compact)
                                      : print_table(out, study, trials, n, o);
    if (rc != 0)
        cli_error("trials", "out of memory");
    hpo_trials_free(trials, n);
    return rc ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}

int cli_trials(int argc, char **argv)
{
    cli_args a;
    const char *v, *url = NULL, *name = NULL;
    int id;
    trials_opts o = {.format = FORMAT_TABLE};
    cli_args_init(&a, "trials", argc, argv);
    while ((id = cli_next_option(&a, trials_options, &v)) > 0) {
        if (id == OPT_HELP) {
            trials_help(stdout);
            return CLI_EXIT_OK;
        } else if (id == OPT_STORAGE) {
            url = v;
        } else if (id == OPT_STUDY) {
            name = v;
        } else if (id == OPT_INTERMEDIATE) {
            o.intermediate = 1;
        } else if (id == OPT_COMPACT) {
            o.compact = 1;
        } else if (table_parse_format("trials", v, &o.format) != 0) {
            return CLI_EXIT_USAGE;
        }
    }
    if (id < 0)
        return CLI_EXIT_USAGE;
    if (a.i < argc) {
        cli_error("trials", "unexpected argument '%s'", argv[a.i]);
        return CLI_EXIT_USAGE;
    }
    if (!name) {
        cli_error("trials", "--study is required");
        return CLI_EXIT_USAGE;
    }
    hpo_storage *storage;
    hpo_study *study;
    url = cli_storage_url(url);
    int rc = cli_open_study("trials", url, name, &storage, &study);
    if (rc == CLI_EXIT_OK)
        rc = print_trials(stdout, study, &o);
    hpo_study_free(study);
    hpo_storage_close(storage);
    return rc;
}
