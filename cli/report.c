/*
 * report.c — `hpo report`: a study as one self-contained HTML page with
 * plots (report_html.h), written to a file or to standard output.
 *
 * A file is written beside its final name and renamed into place, so a
 * failure (a full disk, Ctrl-C) never leaves half a report where a whole
 * one was expected.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "cli.h"
#include "report_html.h"
#include "report_importance.h"

#define CMD "report"

enum { OPT_STORAGE = 1, OPT_STUDY, OPT_OUTPUT, OPT_FORMAT, OPT_MAX_TRIALS,
       OPT_MAX_CURVES, OPT_MAX_STEPS, OPT_HELP };

static const cli_option report_options[] = {
    {"storage", 0, 1, OPT_STORAGE},
    {"study", 0, 1, OPT_STUDY},
    {"output", 'o', 1, OPT_OUTPUT},
    {"format", 'f', 1, OPT_FORMAT},
    {"max-trials", 0, 1, OPT_MAX_TRIALS},
    {"max-curves", 0, 1, OPT_MAX_CURVES},
    {"max-steps", 0, 1, OPT_MAX_STEPS},
    {"help", 'h', 0, OPT_HELP},
    {0},
};

static void report_help(FILE *out)
{
    fprintf(out,
"usage: hpo report --study NAME [--storage URL] -o FILE [--format html|json]\n"
"                  [--max-trials N] [--max-curves N] [--max-steps N]\n"
"\n"
"Write a study as one self-contained HTML page that works offline:\n"
"optimization history, intermediate values, parallel coordinates, slices,\n"
"contour, parameter importance, Pareto front (several objectives), EDF,\n"
"rank, timeline and a sortable, filterable table of the trials.  The\n"
"plots are SVG drawn by the page's own script; nothing is fetched.\n"
"\n"
"      --storage URL     where the study is (default $HPO_STORAGE, else\n"
"                        %s)\n"
"      --study NAME      the study\n"
"  -o, --output FILE     the page to write; - for standard output\n"
"  -f, --format F        html (default) or json: the page's data alone, the\n"
"                        document described in docs/cli.md\n"
"      --max-trials N    keep at most N trials in the page: every best so\n"
"                        far, then an even sample (default: all)\n"
"      --max-curves N    intermediate values of at most N trials\n"
"                        (default %d; 0: all)\n"
"      --max-steps N     at most N intermediate values per trial\n"
"                        (default %d; 0: all)\n"
"\n"
"Exit status: 0 written, 1 a storage or write error, 2 bad usage or no\n"
"such study.\n", CLI_DEFAULT_STORAGE, REPORT_MAX_CURVES, REPORT_MAX_STEPS);
}

typedef struct report_args {
    const char *url, *name, *output;
    int json;
    report_data_opts opts;
} report_args;

static int take(void *data, int id, const char *v)
{
    report_args *r = data;
    int64_t n;
    const char *flag = id == OPT_MAX_TRIALS ? "--max-trials"
                     : id == OPT_MAX_CURVES ? "--max-curves" : "--max-steps";
    switch (id) {
    case OPT_STORAGE: r->url = v; return 0;
    case OPT_STUDY: r->name = v; return 0;
    case OPT_OUTPUT: r->output = v; return 0;
    case OPT_FORMAT:
        if (strcmp(v, "html") != 0 && strcmp(v, "json") != 0) {
            cli_error(CMD, "--format: '%s' is not html or json", v);
            return CLI_EXIT_USAGE;
        }
        r->json = strcmp(v, "json") == 0;
        return 0;
    default:
        if (cli_parse_int(CMD, flag, v, 0, 100000000, &n) != 0)
            return CLI_EXIT_USAGE;
        if (id == OPT_MAX_TRIALS)
            r->opts.max_trials = (int)n;
        else if (id == OPT_MAX_CURVES)
            r->opts.max_curves = (int)n;
        else
            r->opts.max_steps = (int)n;
        return 0;
    }
}

/* The page into out; CLI_EXIT_OK or CLI_EXIT_FAILED (printed). */
static int write_page(FILE *out, hpo_study *study, const report_args *r)
{
    hpo_trial **trials;
    int n;
    if (hpo_study_trials(study, &trials, &n) != HPO_OK) {
        cli_error(CMD, "%s", hpo_study_errmsg(study));
        return CLI_EXIT_FAILED;
    }
    report_data_opts o = r->opts;
    report_importance_held importance;
    if (report_importance_compute(study, &importance) == 0)
        o.importance = &importance.shown;
    int rc = r->json ? report_data_write(out, study, trials, n, &o)
                     : report_html_write(out, study, trials, n, &o);
    report_importance_release(&importance);
    hpo_trials_free(trials, n);
    if (rc != 0) {
        cli_error(CMD, "out of memory");
        return CLI_EXIT_FAILED;
    }
    return CLI_EXIT_OK;
}

/* A temporary file beside path, with the permissions a new file gets. */
static FILE *open_temp(const char *path, char **tmp)
{
    if (asprintf(tmp, "%s.XXXXXX", path) < 0) {
        *tmp = NULL;
        return NULL;
    }
    int fd = mkstemp(*tmp);
    if (fd < 0)
        return NULL;
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) != 0) {
        close(fd);
        return NULL;
    }
    return fdopen(fd, "w");
}

static int write_file(hpo_study *study, const report_args *r)
{
    char *tmp;
    FILE *f = open_temp(r->output, &tmp);
    if (!f) {
        cli_error(CMD, "--output: cannot write '%s': %s", r->output,
                  tmp ? strerror(errno) : "out of memory");
        if (tmp && access(tmp, F_OK) == 0)
            unlink(tmp);
        free(tmp);
        return tmp ? CLI_EXIT_USAGE : CLI_EXIT_FAILED;
    }
    int rc = write_page(f, study, r);
    int failed = ferror(f);
    int err = errno;
    if (fclose(f) != 0 && !failed) {
        failed = 1;
        err = errno;
    }
    if (rc == CLI_EXIT_OK && failed)
        cli_error(CMD, "--output: writing '%s' failed: %s", r->output,
                  strerror(err));
    if (rc == CLI_EXIT_OK && !failed && rename(tmp, r->output) != 0) {
        cli_error(CMD, "--output: cannot write '%s': %s", r->output,
                  strerror(errno));
        failed = 1;
    }
    if (rc != CLI_EXIT_OK || failed)
        unlink(tmp);
    free(tmp);
    return rc != CLI_EXIT_OK ? rc : failed ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}

static int write_stdout(hpo_study *study, const report_args *r)
{
    int rc = write_page(stdout, study, r);
    if (rc == CLI_EXIT_OK && (fflush(stdout) != 0 || ferror(stdout))) {
        cli_error(CMD, "writing to standard output failed: %s",
                  strerror(errno));
        rc = CLI_EXIT_FAILED;
    }
    return rc;
}

int cli_report(int argc, char **argv)
{
    cli_args a;
    report_args r = {.opts = {.max_trials = REPORT_MAX_TRIALS,
                              .max_curves = REPORT_MAX_CURVES,
                              .max_steps = REPORT_MAX_STEPS}};
    cli_args_init(&a, CMD, argc, argv);
    int rc = cli_take_options(&a, report_options, OPT_HELP, take, &r);
    if (rc == CLI_HELP_ASKED) {
        report_help(stdout);
        return CLI_EXIT_OK;
    }
    if (rc != -1)
        return rc;
    if (cli_no_operands(&a, "") != 0)
        return CLI_EXIT_USAGE;
    if (!r.name) {
        cli_error(CMD, "--study is required");
        return CLI_EXIT_USAGE;
    }
    if (!r.output) {
        cli_error(CMD, "--output is required (a file, or - for standard "
                       "output)");
        return CLI_EXIT_USAGE;
    }
    /* Each trial's times go through mktime(), which without TZ looks at
     * /etc/localtime again on every call: two stat()s a trial, a second
     * of a 100,000-trial report.  Naming the same zone reads it once. */
    if (!getenv("TZ"))
        setenv("TZ", ":/etc/localtime", 0);
    hpo_storage *storage;
    hpo_study *study;
    rc = cli_open_study(CMD, cli_storage_url(r.url), r.name, &storage, &study);
    if (rc == CLI_EXIT_OK)
        rc = strcmp(r.output, "-") == 0 ? write_stdout(study, &r)
                                        : write_file(study, &r);
    hpo_study_free(study);
    hpo_storage_close(storage);
    return rc;
}
