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

enum { OPT_STORAGE = 1, OPT_STUDY, OPT_FORMAT, OPT_HELP };
enum { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON };

static const cli_option trials_options[] = {
    {"storage", 0, 1, OPT_STORAGE},
    {"study", 0, 1, OPT_STUDY},
    {"format", 'f', 1, OPT_FORMAT},
    {"help", 'h', 0, OPT_HELP},
    {0},
};

static void trials_help(FILE *out)
{
    fprintf(out,
"usage: hpo trials --study NAME [--storage URL] [--format table|csv|json]\n"
"\n"
"List every trial of a study: number, state, value(s), duration in\n"
"seconds, parameters and, for failed trials, why they failed.\n"
"\n"
"      --storage URL   where the study is (default %s)\n"
"      --study NAME    the study\n"
"  -f, --format F      table (default), csv or json (json adds intermediate\n"
"                      values, the stderr tail and times)\n"
"\n"
"Exit status: 0 done, 1 a storage error, 2 bad usage or no such study.\n",
            CLI_DEFAULT_STORAGE);
}

/* ------------------------------------------------------------------------- */
/* A table of strings                                                         */
/* ------------------------------------------------------------------------- */

typedef struct table {
    int rows, cols;
    char **cell; /* rows x cols, owned */
} table;

static char **cell(table *t, int r, int c)
{
    return &t->cell[r * t->cols + c];
}

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

static char *number_text(double v)
{
    char buf[32];
    show_number(buf, sizeof buf, v);
    return strdup(buf);
}

static char *param_text(const hpo_trial *t, const char *name)
{
    for (int p = 0; p < hpo_trial_n_params(t); p++)
        if (strcmp(hpo_trial_param_name(t, p), name) == 0)
            return strdup(hpo_trial_param_text(t, p));
    return strdup("");
}

/* Row 0 is the header. */
static int build_table(table *tb, hpo_trial **trials, int n, int n_obj)
{
    const char **params;
    int n_params = collect_params(trials, n, &params);
    tb->rows = n + 1;
    /* number, state, values, duration, parameters, reason */
    tb->cols = 4 + n_obj + n_params;
    tb->cell = calloc((size_t)(tb->rows * tb->cols), sizeof(char *));
    if (!tb->cell) {
        free(params);
        return -1;
    }
    int c = 0;
    *cell(tb, 0, c++) = strdup("number");
    *cell(tb, 0, c++) = strdup("state");
    for (int k = 0; k < n_obj; k++) {
        char name[24];
        snprintf(name, sizeof name, n_obj == 1 ? "value" : "value%d", k);
        *cell(tb, 0, c++) = strdup(name);
    }
    *cell(tb, 0, c++) = strdup("duration_s");
    for (int p = 0; p < n_params; p++)
        *cell(tb, 0, c++) = strdup(params[p]);
    *cell(tb, 0, c++) = strdup("fail_reason");
    for (int i = 0; i < n; i++) {
        const hpo_trial *t = trials[i];
        char num[24];
        c = 0;
        snprintf(num, sizeof num, "%d", hpo_trial_number(t));
        *cell(tb, i + 1, c++) = strdup(num);
        *cell(tb, i + 1, c++) = strdup(hpo_state_name(hpo_trial_state_of(t)));
        for (int k = 0; k < n_obj; k++)
            *cell(tb, i + 1, c++) = number_text(
                k < hpo_trial_n_values(t) ? hpo_trial_value(t, k) : NAN);
        *cell(tb, i + 1, c++) = number_text(show_duration(t));
        for (int p = 0; p < n_params; p++)
            *cell(tb, i + 1, c++) = param_text(t, params[p]);
        char *reason = json_unquote(hpo_trial_user_attr(t, "fail_reason"));
        *cell(tb, i + 1, c++) = reason ? reason : strdup("");
    }
    free(params);
    for (int k = 0; k < tb->rows * tb->cols; k++)
        if (!tb->cell[k])
            return -1;
    return 0;
}

static void free_table(table *tb)
{
    if (tb->cell)
        for (int k = 0; k < tb->rows * tb->cols; k++)
            free(tb->cell[k]);
    free(tb->cell);
}

/* ------------------------------------------------------------------------- */
/* Writers                                                                    */
/* ------------------------------------------------------------------------- */

static void print_aligned(FILE *out, table *tb)
{
    int *width = calloc((size_t)tb->cols, sizeof(int));
    if (!width)
        return;
    for (int r = 0; r < tb->rows; r++)
        for (int c = 0; c < tb->cols; c++) {
            int len = (int)strlen(*cell(tb, r, c));
            if (len > width[c])
                width[c] = len;
        }
    for (int r = 0; r < tb->rows; r++) {
        int pad = 0; /* written before the next cell: no trailing blanks */
        for (int c = 0; c < tb->cols; c++) {
            const char *s = *cell(tb, r, c);
            if (*s) {
                fprintf(out, "%*s%s", pad, "", s);
                pad = 0;
            }
            pad += width[c] - (int)strlen(s) + 2;
        }
        fputc('\n', out);
    }
    free(width);
}

static void print_csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

static void print_csv(FILE *out, table *tb)
{
    for (int r = 0; r < tb->rows; r++) {
        for (int c = 0; c < tb->cols; c++) {
            if (c)
                fputc(',', out);
            print_csv_field(out, *cell(tb, r, c));
        }
        fputc('\n', out);
    }
}

static int print_trials(FILE *out, hpo_study *study, int format)
{
    hpo_trial **trials;
    int n;
    if (hpo_study_trials(study, &trials, &n) != HPO_OK) {
        cli_error("trials", "%s", hpo_study_errmsg(study));
        return CLI_EXIT_FAILED;
    }
    int rc = CLI_EXIT_OK;
    if (format == FORMAT_JSON) {
        cJSON *a = cJSON_CreateArray();
        for (int i = 0; i < n; i++)
            cJSON_AddItemToArray(
                a, show_trial_json(trials[i], hpo_study_n_objectives(study), 1));
        if (show_print_json(out, a) != 0)
            rc = CLI_EXIT_FAILED;
    } else {
        table tb = {0};
        if (build_table(&tb, trials, n, hpo_study_n_objectives(study)) != 0)
            rc = CLI_EXIT_FAILED;
        else if (format == FORMAT_CSV)
            print_csv(out, &tb);
        else
            print_aligned(out, &tb);
        free_table(&tb);
    }
    if (rc != CLI_EXIT_OK)
        cli_error("trials", "out of memory");
    hpo_trials_free(trials, n);
    return rc;
}

static int parse_format(const char *v, int *format)
{
    if (strcmp(v, "table") == 0)
        *format = FORMAT_TABLE;
    else if (strcmp(v, "csv") == 0)
        *format = FORMAT_CSV;
    else if (strcmp(v, "json") == 0)
        *format = FORMAT_JSON;
    else {
        cli_error("trials", "--format: '%s' is not table, csv or json", v);
        return -1;
    }
    return 0;
}

int cli_trials(int argc, char **argv)
{
    cli_args a;
    const char *v, *url = CLI_DEFAULT_STORAGE, *name = NULL;
    int id, format = FORMAT_TABLE;
    cli_args_init(&a, "trials", argc, argv);
    while ((id = cli_next_option(&a, trials_options, &v)) > 0) {
        if (id == OPT_HELP) {
            trials_help(stdout);
            return CLI_EXIT_OK;
        } else if (id == OPT_STORAGE) {
            url = v;
        } else if (id == OPT_STUDY) {
            name = v;
        } else if (parse_format(v, &format) != 0) {
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
    int rc = cli_open_study("trials", url, name, &storage, &study);
    if (rc == CLI_EXIT_OK)
        rc = print_trials(stdout, study, format);
    hpo_study_free(study);
    hpo_storage_close(storage);
    return rc;
}
