/*
 * run_config.h — `hpo tune --config FILE`: a run configuration file that
 * says what the flags say, one option a line (docs/cli.md, "Run
 * configuration files"):
 *
 *   # comments and blank lines are skipped
 *   study = demo                 NAME = VALUE: the long option's name
 *   param = lr=float:1e-5:1e-1:log   (an option that repeats: one line each)
 *   quiet                        a flag: its name alone (or = true/false)
 *   command = python train.py --lr {lr}   the command, split into words
 *                                as a shell would ('...', "..." and \ quote;
 *                                nothing is expanded)
 *
 * An option given on the command line wins: the file's lines for it are
 * skipped (all of them, for one that repeats), and `-- COMMAND` wins
 * over the file's command.  A bad line is one error naming the file and
 * the line.
 */
#ifndef HPO_CLI_RUN_CONFIG_H
#define HPO_CLI_RUN_CONFIG_H

#include "args.h"

typedef struct run_config_entry {
    int id;      /* the option's id in the table */
    char *value; /* owned; NULL for a flag */
    int line;
} run_config_entry;

typedef struct run_config {
    char *path;
    run_config_entry *v;
    int n;
    char **command; /* NULL-terminated, owned; NULL when the file has none */
    int command_line;
} run_config;

/* Read `path` against the option table `opts` (entries whose id is in
 * `refused`, 0-terminated, e.g. help and config itself, are not taken).
 * 0, or CLI_EXIT_USAGE (CLI_EXIT_FAILED out of memory) after one line
 * "hpo CMD: FILE:LINE: what is wrong". */
int run_config_load(const char *cmd, const char *path, const cli_option *opts,
                    const int *refused, run_config *out);
void run_config_free(run_config *c);

/* Messages printed by cli_error while a file's value is taken start with
 * "FILE:LINE: " (NULL ends that). */
void run_config_blame(const run_config *c, int line);

#endif
