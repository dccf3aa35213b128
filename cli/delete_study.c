/*
 * delete_study.c — `hpo delete-study --study NAME [--yes]`: remove a study
 * and all its trials from a storage.
 *
 * Nothing can bring a deleted study back, so without --yes hpo asks on the
 * terminal, and when standard input is not a terminal (a script, a pipe)
 * it refuses rather than guess: a script must say --yes.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "args.h"
#include "cli.h"

enum { OPT_STORAGE = 1, OPT_STUDY, OPT_YES, OPT_HELP };

static const cli_option delete_options[] = {
    {"storage", 0, 1, OPT_STORAGE},
    {"study", 0, 1, OPT_STUDY},
    {"yes", 'y', 0, OPT_YES},
    {"help", 'h', 0, OPT_HELP},
    {0},
};

static const char *const CMD = "delete-study";

static void delete_help(FILE *out)
{
    fprintf(out,
"usage: hpo delete-study --study NAME [--storage URL] [--yes]\n"
"\n"
"Delete a study and all its trials.  This cannot be undone.  Without --yes\n"
"hpo asks for confirmation on the terminal; when standard input is not a\n"
"terminal it refuses to delete without --yes.\n"
"\n"
"      --storage URL   where the study is (default $HPO_STORAGE, else\n"
"                      %s)\n"
"      --study NAME    the study to delete\n"
"  -y, --yes           delete without asking\n"
"\n"
"Exit status: 0 deleted, 1 not confirmed or a storage error, 2 bad usage,\n"
"no such study, or no --yes when standard input is not a terminal.\n",
            CLI_DEFAULT_STORAGE);
}

/* The study's number of trials, or -1 when the storage holds no study of
 * that name; -2 after printing a storage error. */
static int count_trials(hpo_storage *storage, const char *name)
{
    hpo_study_summary *list;
    int n, count = -1;
    if (hpo_storage_studies(storage, &list, &n) != HPO_OK) {
        cli_error(CMD, "%s", hpo_storage_errmsg(storage));
        return -2;
    }
    for (int i = 0; i < n && count < 0; i++)
        if (strcmp(list[i].name, name) == 0)
            count = list[i].n_trials;
    hpo_study_summaries_free(list, n);
    return count;
}

/* The URL for messages and the question: without its password. */
static const char *shown_url(const char *url)
{
    static char shown[CLI_URL_SHOWN_MAX];
    cli_redact_url(url, shown, sizeof shown);
    return shown;
}

/* Ask on the terminal; 1 for an answer of y or yes. */
static int confirmed(const char *name, int n_trials, const char *url)
{
    char answer[64];
    fprintf(stderr, "delete study '%s' and its %d trial%s from %s? [y/N] ",
            name, n_trials, n_trials == 1 ? "" : "s", shown_url(url));
    fflush(stderr);
    if (!fgets(answer, sizeof answer, stdin))
        return 0;
    answer[strcspn(answer, "\r\n")] = '\0';
    return strcasecmp(answer, "y") == 0 || strcasecmp(answer, "yes") == 0;
}

/* Delete after the checks; an exit code. */
static int delete_counted(hpo_storage *storage, const char *url,
                          const char *name, int n_trials)
{
    int rc = hpo_storage_delete_study(storage, name);
    if (rc == HPO_ENOTFOUND) { /* another process deleted it meanwhile */
        cli_error(CMD, "--study: no study named '%s' in %s", name,
                  shown_url(url));
        return CLI_EXIT_USAGE;
    }
    if (rc != HPO_OK) {
        cli_error(CMD, "%s", hpo_storage_errmsg(storage));
        return CLI_EXIT_FAILED;
    }
    printf("deleted study '%s' (%d trial%s)\n", name, n_trials,
           n_trials == 1 ? "" : "s");
    return CLI_EXIT_OK;
}

static int delete_study(const char *url, const char *name, int yes)
{
    hpo_storage *storage;
    int rc = cli_open_storage(CMD, url, 1, &storage);
    if (rc != CLI_EXIT_OK) {
        hpo_storage_close(storage);
        return rc;
    }
    int n_trials = count_trials(storage, name);
    if (n_trials == -2) {
        rc = CLI_EXIT_FAILED;
    } else if (n_trials == -1) {
        cli_error(CMD, "--study: no study named '%s' in %s", name,
                  shown_url(url));
        rc = CLI_EXIT_USAGE;
    } else if (!yes && !isatty(STDIN_FILENO)) {
        cli_error(CMD, "not deleting '%s' without --yes (standard input is "
                  "not a terminal to ask on)", name);
        rc = CLI_EXIT_USAGE;
    } else if (!yes && !confirmed(name, n_trials, url)) {
        cli_error(CMD, "study '%s' not deleted", name);
        rc = CLI_EXIT_FAILED;
    } else {
        rc = delete_counted(storage, url, name, n_trials);
    }
    hpo_storage_close(storage);
    return rc;
}

int cli_delete_study(int argc, char **argv)
{
    cli_args a;
    const char *v, *url = NULL, *name = NULL;
    int id, yes = 0;
    cli_args_init(&a, CMD, argc, argv);
    while ((id = cli_next_option(&a, delete_options, &v)) > 0) {
        if (id == OPT_HELP) {
            delete_help(stdout);
            return CLI_EXIT_OK;
        } else if (id == OPT_STORAGE) {
            url = v;
        } else if (id == OPT_STUDY) {
            name = v;
        } else {
            yes = 1;
        }
    }
    if (id < 0)
        return CLI_EXIT_USAGE;
    if (a.i < argc) {
        cli_error(CMD, "unexpected argument '%s'", argv[a.i]);
        return CLI_EXIT_USAGE;
    }
    if (!name) {
        cli_error(CMD, "--study is required");
        return CLI_EXIT_USAGE;
    }
    return delete_study(cli_storage_url(url), name, yes);
}
