/*
 * logging.h — where the commands that run trials (tune, worker,
 * tune-model, nested-cv) send what they say while they run: one module,
 * one lock, two destinations.
 *
 *   standard error   lines at or above the terminal's level (-q, -v,
 *                    --log-level); on a terminal, one redrawn progress
 *                    line below them (log_live)
 *   --log-file FILE  every line at or above the file's level (info, or
 *                    debug with -v / --log-level debug), appended, each
 *                    with its timestamp, whatever the terminal shows
 *
 * Two kinds of lines (docs/cli.md, "Logs and progress"):
 *
 *   log_say     a message, "hpo: study s in sqlite:///s.db": on standard
 *               error as it is, in the file after "[I 2026-12-07 15:40:01] "
 *   log_record  a record, "trial 12 COMPLETE value=...": the same
 *               "[L YYYY-MM-DD HH:MM:SS] " prefix in both places, as
 *               Optuna's logger writes ([D]ebug, [I]nfo, [W]arning, [E]rror)
 *
 * Thread-safe: trial threads, the progress thread and the library's log
 * callback all write through here.  Nothing is ever written from a signal
 * handler (interrupt.c only wakes the progress thread).
 */
#ifndef HPO_CLI_LOGGING_H
#define HPO_CLI_LOGGING_H

#include "args.h"

typedef enum log_level {
    LOG_DEBUG = 0, /* the same numbers as hpo_log_fn's levels */
    LOG_INFO = 1,
    LOG_WARNING = 2,
    LOG_ERROR = 3
} log_level;

/* Set the levels and open --log-file from a command's options (-q: error,
 * -v: debug, --log-level wins over both); o->quiet is then set when the
 * terminal shows less than info.  0, or an exit code after saying why (a
 * file that cannot be opened, an unknown level). */
int log_setup(const char *cmd, cli_run_opts *o);
/* Close the file (at exit; a command that never called log_setup may call
 * it too). */
void log_close(void);

/* Is anything at this level shown on standard error / written anywhere? */
int log_terminal_wants(log_level level);
int log_wants(log_level level);
/* Is standard error a terminal (and shows info)?  Then progress is a
 * redrawn line; else plain lines now and then. */
int log_live_terminal(void);

void log_say(log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_record(log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The redrawn line (terminal only): text replaces it, NULL erases it.
 * Lines said meanwhile appear above it. */
void log_live(const char *text);
/* A line cli_error printed on standard error, copied into the file. */
void log_file_error(const char *line);

/* "[I 2026-12-07 15:40:01] ", into buf (at least LOG_STAMP_MAX). */
#define LOG_STAMP_MAX 32
void log_stamp(log_level level, char *buf);

#endif
