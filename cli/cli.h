/*
 * cli.h — what the files of the hpo tool share: exit codes, defaults and
 * the subcommands' entry points.
 *
 * The tool is a thin client of include/hpo.h: everything about studies
 * goes through the public API.  Only this folder writes to the terminal.
 */
#ifndef HPO_CLI_H
#define HPO_CLI_H

#include <stdarg.h>
#include <stdio.h>

#include "hpo.h"

/* Exit codes, documented in `hpo --help` and docs/cli.md. */
enum {
    CLI_EXIT_OK = 0,          /* success */
    CLI_EXIT_FAILED = 1,      /* every trial failed, or a runtime error */
    CLI_EXIT_USAGE = 2,       /* bad flag, space, command or study name */
    CLI_EXIT_INTERRUPTED = 130 /* stopped by SIGINT (SIGTERM gives 143) */
};

/* The exit code for a library call that refused an option: bad usage,
 * unless memory ran out (a runtime error, not the user's). */
#define CLI_EXIT_REFUSED(rc) \
    ((rc) == HPO_ENOMEM ? CLI_EXIT_FAILED : CLI_EXIT_USAGE)

/* The storage used when --storage is not given.  Change it here only. */
#define CLI_DEFAULT_STORAGE "sqlite:///hpo.db"

/* Seconds a child gets between SIGTERM and SIGKILL when it is stopped
 * (timeout, pruned, interrupted).  A second Ctrl-C skips the wait. */
#define CLI_KILL_GRACE_S 2.0

/* Lines of a failed child's stderr kept in the trial's "stderr_tail". */
#define CLI_STDERR_TAIL_LINES 20

/* Subcommands: argv[0] is the subcommand's name; they return an exit code. */
int cli_tune(int argc, char **argv);
int cli_best(int argc, char **argv);
int cli_trials(int argc, char **argv);
int cli_studies(int argc, char **argv);
int cli_delete_study(int argc, char **argv);
int cli_worker(int argc, char **argv);
int cli_enqueue(int argc, char **argv);
int cli_learn(int argc, char **argv);
int cli_tune_model(int argc, char **argv);
int cli_nested_cv(int argc, char **argv);
int cli_hypergrad(int argc, char **argv);
int cli_help_plugins(int argc, char **argv);
int cli_create_study(int argc, char **argv);
int cli_ask(int argc, char **argv);
int cli_tell(int argc, char **argv);
int cli_importance(int argc, char **argv);
int cli_dashboard(int argc, char **argv);
int cli_report(int argc, char **argv);
int cli_race(int argc, char **argv);
int cli_pbt(int argc, char **argv);

/* Print the best trial of a study (for several objectives: the Pareto
 * front) to `out`, as text or, when json is set, as a JSON document.
 * Returns HPO_OK, HPO_ENOTFOUND when no trial is complete, or the
 * library's error (message on the study). */
int cli_print_best(FILE *out, hpo_study *study, int json);

/* Open the storage `url`; on failure print one line prefixed with
 * "hpo CMD: " and return CLI_EXIT_USAGE (a bad URL, or with must_exist a
 * sqlite:/// file that is not there) or CLI_EXIT_FAILED (the database
 * failed).  *storage is to be closed in every case. */
int cli_open_storage(const char *cmd, const char *url, int must_exist,
                     hpo_storage **storage);

/* The storage URL a command uses: --storage's value when given (not
 * NULL), else the environment variable HPO_STORAGE when set and not empty,
 * else CLI_DEFAULT_STORAGE. */
const char *cli_storage_url(const char *given);

/* Open `url` (which must exist) and load study `name` for reading; on
 * failure print one line prefixed with "hpo CMD: " and return
 * CLI_EXIT_USAGE or CLI_EXIT_FAILED; on success return CLI_EXIT_OK with
 * both handles set. */
int cli_open_study(const char *cmd, const char *url, const char *name,
                   hpo_storage **storage, hpo_study **study);

/* The one line an error message prints as (message.c): the whole text,
 * controls turned into spaces, overlong words (a long study name)
 * shortened around "..." so what follows stays readable.  malloc'd;
 * NULL when out of memory. */
char *cli_message_line(const char *fmt, va_list ap);

/* `url` as it may be printed: a password in it (user:PASSWORD@host, or
 * ?password=...) becomes "***".  Every message that shows a --storage URL
 * shows this form.  `out` gets at most size-1 bytes and a NUL. */
#define CLI_URL_SHOWN_MAX 1024
void cli_redact_url(const char *url, char *out, size_t size);

/* Take every --storage URL's password out of hpo's own command line as
 * other processes see it (argv keeps working copies).  Arguments after
 * "--" (a child's command) are left alone.  -1 when memory ran out (a
 * password may still show: hpo stops). */
int cli_hide_url_passwords(int argc, char **argv);

#endif
